"""Companion runs are never cut (issue #17, Must 4): the runs page pages every run with
its total (it showed the last 50)."""

import pytest

from fangkong.core import listing as lists
from tests.conftest import YUECHENG
from tests.core.test_list_pages import total

pytestmark = pytest.mark.django_db
ROWS = 5


def _run(i: int, node):
    from fangkong.companions.models import CompanionRun
    from fangkong.core.models import Job

    return CompanionRun.objects.create(
        job=Job.objects.create(kind="companions"),
        node=node,
        dataset=f"数据集{i}",
        engine="duckdb",
        theta_seconds=900,
        bucket_seconds=300,
    )


def test_runs_page_shows_every_run_with_its_total(client, make_user, monkeypatch):
    from fangkong.geo.models import Division

    county = make_user("county_hq", YUECHENG)
    node = Division.objects.get(code=YUECHENG)
    for i in range(ROWS):
        _run(i, node)
    _run(99, Division.objects.get(code="330681"))  # another county: not counted
    monkeypatch.setattr(lists, "PER_PAGE", 2)
    client.force_login(county)
    html = client.get("/companions/").content.decode()
    last = client.get("/companions/", {"page": 3}).content.decode()
    assert total(html) == ROWS and "page=2" in html and "第 1 / 3 页" in html
    assert "第 3 / 3 页" in last and "数据集0" in last and "数据集4" not in last
