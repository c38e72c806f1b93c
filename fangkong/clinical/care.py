"""Writes of hospital care (四集中): facilities, wards and beds, expert teams,
transfers (request → bed → transport → arrival), daily status, discharge and death."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.clinical import rules
from fangkong.clinical.actions.inputs import parse_temperature, parse_time
from fangkong.clinical.actions.rulesets import rules_in_force
from fangkong.clinical.choices import (
    HOLDS_BED,
    NEEDS_EXPERTS,
    OPEN_TRANSFER,
    BedKind,
    FacilityKind,
    Outcome,
    Result,
    Severity,
    Status,
    TeamRole,
    TransferStatus,
)
from fangkong.clinical.models import (
    Bed,
    Case,
    ClassificationChange,
    DailyStatus,
    ExpertMember,
    ExpertTeam,
    Facility,
    Investigation,
    Sample,
    Transfer,
    Ward,
)
from fangkong.core import clock, facts
from fangkong.core.access import actor, invalid, one_of, require, within

# ---------------------------------------------------------------- facilities


@transaction.atomic
def create_facility(user: Any, *, name: str, kind: str, node: Any, address: str = "") -> Facility:
    require(user, "add", "clinical.facility", message=_("your role may not add facilities"))
    one_of("kind", kind, FacilityKind)
    if not within(user, node):
        raise invalid("node", _("the facility must lie in your jurisdiction"))
    if not (name or "").strip():
        raise invalid("name", _("this field is required"))
    facility, _created = Facility.objects.get_or_create(
        node=node, name=name.strip()[:100], kind=kind, defaults={"address": address[:200]}
    )
    return facility


@transaction.atomic
def add_ward(user: Any, facility: Facility, *, name: str, kind: str, beds: int) -> Ward:
    """A ward of one bed kind with `beds` numbered beds."""
    require(user, "change", "clinical.ward", message=_("your role may not change wards"))
    one_of("kind", kind, BedKind)
    if not 1 <= beds <= 500:
        raise invalid("beds", _("between 1 and 500 beds"))
    if Ward.objects.filter(facility=facility, name=name).exists():
        raise invalid("name", _("this ward already exists"))
    ward = Ward(facility=facility, name=name.strip()[:60], kind=kind)
    ward.save()
    Bed.objects.bulk_create(
        [Bed(ward=ward, number=f"{n:02d}", path=ward.path) for n in range(1, beds + 1)]
    )
    return ward


@transaction.atomic
def add_team(user: Any, facility: Facility, name: str, members: list[dict]) -> ExpertTeam:
    """An expert team and its members ({name, specialty, role, user})."""
    require(user, "add", "clinical.expertteam", message=_("your role may not add expert teams"))
    if not members or not any(m.get("role") == TeamRole.LEAD for m in members):
        raise invalid("members", _("a team needs a lead"))
    team = ExpertTeam(facility=facility, name=name.strip()[:80])
    team.save()
    for m in members:
        ExpertMember.objects.create(
            team=team,
            name=str(m["name"])[:50],
            specialty=str(m.get("specialty", ""))[:60],
            role=m.get("role", TeamRole.MEMBER),
            user=m.get("user"),
        )
    return team


def bed_counts(beds: Any) -> dict[str, dict[str, int]]:
    """{bed kind: {total, occupied, free}} over a (restricted) bed queryset."""
    out = {k: {"total": 0, "occupied": 0, "free": 0} for k in BedKind.values}
    for kind, n in (
        beds.filter(active=True).order_by().values_list("ward__kind").annotate(n=Count("pk"))
    ):
        out[kind]["total"] = n
    for kind, n in beds.free().order_by().values_list("ward__kind").annotate(n=Count("pk")):
        out[kind]["free"] = n
    for v in out.values():
        v["occupied"] = v["total"] - v["free"]
    return out


# ---------------------------------------------------------------- transfers


@transaction.atomic
def request_transfer(
    user: Any, case: Case, to_facility: Facility, *, bed_kind: str, reason: str = ""
) -> Transfer:
    """Ask a designated hospital to take the patient."""
    require(user, "add", "clinical.transfer", message=_("your role may not request transfers"))
    if not case.in_care:
        raise invalid("case", _("the patient is no longer in care"))
    if to_facility.kind != FacilityKind.DESIGNATED_HOSPITAL:
        raise invalid("to_facility", _("patients are transferred to a designated hospital"))
    if to_facility.pk == case.facility_id:
        raise invalid("to_facility", _("the patient is already there"))
    one_of("bed_kind", bed_kind, BedKind)
    if Transfer.objects.filter(case=case, status__in=OPEN_TRANSFER).exists():
        raise invalid("case", _("a transfer of this patient is already under way"))
    with actor(user):
        return Transfer.objects.create(
            case=case,
            from_facility=case.facility,
            to_facility=to_facility,
            bed_kind=bed_kind,
            reason=(reason or "")[:200],
            requested_by=user,
            path=to_facility.path,
            from_path=case.facility.path,
        )


@transaction.atomic
def assign_bed(user: Any, transfer: Transfer, ward: Ward, bed: Bed | None = None) -> Transfer:
    """Reserve a free bed of the ward (the given one, or the first free); a full
    ward is refused and nothing is written."""
    require(user, "change", "clinical.transfer", message=_("your role may not assign beds"))
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.status != TransferStatus.REQUESTED:
        raise invalid("transfer", _("a bed can only be assigned to a new request"))
    if ward.facility_id != transfer.to_facility_id:
        raise invalid("ward", _("the ward is not in the receiving hospital"))
    # Lock the ward's beds so two assignments cannot take the same one.
    list(Bed.objects.select_for_update().filter(ward=ward).values_list("pk"))
    free = Bed.objects.filter(ward=ward).free()
    if bed is not None:
        if bed.ward_id != ward.pk:
            raise invalid("bed", _("the bed is not in this ward"))
        if not free.filter(pk=bed.pk).exists():
            raise invalid("bed", _("bed %s is taken") % bed.number)
        chosen = bed
    else:
        chosen_or_none = free.order_by("number").first()
        if chosen_or_none is None:
            raise invalid("ward", _("ward %s is full: choose another ward") % ward.name)
        chosen = chosen_or_none
    transfer.bed, transfer.bed_assigned_at = chosen, clock.now()
    transfer.status = TransferStatus.BED_ASSIGNED
    with actor(user):
        transfer.save(update_fields=["bed", "bed_assigned_at", "status"])
    return transfer


@transaction.atomic
def depart(user: Any, transfer: Transfer, *, vehicle: str, at: Any = None) -> Transfer:
    require(user, "change", "clinical.transfer", message=_("your role may not record transport"))
    if transfer.status != TransferStatus.BED_ASSIGNED:
        raise invalid("transfer", _("assign a bed before the ambulance leaves"))
    if not (vehicle or "").strip():
        raise invalid("vehicle", _("name the ambulance"))
    transfer.departed_at = parse_time(at, "departed_at")
    transfer.vehicle, transfer.status = vehicle.strip()[:40], TransferStatus.IN_TRANSPORT
    with actor(user):
        transfer.save(update_fields=["departed_at", "vehicle", "status"])
    return transfer


def _release_beds(case: Case, at: dt.datetime, keep: Transfer | None = None) -> None:
    held = Transfer.objects.filter(case=case, status__in=HOLDS_BED, released_at__isnull=True)
    if keep is not None:
        held = held.exclude(pk=keep.pk)
    held.update(released_at=at)


@transaction.atomic
def arrive(user: Any, transfer: Transfer, at: Any = None) -> Transfer:
    """The patient is received: the case moves to the hospital (and into its scope);
    the first arrival at a designated hospital is the admission."""
    require(user, "change", "clinical.transfer", message=_("your role may not receive patients"))
    transfer = Transfer.objects.select_for_update().select_related("case").get(pk=transfer.pk)
    if transfer.status != TransferStatus.IN_TRANSPORT:
        raise invalid("transfer", _("the patient is not in transport"))
    when = parse_time(at, "arrived_at")
    if transfer.departed_at and when < transfer.departed_at:
        raise invalid("arrived_at", _("the arrival cannot precede the departure"))
    transfer.arrived_at, transfer.status = when, TransferStatus.ARRIVED
    case = transfer.case
    hospital = transfer.to_facility
    case.facility, case.path = hospital, hospital.path
    fields = ["facility", "path"]
    if case.admitted_at is None:
        case.admitted_at = when
        fields.append("admitted_at")
    with actor(user):
        transfer.save(update_fields=["arrived_at", "status"])
        case.save(update_fields=fields)
    _release_beds(case, when, keep=transfer)
    Sample.objects.filter(case=case).update(path=case.path)
    Investigation.objects.filter(case=case).update(path=case.path)
    from fangkong.clinical.models import Exposure

    Exposure.objects.filter(investigation__case=case).update(path=case.path)
    return transfer


@transaction.atomic
def cancel_transfer(user: Any, transfer: Transfer, reason: str) -> Transfer:
    require(user, "change", "clinical.transfer", message=_("your role may not cancel transfers"))
    if transfer.status not in OPEN_TRANSFER:
        raise invalid("transfer", _("only a transfer under way can be cancelled"))
    transfer.status, transfer.released_at = TransferStatus.CANCELLED, clock.now()
    transfer.reason = (reason or transfer.reason)[:200]
    with actor(user):
        transfer.save(update_fields=["status", "released_at", "reason"])
    return transfer


# ---------------------------------------------------------------- in hospital


@transaction.atomic
def assign_experts(user: Any, case: Case, team: ExpertTeam) -> Case:
    require(user, "change", "clinical.case", message=_("your role may not assign expert teams"))
    if team.facility_id != case.facility_id:
        raise invalid("team", _("the team must belong to the patient's hospital"))
    case.expert_team = team
    with actor(user):
        case.save(update_fields=["expert_team"])
    return case


@transaction.atomic
def record_daily(user: Any, case: Case, data: dict[str, Any]) -> DailyStatus:
    """The day's clinical status (one per day; a second entry corrects the first)."""
    require(user, "change", "clinical.case", message=_("your role may not record clinical status"))
    if not case.in_care:
        raise invalid("case", _("the patient is no longer in care"))
    day = data.get("day") or clock.today()
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day)
        except ValueError:
            raise invalid("day", _("not a date (YYYY-MM-DD)")) from None
    if day > clock.today():
        raise invalid("day", _("the day cannot be in the future"))
    temp = parse_temperature(data.get("max_temperature"), "max_temperature")
    if temp is None:
        raise invalid("max_temperature", _("this field is required"))
    severity = data.get("severity") or case.severity or Severity.MILD
    one_of("severity", severity, Severity)
    with actor(user):
        status, _created = DailyStatus.objects.update_or_create(
            case=case,
            day=day,
            defaults={
                "max_temperature": temp,
                "severity": severity,
                "symptoms_improved": bool(data.get("symptoms_improved")),
                "imaging_improved": bool(data.get("imaging_improved")),
                "note": str(data.get("note") or "")[:300],
                "by": user,
            },
        )
    return status


def discharge_check(case: Case) -> rules.R8Result:
    """R8 over the stored facts: daily temperatures, the latest status' improvement
    flags, negative samples taken after the last positive one."""
    r = rules_in_force(clock.today())
    daily = list(case.daily.order_by("day"))
    last = daily[-1] if daily else None
    samples = case.samples.exclude(result="")
    last_positive = (
        samples.filter(result=Result.POSITIVE)
        .order_by("-taken_at")
        .values_list("taken_at", flat=True)
    ).first()
    negatives = samples.filter(result=Result.NEGATIVE)
    if last_positive is not None:
        negatives = negatives.filter(taken_at__gt=last_positive)
    return rules.r8(
        daily=[(d.day, d.max_temperature) for d in daily],
        symptoms_improved=bool(last and last.symptoms_improved),
        imaging_improved=bool(last and last.imaging_improved),
        negatives_after_last_positive=list(negatives.values_list("taken_at", flat=True)),
        today=clock.today(),
        r=r,
    )


def _close(user: Any, case: Case, outcome: str, when: dt.datetime, reason: str, **kw: Any) -> None:
    ClassificationChange.objects.create(
        case=case,
        from_status=case.status,
        to_status=case.status,
        severity=case.severity,
        outcome=outcome,
        diagnosed_at=when,
        reason=reason[:500],
        by=user,
        **kw,
    )
    case.outcome, case.outcome_at = outcome, when
    with actor(user):
        case.save(update_fields=["outcome", "outcome_at"])
    _release_beds(case, when)
    Transfer.objects.filter(case=case, status__in=OPEN_TRANSFER).update(
        status=TransferStatus.CANCELLED, released_at=when
    )
    facts.changed(facts.CASE, [case.person_id], case=case.pk, status=case.status)


@transaction.atomic
def discharge(user: Any, case: Case, *, override_reason: str = "", at: Any = None) -> Case:
    """Discharge (R8 checked and kept with the change); without R8 only when a doctor
    overrides with a written reason. Starts the 14-day post-discharge observation
    through the observation capability."""
    from fangkong.observation import actions as observation
    from fangkong.observation.choices import Reason

    require(user, "discharge", "clinical.case", message=_("your role may not discharge patients"))
    case = Case.objects.select_for_update().select_related("person").get(pk=case.pk)
    if case.outcome:
        raise invalid("case", _("the case is closed (%s)") % case.get_outcome_display())
    if case.status not in (Status.CONFIRMED, Status.ASYMPTOMATIC):
        raise invalid("case", _("only confirmed or asymptomatic patients are discharged"))
    when = parse_time(at, "at")
    check = discharge_check(case)
    override = (override_reason or "").strip()
    if not check.met and not override:
        missing = [
            k
            for k in (
                "temperature_normal",
                "symptoms_improved",
                "imaging_improved",
                "negative_tests",
            )
            if not getattr(check, k)
        ]
        raise ValidationError(
            {
                "override_reason": [
                    _(
                        "the R8 discharge criteria are not met (%s); a doctor may override "
                        "with a written reason"
                    )
                    % ", ".join(missing)
                ]
            }
        )
    reason = override if not check.met else (override or _("R8 discharge criteria met"))
    _close(
        user,
        case,
        Outcome.DISCHARGED,
        when,
        reason,
        criteria=check.as_dict(),
        override=not check.met,
    )
    observation.start_period(
        user,
        case.person,
        reason=Reason.POST_DISCHARGE,
        last_exposure=timezone.localdate(when),
        start_date=timezone.localdate(when),
    )
    return case


@transaction.atomic
def record_death(user: Any, case: Case, *, cause: str, at: Any = None) -> Case:
    require(user, "discharge", "clinical.case", message=_("your role may not record outcomes"))
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.outcome:
        raise invalid("case", _("the case is closed (%s)") % case.get_outcome_display())
    if not (cause or "").strip():
        raise invalid("cause", _("give the cause of death"))
    when = parse_time(at, "at")
    _close(user, case, Outcome.DIED, when, cause.strip())
    return case


def needs_experts(case: Case) -> bool:
    return case.in_care and case.severity in NEEDS_EXPERTS and case.expert_team_id is None
