"""The demo step puts patients at every stage and is idempotent."""

import pytest

from fangkong.clinical import demo
from fangkong.clinical.models import Case, ClinicVisit, Cluster, Facility, Transfer
from fangkong.observation.models import ObservationPeriod

pytestmark = pytest.mark.django_db


def test_demo_step_creates_every_stage_once(make_person, make_user):
    make_user("medical", "330602")
    for i in range(20):
        make_person(f"演示{i}")
    line = demo.run(7)
    assert "6 fever clinics, 2 designated hospitals, 17 patients" in line
    assert Facility.objects.count() == 8
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == {"suspected", "confirmed", "excluded"}
    assert set(Case.objects.exclude(outcome="").values_list("outcome", flat=True)) == {
        "discharged",
        "died",
    }
    assert set(Transfer.objects.values_list("status", flat=True)) >= {
        "requested",
        "bed_assigned",
        "arrived",
    }
    assert ClinicVisit.objects.open().count() == 1
    cluster = Cluster.objects.get()
    assert cluster.cases.count() == cluster.threshold == 5  # the rule in force today
    assert ObservationPeriod.objects.filter(reason="post_discharge").count() == 1
    confirmed = list(Case.objects.filter(confirmed_at__isnull=False).order_by("confirmed_at"))
    from django.utils import timezone

    for c in confirmed:  # onsets a few days before confirmation
        assert c.onset_date is not None
        assert 1 <= (timezone.localdate(c.confirmed_at) - c.onset_date).days <= 7
    imported = [c for c in confirmed if c.imported]
    assert imported and all(c.source_note for c in imported)
    assert any(c.source == "local" for c in confirmed)
    early = confirmed[: len(confirmed) // 2]
    assert sum(c.imported for c in early) >= sum(c.imported for c in confirmed[len(early) :])
    assert "already present" in demo.run(7)
    assert Case.objects.count() == 14
