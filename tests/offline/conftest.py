"""Fixtures for offline work: screening tasks for residents with real-shaped IDs, a gate,
a missed check-in."""

import datetime as dt

import pytest

from fangkong.core.querysets import system_actor
from tests.conftest import GRID_A
from tests.idnumbers import rid
from tests.screening.conftest import make_task  # noqa: F401 - fixture


@pytest.fixture
def make_person(make_person):
    """The registry's make_person, each person with a resident ID of their own (born in
    Yuecheng, one a year from 1961), so screening's make_task registers real residents."""
    counter = {"n": 0}

    def make(name="张伟", **data):
        counter["n"] += 1
        data.setdefault("id_number", rid("330602", dt.date(1960 + counter["n"], 3, 14), 31))
        return make_person(name=name, **data)

    return make


@pytest.fixture
def gate(db, node, make_user):
    from fangkong.tracing import venues

    staff = make_user("village_staff", GRID_A[:12])
    return venues.create_venue(staff, {"name": "东门卡口", "kind": "gate", "node": node(GRID_A)})


@pytest.fixture
def missed(db, make_person, node):
    """An open missed-check-in task in GRID_A for a person with a phone."""
    from fangkong.core import clock
    from fangkong.observation import actions
    from fangkong.observation.models import AlertTask

    system = system_actor()
    person = make_person(name="孙丽", phone="13905751234")
    period = actions.start_period(
        system,
        person=person,
        reason="close_contact",
        last_exposure=clock.today() - dt.timedelta(days=2),
    )
    return AlertTask.objects.create(
        period=period,
        local_date=clock.today(),
        window="morning",
        path=period.path,
        assigned_to=None,
    )
