"""The dated rule set in force, kept per process (issue #21): read once, seen at once
when written in this process, within FANGKONG_RULES_CACHE_SECONDS when written by
another process, and never shared as one object between callers."""

import datetime as dt
import time
from decimal import Decimal

import pytest

from fangkong.tracing.models import TracingRules

DAY = dt.date(2026, 12, 7)


@pytest.fixture
def rules(db):
    return TracingRules.objects.create(
        effective_from=dt.date(2026, 1, 1), gate_fever_from=Decimal("37.3")
    )


def test_a_set_in_force_is_read_once(rules, django_assert_num_queries):
    assert TracingRules.in_force(DAY).gate_fever_from == Decimal("37.3")
    with django_assert_num_queries(0):
        assert TracingRules.in_force(DAY).pk == rules.pk
    with django_assert_num_queries(1):  # another day is another read
        TracingRules.in_force(DAY + dt.timedelta(days=1))


def test_a_set_written_here_is_seen_at_once(rules):
    TracingRules.in_force(DAY)
    TracingRules.objects.create(
        effective_from=dt.date(2026, 12, 1), gate_fever_from=Decimal("37.0")
    )
    assert TracingRules.in_force(DAY).gate_fever_from == Decimal("37.0")
    rules.gate_fever_from = Decimal("37.5")
    rules.save()
    TracingRules.objects.filter(effective_from=dt.date(2026, 12, 1)).delete()
    assert TracingRules.in_force(DAY).gate_fever_from == Decimal("37.5")


def test_a_set_written_elsewhere_is_seen_within_the_seconds(rules, settings, monkeypatch):
    settings.FANGKONG_RULES_CACHE_SECONDS = 5
    TracingRules.in_force(DAY)
    # Another process writes (no signal reaches this one): a queryset update sends none.
    TracingRules.objects.filter(pk=rules.pk).update(gate_fever_from=Decimal("38.0"))
    assert TracingRules.in_force(DAY).gate_fever_from == Decimal("37.3")
    later = time.monotonic() + 5.1
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert TracingRules.in_force(DAY).gate_fever_from == Decimal("38.0")


def test_no_seconds_reads_every_time(rules, settings, django_assert_num_queries):
    settings.FANGKONG_RULES_CACHE_SECONDS = 0
    TracingRules.in_force(DAY)
    with django_assert_num_queries(1):
        TracingRules.in_force(DAY)


def test_each_caller_has_its_own_row(rules):
    first = TracingRules.in_force(DAY)
    first.gate_fever_from = Decimal("40.0")
    assert TracingRules.in_force(DAY).gate_fever_from == Decimal("37.3")


def test_the_published_defaults_are_not_kept(db, django_assert_num_queries):
    TracingRules.objects.all().delete()  # the sets the migrations published
    assert TracingRules.in_force(DAY).pk is None
    with django_assert_num_queries(1):
        assert TracingRules.in_force(DAY).pk is None
    stored = TracingRules.in_force_stored(DAY)
    assert stored.pk is not None
    assert TracingRules.in_force(DAY).pk == stored.pk
