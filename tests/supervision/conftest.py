"""Fixtures for supervision: inspectors, the inspected, cadres, a recorded flow."""

import datetime as dt

import pytest

from tests import kit
from tests.conftest import HUAYUAN, TASHAN, YUECHENG, ZHUJI
from tests.kit import TZ, at  # noqa: F401  (their tests import them from here)

DAY0 = dt.date(2020, 2, 10)


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
def plan(inspector, teammate, frozen):
    return kit.plan_team(inspector, starts_on=DAY0, members=(teammate,)).plan


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


def case_on(organisation, finding, cadre, decision: str, decided_on=DAY0, **extra):
    """An accountability case the organisation department opens against `cadre` on
    `finding`, with the decision of code `decision` (`extra`: a summary…)."""
    from fangkong.supervision import actions
    from fangkong.supervision.models import AccountabilityDecision

    return actions.open_case(
        organisation,
        finding=finding,
        member=cadre,
        decision=AccountabilityDecision.objects.get(code=decision),
        decided_by="organisation_department",
        decided_on=decided_on,
        **extra,
    )
