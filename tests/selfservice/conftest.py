"""Fixtures of the self-service code: a clock in February 2020, the 2020 risk areas,
an SMS outbox, a cleared cache (rate limits)."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

TZ = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2020, 2, 20)


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


@pytest.fixture(autouse=True)
def fresh(db):
    from django.core.cache import cache

    from fangkong.core.sms import OutboxGateway
    from fangkong.riskareas.seed import seed_2020

    cache.clear()
    OutboxGateway.outbox.clear()
    seed_2020()
    yield
    cache.clear()


def sms_code(phone: str) -> str:
    from fangkong.core.sms import OutboxGateway

    return re.search(r"\d{6}", OutboxGateway.last_to(phone).text).group()


@pytest.fixture
def code_for():
    """Send a code to the phone through the real service and read it from the outbox."""
    from fangkong.core.otp_codes import send as send_code

    def make(phone: str) -> str:
        send_code(phone)
        return sms_code(phone)

    return make


@pytest.fixture
def auth_header(db):
    from fangkong.accounts.models import ApiToken
    from fangkong.core import clock

    def make(user):
        raw = ApiToken.new_raw()
        ApiToken.objects.create(
            user=user, digest=ApiToken.hash(raw), expires_at=clock.now() + dt.timedelta(days=3650)
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return make
