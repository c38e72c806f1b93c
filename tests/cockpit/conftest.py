"""Fixtures for cockpit tests: a replayable clock, cases placed where patients live,
screening tasks and observation periods made through the apps' own models/actions."""

import datetime as dt

import pytest

from tests import kit
from tests.conftest import GRID_A
from tests.kit import TZ, at  # noqa: F401  (their tests import them from here)

DAY0 = dt.date(2020, 2, 10)


@pytest.fixture
def facility(db, node):
    from fangkong.clinical.models import Facility

    return Facility.objects.create(
        name="绍兴市人民医院发热门诊", kind="fever_clinic", node=node("330602")
    )


@pytest.fixture
def add_case(facility, make_person):
    """add_case(confirmed_at, node_code=GRID_A, status="confirmed") → a stored Case whose
    patient lives at `node_code`."""
    from fangkong.clinical.models import Case
    from fangkong.geo.models import Division

    counter = {"n": 0}

    def make(confirmed_at, node_code=GRID_A, status="confirmed", **extra):
        counter["n"] += 1
        home = Division.objects.get(code=node_code)
        person = make_person(f"病例{counter['n']}", node_code)
        return Case.objects.create(
            number=f"SX{counter['n']:05d}",
            person=person,
            facility=facility,
            path=facility.node.path,
            home_path=home.path,
            county=home.path.split("/")[1],
            status=status,
            diagnosed_at=confirmed_at,
            confirmed_at=confirmed_at if status == "confirmed" else None,
            **extra,
        )

    return make


@pytest.fixture
def add_task(db):
    """add_task(due_at, code=GRID_A, name=…) → an open screening task for a new subject
    (tests/kit.py's, with a phone and an address of Yuecheng)."""
    counter = {"n": 0}

    def make(due_at, code=GRID_A, name="王建国"):
        counter["n"] += 1
        n = counter["n"]
        return kit.screening_task(
            n, code, due_at, f"越城区胜利东路{n}号", name=name, phone=f"1390575{n:04d}"
        )

    return make
