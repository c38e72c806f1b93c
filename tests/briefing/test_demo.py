import pytest

from fangkong.briefing.hooks import demo_step
from fangkong.briefing.models import Briefing
from fangkong.core import clock
from tests.briefing.conftest import DAY0, at

pytestmark = pytest.mark.django_db


def test_demo_step_briefs_recent_days_once(add_case):
    with clock.frozen(at(DAY0, 9)):
        add_case(at(DAY0.replace(day=8), 10))
        line = demo_step(2020)
        assert Briefing.objects.filter(node__code="3306").count() == 7  # DAY0-6 … DAY0
        assert (
            Briefing.objects.get(node__code="3306", day=DAY0).data["cases"]["confirmed"][
                "cumulative"
            ]
            == 1
        )
        # a second run keeps the past days and recomputes today's (never stale)
        assert demo_step(2020).startswith("7 briefings")
    assert line.startswith("49 briefings")


def test_the_briefing_demo_step_runs_after_every_other_step():
    from fangkong.core import demo_steps

    names = [name for name, _step in demo_steps.steps()]
    assert names[-1] == "briefing" and {"mobilisation", "supervision", "supplies"} <= set(names)
