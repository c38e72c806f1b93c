"""Fixtures for public-side tests: headquarters of two counties, a clock, API tokens,
a cleared cache (rate limits, cached bulletin pages) and an SMS outbox."""

import datetime as dt

import pytest

from tests.kit import TZ, at  # noqa: F401  (their tests import them from here)

DAY0 = dt.date(2020, 2, 10)


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    from fangkong.core.sms import OutboxGateway

    cache.clear()
    OutboxGateway.outbox.clear()
    yield
    cache.clear()


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
