"""`DatedRuleSet.in_force_by_day()` is `in_force` for many days with one query: a list
that judges each row by the rules of its own date reads the rule sets once."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fangkong.clinical.models import ClinicalRules

pytestmark = pytest.mark.django_db
DAYS = [dt.date(2020, 1, 1), dt.date(2020, 2, 1), dt.date(2020, 2, 15), dt.date(2020, 4, 1)]


def test_no_stored_set_gives_the_published_defaults():
    ClinicalRules.objects.all().delete()  # the seeded set of the migrations
    pick = ClinicalRules.in_force_by_day()
    found = pick(dt.date(2020, 2, 1))
    assert found.pk is None and found.effective_from == dt.date(2020, 2, 1)
    assert found.r10_cluster_threshold == ClinicalRules.in_force().r10_cluster_threshold


def test_each_day_gets_the_set_in_force_then_from_one_query():
    ClinicalRules.objects.all().delete()
    ClinicalRules.objects.create(effective_from=dt.date(2020, 2, 1), r10_cluster_threshold=3)
    ClinicalRules.objects.create(effective_from=dt.date(2020, 3, 1), r10_cluster_threshold=4)
    with CaptureQueriesContext(connection) as ctx:
        pick = ClinicalRules.in_force_by_day()
        picked = [pick(day).effective_from for day in DAYS]
    assert len(ctx.captured_queries) == 1
    assert picked == [ClinicalRules.in_force(day).effective_from for day in DAYS]
    assert picked == [
        dt.date(2020, 2, 1),
        dt.date(2020, 2, 1),
        dt.date(2020, 2, 1),
        dt.date(2020, 3, 1),
    ]
