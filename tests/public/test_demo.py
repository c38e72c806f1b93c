import pytest

from fangkong.core import clock
from fangkong.public.demo import demo_step
from fangkong.public.models import (
    Gathering,
    PublishedBulletin,
    Question,
    Rumour,
    SchoolPlan,
    WorkApplication,
)
from tests.conftest import GRID_A
from tests.public.conftest import DAY0, at

pytestmark = pytest.mark.django_db


def test_demo_publishes_a_bulletin_per_outbreak_day_and_is_idempotent(make_person, confirmed_case):
    import datetime as dt

    confirmed_case(make_person("郑强", node_code=GRID_A), at(DAY0 - dt.timedelta(days=3), 10))
    with clock.frozen(at(DAY0, 9)):
        line = demo_step(1)
        assert "already" in demo_step(1)
    assert PublishedBulletin.objects.filter(node_code="3306").count() == 3, line
    assert "0 refused" in line
    assert Rumour.objects.filter(status="clarified").count() == 2
    assert Question.objects.filter(answered_at__isnull=False).exists()
    assert Question.objects.filter(escalated_to__isnull=False).exists()
    assert Question.objects.filter(answered_at__isnull=True, escalated_to__isnull=True).exists()
    statuses = set(WorkApplication.objects.values_list("status", flat=True))
    assert {"approved", "submitted", "draft"} <= statuses
    assert SchoolPlan.objects.filter(status="approved").count() == 1
    assert Gathering.objects.exclude(handling="").count() == 3
