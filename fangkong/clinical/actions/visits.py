"""The fever clinic (发热门诊): a visit registered for a found or newly registered person,
its findings, the R7 proposal, hand-over to another doctor and the disposition."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.clinical.actions.cases import open_case
from fangkong.clinical.actions.inputs import listed_choices, parse_temperature, parse_time
from fangkong.clinical.actions.rulesets import visit_r7
from fangkong.clinical.choices import (
    Disposition,
    EpiItem,
    FacilityKind,
    Symptom,
)
from fangkong.clinical.models import (
    ClinicVisit,
    Facility,
    HandOver,
)
from fangkong.core import clock
from fangkong.core.access import NotAllowed, actor, invalid, one_of, require


def find_person(id_number: str) -> Any:
    """The registered person with this resident ID (exact blind-index match), if any.
    A fever clinic receives patients from anywhere, so the exact match is not limited
    to the doctor's area; browsing and name search are."""
    from fangkong.people import identity
    from fangkong.people.models import Person

    try:
        identity.parse_resident_id(id_number, today=clock.today())
    except identity.IdentityError as exc:
        raise invalid("id_number", str(exc)) from None
    return Person.objects.with_resident_id(id_number).active().first()


def _person_for_visit(user: Any, person: Any, id_number: str, person_data: dict) -> Any:
    if person is not None:
        return person
    if id_number:
        found = find_person(id_number)
        if found is not None:
            return found
    if not person_data or not person_data.get("name"):
        raise invalid("person", _("find the patient by resident ID or register them"))
    from fangkong.people.actions import register_person

    data = {**person_data, "id_number": id_number or person_data.get("id_number", "")}
    created, _similar = register_person(user, data, confirm_similar=True)
    return created


def _is_doctor_for(doctor: Any, facility: Facility) -> bool:
    if doctor is None or not doctor.is_active or doctor.role != "medical" or doctor.node is None:
        return False
    return facility.path.startswith(doctor.node.path) or doctor.node.path.startswith(facility.path)


def _findings(visit: ClinicVisit, data: dict[str, Any]) -> None:
    if "temperature" in data:
        visit.temperature = parse_temperature(data.get("temperature"))
    if "symptoms" in data:
        visit.symptoms = listed_choices(data.get("symptoms"), Symptom.values, "symptoms")
    if "epi_items" in data:
        visit.epi_items = listed_choices(data.get("epi_items"), EpiItem.values, "epi_items")
    for name, limit in (("epi_note", 300), ("imaging_note", 300), ("blood_note", 300)):
        if name in data:
            setattr(visit, name, str(data.get(name) or "").strip()[:limit])
    for name in ("imaging_pneumonia", "blood_typical"):
        if name in data:
            setattr(visit, name, bool(data.get(name)))


@transaction.atomic
def register_visit(
    user: Any,
    facility: Facility,
    *,
    person: Any = None,
    id_number: str = "",
    person_data: dict | None = None,
    first_doctor: Any = None,
    arrived_at: Any = None,
    observation_referral: Any = None,
    screening_task: Any = None,
    **findings: Any,
) -> ClinicVisit:
    """A patient walks into a fever clinic: found by resident ID or registered on the
    spot, and given a named first-contact doctor who answers for them until disposed."""
    require(
        user, "add", "clinical.clinicvisit", message=_("your role may not register clinic visits")
    )
    if facility.kind != FacilityKind.FEVER_CLINIC:
        raise invalid("facility", _("visits are registered at a fever clinic"))
    doctor = first_doctor or user
    if not _is_doctor_for(doctor, facility):
        raise invalid("first_doctor", _("the first-contact doctor must be a doctor of this clinic"))
    arrived = parse_time(arrived_at, "arrived_at")
    found = _person_for_visit(user, person, (id_number or "").strip(), person_data or {})
    if observation_referral is not None and observation_referral.period.person_id != found.pk:
        raise invalid("observation_referral", _("the referral is for another person"))
    if screening_task is not None and screening_task.subject.person_id != found.pk:
        raise invalid("screening_task", _("the screening referral is for another person"))
    visit = ClinicVisit(
        facility=facility,
        person=found,
        path=facility.path,
        arrived_at=arrived,
        first_doctor=doctor,
        responsible_doctor=doctor,
        observation_referral=observation_referral,
        screening_task=screening_task,
    )
    if observation_referral is not None and "temperature" not in findings:
        findings["temperature"] = observation_referral.temperature
        findings.setdefault("symptoms", observation_referral.symptoms)
    _findings(visit, findings)
    with actor(user):
        visit.save()
    return visit


@transaction.atomic
def record_findings(user: Any, visit: ClinicVisit, data: dict[str, Any]) -> ClinicVisit:
    """Temperature, symptoms, epidemiological history, imaging and blood findings."""
    require(
        user, "change", "clinical.clinicvisit", message=_("your role may not change clinic visits")
    )
    if not visit.is_open:
        raise invalid("visit", _("this visit is closed"))
    _findings(visit, data)
    with actor(user):
        visit.save()
    return visit


@transaction.atomic
def hand_over(user: Any, visit: ClinicVisit, to_doctor: Any, reason: str) -> HandOver:
    """The responsible doctor hands the patient to another named doctor, explicitly."""
    visit = ClinicVisit.objects.select_for_update().get(pk=visit.pk)
    if not visit.is_open:
        raise invalid("visit", _("this visit is closed"))
    if user.pk != visit.responsible_doctor_id:
        raise NotAllowed(_("only the responsible doctor can hand the patient over"))
    if to_doctor is None or to_doctor.pk == visit.responsible_doctor_id:
        raise invalid("to_doctor", _("name another doctor"))
    if not _is_doctor_for(to_doctor, visit.facility):
        raise invalid("to_doctor", _("the doctor must work at this clinic"))
    if not (reason or "").strip():
        raise invalid("reason", _("say why the patient is handed over"))
    with actor(user):
        handover = HandOver.objects.create(
            visit=visit, from_doctor=user, to_doctor=to_doctor, reason=reason.strip()[:200]
        )
        visit.responsible_doctor = to_doctor
        visit.save(update_fields=["responsible_doctor"])
    return handover


@transaction.atomic
def dispose(
    user: Any,
    visit: ClinicVisit,
    disposition: str,
    *,
    note: str = "",
    diagnosed_at: Any = None,
) -> ClinicVisit:
    """Close the visit: home with follow-up, medical observation (handed over to the
    observation capability) or a suspected case. Only the responsible doctor may."""
    from fangkong.observation import actions as observation
    from fangkong.observation.choices import Reason, ReferralStatus

    visit = ClinicVisit.objects.select_for_update().select_related("facility").get(pk=visit.pk)
    if not visit.is_open:
        raise invalid("visit", _("this visit is already closed"))
    if user.pk != visit.responsible_doctor_id:
        raise NotAllowed(
            _("only the responsible doctor can close this visit (or hand it over first)")
        )
    one_of("disposition", disposition, Disposition)
    note = (note or "").strip()
    referral = visit.observation_referral
    now = clock.now()
    visit.disposition, visit.disposition_note = disposition, note[:300]
    visit.disposed_at, visit.disposed_by = now, user
    with actor(user):
        visit.save(update_fields=["disposition", "disposition_note", "disposed_at", "disposed_by"])
    pending = referral if referral is not None and referral.status == "pending" else None
    if disposition == Disposition.SUSPECTED:
        proposal = visit_r7(visit)
        if proposal.proposed is None and not note:
            raise invalid(
                "note",
                _("the R7 criteria for a suspected case are not met; give the reason"),
            )
        open_case(
            user,
            visit,
            diagnosed_at=diagnosed_at,
            reason=note or _("R7 criteria met at the fever clinic"),
            criteria=proposal.as_dict(),
        )
        if pending is not None:
            observation.resolve_referral(
                user, pending, ReferralStatus.ADMITTED, visit.facility.name
            )
    elif pending is not None:
        observation.resolve_referral(user, pending, ReferralStatus.EXCLUDED, visit.facility.name)
    elif disposition == Disposition.OBSERVATION:
        observation.start_period(
            user, visit.person, reason=Reason.OTHER, last_exposure=clock.today()
        )
    return visit
