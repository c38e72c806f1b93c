"""Care lists are never cut (issue #17, Must 4): a reporter's own difficulties, the public
deeds, the rule sets and the API's difficulties page every row with the total."""

import datetime as dt

import pytest

from fangkong.care.models import CareRules, Deed
from fangkong.core import clock
from fangkong.core import listing as lists
from tests.care.conftest import PHONE, T0, code_for, reported
from tests.conftest import HUAYUAN
from tests.core.test_list_pages import total, visible

pytestmark = pytest.mark.django_db
ROWS = 5


def test_a_reporters_own_difficulties_are_paged_with_the_total(client, make_user, monkeypatch):
    staff = make_user("village_staff", HUAYUAN)
    with clock.frozen(T0):
        for i in range(ROWS):
            reported(staff, "childcare", f"孩子无人照看{i}")
        client.post("/public/care/mine/", {"phone": PHONE, "code": code_for(PHONE)})
        monkeypatch.setattr(lists, "PER_PAGE", 2)
        html = client.get("/public/care/mine/").content.decode()
        last = client.get("/public/care/mine/", {"page": 3}).content.decode()
    assert total(html) == ROWS and "page=2" in html and "第 1 / 3 页" in html
    assert "第 3 / 3 页" in last and "孩子无人照看0" in last and "孩子无人照看4" not in last


def test_public_deeds_show_their_total_and_page(client, make_user, monkeypatch):
    from fangkong.care import pages
    from fangkong.geo.models import Division

    staff = make_user("city_hq", "3306")
    node = Division.objects.get(code="330602")
    for i in range(ROWS):
        Deed.objects.create(
            node=node,
            title=f"事迹{i}",
            text="…",
            hero_name=f"英雄{i}",
            submitted_by=staff,
            status="published",
            published_at=T0 + dt.timedelta(hours=i),
        )
    monkeypatch.setattr(pages, "PAGE", 2)
    html = client.get("/public/care/deeds/").content.decode()
    last = client.get("/public/care/deeds/", {"area": "3306", "page": 3}).content.decode()
    assert total(html) == ROWS and "area=3306&amp;page=2" in html and "第 1 / 3 页" in html
    assert "第 3 / 3 页" in last and "事迹0" in last and "事迹4" not in last


def test_rule_sets_are_paged_on_the_page_and_the_api(client, make_user, monkeypatch):
    from tests.kit import bearer

    hq = make_user("city_hq", "3306")
    before = CareRules.objects.count()
    for i in range(ROWS):
        CareRules.objects.create(effective_from=dt.date(2020, 3, 1 + i), note=f"规则{i}")
    rows = before + ROWS
    monkeypatch.setattr(lists, "PER_PAGE", 2)
    client.force_login(hq)
    html = client.get("/care/rules/").content.decode()
    pages = -(-rows // 2)
    assert total(html) == rows and f"第 1 / {pages} 页" in html and "规则4" in visible(html)
    api = client.get("/api/v1/care/rules", {"page_size": 2, "page": 2}, **bearer(hq)).json()
    assert api["count"] == rows and [r["note"] for r in api["items"]] == ["规则2", "规则1"]
