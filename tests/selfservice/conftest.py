"""Fixtures of the self-service code: a clock in February 2020, the 2020 risk areas,
an SMS outbox, a cleared cache (rate limits)."""

import datetime as dt
import re

import pytest

from tests.kit import TZ, at  # noqa: F401  (their tests import them from here)

DAY = dt.date(2020, 2, 20)


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
