import datetime as dt

import pytest

from fangkong.core import clock
from tests.kit import TZ, at  # noqa: F401  (their tests import them from here)


@pytest.fixture
def frozen_on():
    """Freeze the clock on a day for the test (9:00 local)."""
    stack = []

    def freeze(day: dt.date, hour: int = 9):
        cm = clock.frozen(at(day, hour))
        cm.__enter__()
        stack.append(cm)

    yield freeze
    while stack:
        stack.pop().__exit__(None, None, None)


@pytest.fixture
def cdc(make_user):
    from tests.conftest import YUECHENG

    return make_user("cdc", YUECHENG)


@pytest.fixture
def outsider(make_user):
    from tests.conftest import ZHUJI

    return make_user("cdc", ZHUJI)


@pytest.fixture
def index_case(db, cdc, make_person):
    from fangkong.tracing import actions

    def make(onset=dt.date(2020, 3, 1), isolated=dt.date(2020, 3, 3), **extra):
        person = make_person(extra.pop("name", "病例甲"))
        return actions.open_index_case(
            cdc,
            person,
            {"onset_date": onset, "isolated_on": isolated, "specimen_date": isolated, **extra},
        )

    return make
