"""Fixtures for offline work: the screening task factory, a gate, a missed check-in."""

import pytest

from tests.conftest import GRID_A
from tests.screening.conftest import make_task  # noqa: F401 - fixture


@pytest.fixture
def gate(db, node, make_user):
    from fangkong.tracing import venues

    staff = make_user("village_staff", GRID_A[:12])
    return venues.create_venue(staff, {"name": "东门卡口", "kind": "gate", "node": node(GRID_A)})


@pytest.fixture
def missed(db, make_person, node):
    """An open missed-check-in task in GRID_A for a person with a phone."""
    import datetime as dt

    from fangkong.accounts.models import User
    from fangkong.core import clock
    from fangkong.observation import actions

    system = User(is_superuser=True, is_active=True)
    person = make_person(name="孙丽", phone="13905751234")
    period = actions.start_period(
        system,
        person=person,
        reason="close_contact",
        last_exposure=clock.today() - dt.timedelta(days=2),
    )
    from fangkong.observation.models import AlertTask

    return AlertTask.objects.create(
        period=period,
        local_date=clock.today(),
        window="morning",
        path=period.path,
        assigned_to=None,
    )
