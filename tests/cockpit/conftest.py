"""Fixtures for cockpit tests: a replayable clock, cases placed where patients live,
screening tasks and observation periods made through the apps' own models/actions."""

import datetime as dt

import pytest

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
def add_task(make_person, node):
    """add_task(due_at, code=GRID_A, name=…) → an open screening task for a new subject."""
    from fangkong.screening.models import ScreeningSubject, ScreeningTask

    counter = {"n": 0}

    def make(due_at, code=GRID_A, name="王建国"):
        counter["n"] += 1
        grid = node(code)
        p = make_person(name=name, node_code=code, phone=f"1390575{counter['n']:04d}")
        subject = ScreeningSubject.objects.create(
            person=p,
            name=p.name,
            id_masked=p.id_masked,
            phone_masked=p.phone_masked,
            address=f"越城区胜利东路{counter['n']}号",
            node=grid,
            path=grid.path,
            placement="address",
            sources="电信推送",
        )
        return ScreeningTask.objects.create(
            subject=subject, node=grid, path=grid.path, due_at=due_at
        )

    return make
