"""Cases (病例): opened from a visit, classified (疑似/确诊/无症状/排除) with every change
kept, and the emergency reports of a first case and of a cluster.

The direct network report (网络直报) of a case is its national report card: the card is
exported and the direct-reporting system's acknowledgement closes the report clock
(`Case.reported_at`, set by `exchange.cards.acknowledge`; docs/report-card.md). There is
no other way to mark a case reported. The emergency report of a county's first case and
of a cluster (突发公共卫生事件报告) go to another system and are recorded here."""

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.clinical import rules
from fangkong.clinical.actions.inputs import parse_time
from fangkong.clinical.actions.rulesets import rules_in_force, visit_r7
from fangkong.clinical.choices import (
    REPORTABLE,
    Result,
    Severity,
    Status,
)
from fangkong.clinical.models import (
    Case,
    ClassificationChange,
    ClinicVisit,
    Cluster,
    Investigation,
)
from fangkong.core import facts
from fangkong.core.access import actor, invalid, require


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
