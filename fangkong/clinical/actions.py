"""Writes of the fever clinic and the case: visits, hand-overs, dispositions,
classification, samples and results, reporting clocks, investigations and clusters.
One function per verb, each in a transaction; bad input raises ValidationError naming
the field, a role that may not act raises PermissionError. Hospital care (transfers,
beds, daily status, discharge, death) is in `care.py`, samples in `samples.py`,
investigations and clusters in `investigation.py`."""

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.clinical import rules
from fangkong.clinical.choices import (
    REPORTABLE,
    Disposition,
    EpiItem,
    FacilityKind,
    Result,
    Severity,
    Status,
    Symptom,
)
from fangkong.clinical.models import (
    Case,
    ClassificationChange,
    ClinicalRules,
    ClinicVisit,
    Cluster,
    Facility,
    HandOver,
    Investigation,
)
from fangkong.core import clock, facts, readings
from fangkong.core.access import actor, invalid, require


def rules_in_force(day: dt.date) -> ClinicalRules:
    """The rule set in force on `day` (see DatedRuleSet.in_force)."""
    return ClinicalRules.in_force(day)


def parse_time(value: Any, field: str) -> dt.datetime:
    """An aware datetime from input (now when empty); never in the future (a few
    minutes of clock skew allowed)."""
    found = optional_time(value, field)
    return clock.now() if found is None else found


def optional_time(value: Any, field: str) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise invalid(field, _("not a date and time (ISO 8601)")) from None
    if not isinstance(value, dt.datetime):
        raise invalid(field, _("not a date and time (ISO 8601)"))
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > clock.now() + dt.timedelta(minutes=5):
        raise invalid(field, _("the time cannot be in the future"))
    return value


def parse_temperature(value: Any, field: str = "temperature") -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return readings.temperature(value, Decimal("34"), Decimal("43"))
    except readings.NotANumber:
        raise invalid(field, _("the temperature must be a number in °C")) from None
    except readings.OutOfRange:
        raise invalid(field, _("the temperature must be between 34 and 43 °C")) from None


def _choices(values: Any, allowed: list[str], field: str) -> list[str]:
    if not values:
        return []
    if isinstance(values, str):
        values = [v for v in values.split(",") if v.strip()]
    out: list[str] = []
    for v in values:
        v = str(v).strip()
        if v not in allowed:
            raise invalid(field, _("unknown value: %s") % v)
        if v not in out:
            out.append(v)
    return out


# ---------------------------------------------------------------- persons


def find_person(id_number: str) -> Any:
    """The registered person with this resident ID (exact blind-index match), if any.
    A fever clinic receives patients from anywhere, so the exact match is not limited
    to the doctor's area; browsing and name search are."""
    from fangkong.people import rules as people_rules
    from fangkong.people.models import Person

    try:
        people_rules.parse_resident_id(id_number, today=clock.today())
    except people_rules.IdentityError as exc:
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


# ---------------------------------------------------------------- visits


def _is_doctor_for(doctor: Any, facility: Facility) -> bool:
    if doctor is None or not doctor.is_active or doctor.role != "medical" or doctor.node is None:
        return False
    return facility.path.startswith(doctor.node.path) or doctor.node.path.startswith(facility.path)


def _findings(visit: ClinicVisit, data: dict[str, Any]) -> None:
    if "temperature" in data:
        visit.temperature = parse_temperature(data.get("temperature"))
    if "symptoms" in data:
        visit.symptoms = _choices(data.get("symptoms"), Symptom.values, "symptoms")
    if "epi_items" in data:
        visit.epi_items = _choices(data.get("epi_items"), EpiItem.values, "epi_items")
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


def visit_r7(visit: ClinicVisit) -> rules.R7Result:
    r = rules_in_force(timezone.localdate(visit.arrived_at))
    clinical = rules.clinical_items(
        temperature=visit.temperature,
        symptoms=visit.symptoms,
        imaging_pneumonia=visit.imaging_pneumonia,
        blood_typical=visit.blood_typical,
        r=r,
    )
    return rules.r7(visit.epi_items, clinical, False, r)


@transaction.atomic
def hand_over(user: Any, visit: ClinicVisit, to_doctor: Any, reason: str) -> HandOver:
    """The responsible doctor hands the patient to another named doctor, explicitly."""
    visit = ClinicVisit.objects.select_for_update().get(pk=visit.pk)
    if not visit.is_open:
        raise invalid("visit", _("this visit is closed"))
    if user.pk != visit.responsible_doctor_id:
        raise PermissionError(_("only the responsible doctor can hand the patient over"))
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
        raise PermissionError(
            _("only the responsible doctor can close this visit (or hand it over first)")
        )
    if disposition not in Disposition.values:
        raise invalid("disposition", _("must be one of %s") % ", ".join(Disposition.values))
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


# ---------------------------------------------------------------- cases


def _county(person: Any) -> str:
    parts = [p for p in person.path.split("/") if p]
    return parts[1] if len(parts) > 1 else (parts[0] if parts else "")


def _case_number(case: Case) -> str:
    return f"{case.facility.node.code[:6]}-{case.diagnosed_at:%Y%m%d}-{case.pk:05d}"


@transaction.atomic
def open_case(
    user: Any,
    visit: ClinicVisit,
    *,
    diagnosed_at: Any = None,
    reason: str,
    criteria: dict | None = None,
    status: str = Status.SUSPECTED,
) -> Case:
    """A suspected case (or, found by screening, an asymptomatic infection) from a visit."""
    require(user, "classify", "clinical.case", message=_("your role may not classify cases"))
    when = parse_time(diagnosed_at, "diagnosed_at")
    if when < visit.arrived_at - dt.timedelta(days=1):
        raise invalid("diagnosed_at", _("the diagnosis cannot be long before the visit"))
    with actor(user):
        case = Case.objects.create(
            number=secrets.token_hex(8),
            person=visit.person,
            visit=visit,
            facility=visit.facility,
            path=visit.facility.path,
            home_path=visit.person.path,
            county=_county(visit.person),
            status="",
            diagnosed_at=when,
        )
        case.number = _case_number(case)
        case.save(update_fields=["number"])
    return _change(user, case, status, diagnosed_at=when, reason=reason, criteria=criteria or {})


def proposal(case: Case) -> rules.R7Result:
    """R7 on the case: the visit's findings plus any positive nucleic acid test."""
    positive = case.samples.filter(result=Result.POSITIVE).exists()
    if case.visit is not None:
        base = visit_r7(case.visit)
        r = rules_in_force(timezone.localdate(case.diagnosed_at))
        return rules.r7(base.epi, base.clinical, positive, r)
    return rules.R7Result((), (), positive, Status.CONFIRMED if positive else None)


def _change(
    user: Any,
    case: Case,
    to_status: str,
    *,
    diagnosed_at: dt.datetime,
    reason: str,
    severity: str = "",
    criteria: dict,
) -> Case:
    confirming = to_status in (Status.CONFIRMED, Status.ASYMPTOMATIC) and case.confirmed_at is None
    if confirming and case.onset_date and timezone.localdate(diagnosed_at) < case.onset_date:
        raise invalid(
            "diagnosed_at",
            _("the confirmation cannot be before the onset date (%s)") % case.onset_date,
        )
    r = rules_in_force(timezone.localdate(diagnosed_at))
    from_status = case.status
    ClassificationChange.objects.create(
        case=case,
        from_status=from_status,
        to_status=to_status,
        severity=severity,
        diagnosed_at=diagnosed_at,
        reason=reason[:500],
        criteria=criteria,
        by=user,
    )
    fields = ["status", "severity"]
    case.status, case.severity = to_status, severity
    newly_reportable = to_status in REPORTABLE and (to_status != from_status or from_status == "")
    if newly_reportable:
        # Each new class is reported within the R9 window of its own diagnosis.
        case.report_due = rules.deadlines(
            status=to_status, diagnosed_at=diagnosed_at, county_first=False, r=r
        ).report
        case.reported_at = None
        fields += ["report_due", "reported_at"]
        if case.investigation_due is None:
            d = rules.deadlines(
                status=to_status, diagnosed_at=diagnosed_at, county_first=False, r=r
            )
            case.investigation_due = d.investigation
            fields.append("investigation_due")
            Investigation.objects.get_or_create(case=case, defaults={"path": case.path})
    if to_status in (Status.CONFIRMED, Status.ASYMPTOMATIC) and case.confirmed_at is None:
        case.confirmed_at = diagnosed_at
        fields.append("confirmed_at")
        earlier = Case.objects.filter(county=case.county, confirmed_at__isnull=False).exclude(
            pk=case.pk
        )
        if not earlier.exists():
            case.county_first = True
            case.emergency_due = rules.deadlines(
                status=to_status, diagnosed_at=diagnosed_at, county_first=True, r=r
            ).emergency
            fields += ["county_first", "emergency_due"]
    if to_status == Status.EXCLUDED:
        case.report_due = case.investigation_due = None
        fields += ["report_due", "investigation_due"]
    with actor(user):
        case.save(update_fields=fields)
    if to_status in (Status.CONFIRMED, Status.ASYMPTOMATIC) and case.setting:
        from fangkong.clinical.investigation import detect_cluster

        detect_cluster(case)
    # The class is a fact about the person: the health code, contact tracing (an index
    # case on confirmation) and any other consumer follow through the registry.
    facts.changed(facts.CASE, [case.person_id], case=case.pk, status=to_status)
    return case


@transaction.atomic
def classify(
    user: Any,
    case: Case,
    to_status: str,
    *,
    reason: str,
    severity: str = "",
    diagnosed_at: Any = None,
) -> Case:
    """The doctor confirms (or overrules, with a reason) the class R7 proposes."""
    require(user, "classify", "clinical.case", message=_("your role may not classify cases"))
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.outcome:
        raise invalid("case", _("the case is closed (%s)") % case.get_outcome_display())
    if to_status not in Status.values or not rules.may_move(case.status, to_status):
        raise invalid(
            "status",
            _("a %(now)s case cannot become %(to)s") % {"now": case.status, "to": to_status},
        )
    when = parse_time(diagnosed_at, "diagnosed_at")
    if to_status == Status.CONFIRMED:
        if severity not in Severity.values:
            raise invalid("severity", _("give the severity of the confirmed case"))
        if case.status == Status.CONFIRMED and severity == case.severity:
            raise invalid("severity", _("the severity is unchanged"))
    elif severity:
        raise invalid("severity", _("only confirmed cases have a severity"))
    found = proposal(case)
    if to_status in (Status.CONFIRMED, Status.ASYMPTOMATIC) and not found.nat_positive:
        raise invalid("status", _("confirmation needs a positive nucleic acid test"))
    reason = (reason or "").strip()
    if not reason:
        if to_status == Status.EXCLUDED or found.proposed != to_status:
            raise invalid("reason", _("give the reason for this class"))
        reason = _("as proposed by R7")
    return _change(
        user,
        case,
        to_status,
        diagnosed_at=when,
        reason=reason,
        severity=severity,
        criteria=found.as_dict(),
    )


# ---------------------------------------------------------------- reporting (R9)
# The direct network report (网络直报) of a case is its national report card: the card is
# exported and the direct-reporting system's acknowledgement closes the report clock
# (`Case.reported_at`, set by `exchange.cards.acknowledge`; docs/report-card.md). There is
# no other way to mark a case reported. The emergency report of a county's first case and
# of a cluster (突发公共卫生事件报告) go to another system and are recorded here.


@transaction.atomic
def mark_emergency_reported(user: Any, case: Case, at: Any = None) -> Case:
    require(user, "report", "clinical.case", message=_("your role may not report cases"))
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.emergency_due is None or case.emergency_reported_at is not None:
        raise invalid("case", _("no emergency report is due for this case"))
    case.emergency_reported_at = parse_time(at, "reported_at")
    with actor(user):
        case.save(update_fields=["emergency_reported_at"])
    return case


@transaction.atomic
def report_cluster(user: Any, cluster: Cluster, at: Any = None) -> Cluster:
    require(user, "report", "clinical.cluster", message=_("your role may not report clusters"))
    if cluster.reported_at is not None:
        raise invalid("cluster", _("already reported"))
    cluster.reported_at = parse_time(at, "reported_at")
    with actor(user):
        cluster.save(update_fields=["reported_at"])
    return cluster


RULE_FIELDS = (
    "r7_min_epi",
    "r7_min_clinical_with_epi",
    "r7_min_clinical_without_epi",
    "fever_threshold",
    "r8_normal_days",
    "r8_negative_tests",
    "r8_test_gap_hours",
    "r9_report_hours",
    "r9_investigation_hours",
    "r9_emergency_hours",
    "r10_cluster_threshold",
    "r10_window_days",
    "note",
)


@transaction.atomic
def save_rules(user: Any, data: dict[str, Any]) -> ClinicalRules:
    """Add a rule set from its effective date on (headquarters). A set already in
    force is history and is not rewritten; unset values follow the set before it."""
    require(
        user,
        "change",
        "clinical.clinicalrules",
        message=_("only headquarters may change the rules"),
    )
    effective = data.get("effective_from")
    if not isinstance(effective, dt.date):
        raise invalid("effective_from", _("the effective date is required"))
    existing = ClinicalRules.objects.filter(effective_from=effective).first()
    if existing is not None and effective <= clock.today():
        raise invalid(
            "effective_from", _("a rule set already in force on this date cannot be rewritten")
        )
    base = ClinicalRules.objects.filter(effective_from__lt=effective).first()
    obj = existing or ClinicalRules(effective_from=effective)
    for name in RULE_FIELDS:
        value = data.get(name)
        if value is None or value == "":
            value = getattr(base, name) if base is not None and existing is None else None
        if value is not None:
            setattr(obj, name, value)
    if not 1 <= int(obj.r10_cluster_threshold) <= 50:
        raise invalid("r10_cluster_threshold", _("between 1 and 50 cases"))
    if int(obj.r9_report_hours) < 1 or int(obj.r9_investigation_hours) < 1:
        raise invalid("r9_report_hours", _("a reporting window is at least one hour"))
    with actor(user):
        obj.save()
    return obj
