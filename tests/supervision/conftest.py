"""Fixtures for supervision: inspectors, the inspected, cadres, a recorded flow."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import GRID_A, HUAYUAN, TASHAN, YUECHENG, ZHUJI

TZ = ZoneInfo("Asia/Shanghai")
DAY0 = dt.date(2020, 2, 10)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


@pytest.fixture
def frozen():
    """Freeze the clock at DAY0 09:00 for the test (move it with clock.frozen)."""
    from fangkong.core import clock

    with clock.frozen(at(DAY0)):
        yield


@pytest.fixture
def inspector(make_user):
    """County discipline inspection of Yuecheng."""
    return make_user("discipline", YUECHENG)


@pytest.fixture
def teammate(make_user):
    return make_user("town_hq", TASHAN)


@pytest.fixture
def county_hq(make_user):
    return make_user("county_hq", YUECHENG)


@pytest.fixture
def town_hq(make_user):
    return make_user("town_hq", TASHAN)


@pytest.fixture
def village_staff(make_user):
    return make_user("village_staff", HUAYUAN)


@pytest.fixture
def grid_worker(make_user):
    return make_user("grid_worker", GRID_A)


@pytest.fixture
def organisation(make_user):
    return make_user("organisation", YUECHENG)


@pytest.fixture
def zhuji_discipline(make_user):
    return make_user("discipline", ZHUJI)


@pytest.fixture
def cadre(node):
    from fangkong.mobilisation.models import Member

    return Member.objects.create(
        name="王干部", is_cadre=True, cadre_rank="科级", path=node(HUAYUAN).path
    )


@pytest.fixture
def plan(inspector, teammate, node, frozen):
    from fangkong.supervision import actions

    p = actions.create_plan(
        inspector,
        node(YUECHENG),
        title="春节督查",
        starts_on=DAY0,
        ends_on=DAY0 + dt.timedelta(days=20),
        topics=["screening", "checkpoints"],
    )
    actions.add_team(inspector, p, name="第一组", leader=inspector, members=[teammate])
    return p


@pytest.fixture
def team(plan):
    return plan.teams.get()


@pytest.fixture
def schedule(inspector, team, node, frozen):
    from fangkong.supervision import actions

    def make(kind="open", code=HUAYUAN, **kw):
        return actions.schedule_inspection(
            inspector,
            team,
            node(code),
            kind=kind,
            planned_on=kw.pop("planned_on", DAY0 + dt.timedelta(days=1)),
            topics=kw.pop("topics", ["screening", "checkpoints"]),
            **kw,
        )

    return make


@pytest.fixture
def recorded_finding(inspector, schedule, cadre, frozen):
    """A recorded open inspection of Huayuan with one finding about the cadre."""
    from fangkong.supervision import actions

    insp = schedule("open", subject=cadre)
    f = actions.add_finding(
        inspector, insp, description="卡口无人值守", topic="checkpoints", cadre=cadre
    )
    actions.record_inspection(inspector, insp, "发现一个问题")
    return f


@pytest.fixture
def auth(client):
    from fangkong.accounts.models import ApiToken
    from fangkong.core import clock

    def make(user):
        raw = ApiToken.new_raw()
        ApiToken.objects.create(
            user=user, digest=ApiToken.hash(raw), expires_at=clock.now() + dt.timedelta(days=3650)
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return make
