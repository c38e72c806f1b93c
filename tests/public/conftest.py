"""Fixtures for public-side tests: headquarters of two counties, a clock, API tokens,
a cleared cache (rate limits, cached bulletin pages) and an SMS outbox."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

TZ = ZoneInfo("Asia/Shanghai")
DAY0 = dt.date(2020, 2, 10)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    from fangkong.core.sms import OutboxGateway

    cache.clear()
    OutboxGateway.outbox.clear()
    yield
    cache.clear()


@pytest.fixture
def county_hq(make_user):
    return make_user("county_hq", "330602")


@pytest.fixture
def zhuji_hq(make_user):
    return make_user("county_hq", "330681")


@pytest.fixture
def town_hq(make_user):
    from tests.conftest import TASHAN

    return make_user("town_hq", TASHAN)


@pytest.fixture
def village_staff(make_user):
    from tests.conftest import HUAYUAN

    return make_user("village_staff", HUAYUAN)


@pytest.fixture
def login(client):
    def do(user):
        client.force_login(user)
        return client

    return do


@pytest.fixture
def auth(db):
    from fangkong.accounts.models import ApiToken
    from fangkong.core import clock

    def make(user):
        raw = ApiToken.new_raw()
        ApiToken.objects.create(
            user=user, digest=ApiToken.hash(raw), expires_at=clock.now() + dt.timedelta(days=3650)
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return make


@pytest.fixture
def confirmed_case(db, node):
    """A confirmed case of a registered person, by the clinical models directly."""
    from fangkong.clinical.models import Case, Facility

    def make(person, when: dt.datetime):
        facility, _ = Facility.objects.get_or_create(
            node=node("330602"), name="市人民医院", kind="designated_hospital"
        )
        parts = [p for p in person.path.split("/") if p]
        return Case.objects.create(
            number=f"C{person.pk:06d}",
            person=person,
            facility=facility,
            path=facility.path,
            county=parts[1],
            status="confirmed",
            diagnosed_at=when,
            confirmed_at=when,
        )

    return make
