"""The hand-overs: a completed clinical investigation and a confirmed companion become
contacts through the tracing actions."""

import datetime as dt

from fangkong.core.querysets import system_actor
from fangkong.tracing.hooks import contact_from_companion, setting_of
from fangkong.tracing.models import Contact


def test_setting_words():
    assert setting_of("同事 公司") == "workplace"
    assert setting_of("家人") == "household"
    assert setting_of("G7512 train") == "transport"
    assert setting_of("??") == "other"


def test_confirmed_companion_becomes_a_contact(db, make_person, cdc, frozen_on):
    from types import SimpleNamespace

    from django.utils import timezone

    frozen_on(dt.date(2020, 3, 5))
    case_person, other = make_person("病例"), make_person("同行者")
    when = timezone.make_aware(dt.datetime(2020, 3, 3, 10))
    candidate = SimpleNamespace(
        pk=991,
        person=other,
        case=SimpleNamespace(person=case_person),
        first_at=when,
        last_at=when + dt.timedelta(hours=1),
    )
    contact_from_companion(None, candidate=candidate, user=cdc)
    contact_from_companion(None, candidate=candidate, user=cdc)  # idempotent
    contact = Contact.objects.get(companion_candidate_id=991)
    assert contact.person == other and contact.index.person == case_person


def test_companion_signal_is_connected():
    from fangkong.companions.hooks import exposure_confirmed

    assert exposure_confirmed.has_listeners()


def test_clinical_consumer_is_registered():
    from fangkong.clinical.hooks import exposure_consumers
    from fangkong.tracing.hooks import consume_clinical_exposures

    assert consume_clinical_exposures in exposure_consumers()


def test_completed_clinical_investigation_hands_over_its_exposures(db, make_user, make_person):
    """Through the real clinical path: a suspected case, exposures, completion."""
    from fangkong.clinical import care, investigation
    from fangkong.clinical.actions import visits
    from fangkong.core import clock
    from fangkong.geo.models import Division
    from tests.clinical.conftest import FEVERISH, at
    from tests.conftest import YUECHENG

    node = Division.objects.get(code=YUECHENG)
    system = system_actor()
    day = dt.date(2020, 2, 3)
    with clock.frozen(at(day, 9)):
        clinic = care.create_facility(system, name="发热门诊", kind="fever_clinic", node=node)
        doctor = make_user("medical", YUECHENG)
        clinic.staff.add(doctor)
        visit = visits.register_visit(doctor, clinic, person=make_person("病人"), **FEVERISH)
        visits.dispose(doctor, visit, "suspected")
        visit.refresh_from_db()
        inv = visit.case.investigation
        family = make_person("家属")
        investigation.add_exposure(
            doctor, inv, {"name": "家属", "relation": "家人", "last_contact": day, "person": family}
        )
        investigation.add_exposure(doctor, inv, {"name": "同事", "last_contact": day})
        onset = day - dt.timedelta(days=3)
        investigation.set_onset_source(doctor, visit.case, onset_date=onset, source="local")
        investigation.complete_investigation(doctor, inv, "household")
    contact = Contact.objects.get(person=family)
    assert contact.setting == "household" and contact.index.case_id == visit.case.pk
    # The R1 window runs from the onset the clinician recorded, not the specimen date.
    assert contact.index.onset_date == onset
    assert inv.exposures.filter(consumed_at__isnull=False).count() == 2
