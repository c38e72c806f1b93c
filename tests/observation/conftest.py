"""Fixtures for the observation tests: a site with rooms, a period at home, a clock."""

import uuid

import pytest

from tests.conftest import GRID_A, TASHAN
from tests.kit import TZ, at  # noqa: F401  (their tests import them from here)


def cid() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def site_doctor(make_user):
    return make_user("quarantine_site", TASHAN)


@pytest.fixture
def site(db, system_user, node, site_doctor):
    from fangkong.observation import actions

    s = actions.create_site(
        system_user, name="塔山宾馆", address="塔山路1号", node=node(TASHAN), doctor=site_doctor
    )
    actions.add_rooms(system_user, s, ["101", "102"], 1)
    actions.add_rooms(system_user, s, ["201"], 2)
    return s


@pytest.fixture
def start(db, system_user, make_person):
    """start(name=…, **kwargs) → a new period for a new person in GRID_A."""
    from fangkong.core import clock
    from fangkong.observation import actions

    def make(name="李娜", node_code=GRID_A, **kw):
        person = make_person(name, node_code)
        kw.setdefault("reason", "close_contact")
        kw.setdefault("last_exposure", clock.today())
        return actions.start_period(system_user, person, **kw)

    return make
