"""Fixtures for cockpit tests: a replayable clock, cases placed where patients live,
screening tasks and observation periods made through the apps' own models/actions."""

import datetime as dt
import functools

import pytest

from tests import kit
from tests.conftest import GRID_A
from tests.kit import TZ, at  # noqa: F401  (their tests import them from here)

DAY0 = dt.date(2020, 2, 10)


@pytest.fixture
def add_case(add_case):
    """add_case(confirmed_at, node_code=GRID_A, status="confirmed") → a stored Case treated
    at the clinic's node, its patient living at `node_code` (its `home_path`)."""
    return functools.partial(add_case, at_clinic=True)


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
