"""The demo step builds a day of screening through the real pipeline, once."""

import pytest

from fangkong.screening import demo
from fangkong.screening.models import PushedList, ScreeningTask, Visit


@pytest.mark.django_db
def test_demo_day_of_screening():
    summary = demo.run(seed=3, arrivals=120)
    assert "visited" in summary
    assert PushedList.objects.count() == 3
    assert ScreeningTask.objects.exists() and Visit.objects.exists()
    assert ScreeningTask.objects.filter(status="open").exists()
    # Key areas come from the dated risk-area list (Hubei, on the demo's dates).
    from fangkong.riskareas.models import RiskArea

    hubei = RiskArea.objects.get(code="42")
    assert hubei.source == demo.DEMO_SOURCE and hubei.risk == "high"
    key = ScreeningTask.objects.filter(key_area=True).select_related("subject")
    assert key.exists() and all("湖北" in t.subject.origin for t in key)
    assert not ScreeningTask.objects.filter(key_area=False, subject__origin__contains="湖北")
    assert demo.run(seed=3, arrivals=120) == "screening demo already present"


@pytest.mark.django_db
def test_demo_grids_get_keys_and_the_demo_grid_worker_starts_with_tasks():
    from fangkong.geo.models import Division, GridAddressKey

    # The demo accounts' grid: the first grid of the first village of 越城区's first town.
    # (花园社区 330602001004 has two grids in the test tree.)
    demo.run(seed=5, arrivals=60)
    grids = Division.objects.filter(level="grid")
    keyed = set(GridAddressKey.objects.values_list("grid_id", flat=True))
    assert keyed == set(grids.values_list("id", flat=True))
    home = Division.objects.get(code="330602001004G01")
    assert ScreeningTask.objects.filter(node=home, status="open").count() >= 3


@pytest.mark.django_db
def test_demo_run_after_midnight_stores_no_fact_still_to_come():
    """Run at 00:10 (a server started after midnight), the morning's lists come in now
    and no arrival, task or visit bears a later time; the day's figures then agree
    between a town's briefing (tasks created up to now) and a grid's open visits."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from fangkong.core import clock
    from fangkong.screening.models import ScreeningSubject

    now = dt.datetime(2026, 12, 8, 0, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    with clock.frozen(now):
        demo.run(seed=3, arrivals=120)
    assert ScreeningTask.objects.count() > 0
    assert not ScreeningTask.objects.filter(created_at__gt=now).exists()
    assert not ScreeningSubject.objects.filter(arrival_at__gt=now).exists()
    assert not Visit.objects.filter(visited_at__gt=now).exists()
    # this morning's push came in at 00:10, yesterday's a day earlier
    assert ScreeningTask.objects.filter(created_at=now).exists()
