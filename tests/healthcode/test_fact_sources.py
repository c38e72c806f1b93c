"""The health code reads the facts of other apps through sources registered in
`core.facts` (self-service declarations among them), so it imports none of those apps."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from fangkong.core import clock, facts
from fangkong.healthcode import actions
from fangkong.healthcode import facts as reader
from fangkong.healthcode.models import HealthCode

pytestmark = pytest.mark.django_db
DAY0 = dt.date(2020, 2, 20)


def test_selfservice_registers_its_declarations_as_a_source():
    assert "selfservice.declarations" in {s.name for s in facts.sources()}
    healthcode = Path(reader.__file__).parent
    for module in healthcode.glob("*.py"):
        assert "fangkong.selfservice" not in module.read_text(encoding="utf-8"), module.name


def test_a_registered_source_adds_its_facts_and_persons(make_person):
    """A source (here a rail-ticket feed) names a person arriving from a high-risk area:
    the colour follows, and the person is among those whose colour can differ."""
    traveller, other = make_person("柳青"), make_person("方圆")
    seen: list[dt.date] = []

    def add(person_filter, since, of):  # type: ignore[no-untyped-def]
        seen.append(since)
        # `of` hands back a spare record for a person not being read.
        of(traveller.pk).high_risk_arrival = DAY0 - dt.timedelta(days=2)

    facts.register_source("test.rail", add, lambda since: {traveller.pk})
    try:
        with clock.frozen(timezone.make_aware(dt.datetime(2020, 2, 20, 9))):
            actions.recompute_persons([traveller.pk, other.pk])
            colours = dict(
                HealthCode.objects.filter(person__in=[traveller, other]).values_list(
                    "person__name", "colour"
                )
            )
            assert colours == {"柳青": "red", "方圆": "green"}
            assert traveller.pk in reader.persons_with_facts(DAY0)
            assert seen and seen[0] == DAY0 - dt.timedelta(days=reader.LOOKBACK_DAYS)
    finally:
        facts.unregister_source("test.rail")
    with clock.frozen(timezone.make_aware(dt.datetime(2020, 2, 20, 10))):
        actions.recompute_persons([traveller.pk])
    assert HealthCode.objects.get(person=traveller).colour == "green"
    assert traveller.pk not in reader.persons_with_facts(DAY0)
