"""What the boards show, computed once for pages and API: patients with their clocks,
overdue lists, incoming referrals, free beds, time from confirmation to admission."""

from typing import Any

from django.utils import timezone

from fangkong.clinical import care, rules
from fangkong.clinical.actions import cases as cases_actions
from fangkong.clinical.choices import NEEDS_EXPERTS, Status
from fangkong.clinical.models import Bed, Case, ClinicVisit, Cluster, ExpertTeam, Facility
from fangkong.core.querysets import is_system


def clocks(case: Case, now: Any) -> list[dict]:
    """The R9 clocks of a case: kind, due, done, state (running/overdue/met/late)."""
    out = []
    for kind, due, done in (
        ("report", case.report_due, case.reported_at),
        ("investigation", case.investigation_due, case.investigated_at),
        ("emergency", case.emergency_due, case.emergency_reported_at),
    ):
        state = rules.clock_state(due, done, now)
        if state:
            out.append({"kind": kind, "due": due, "done": done, "state": state})
    return out


def hospitals(user: Any):  # type: ignore[no-untyped-def]
    """Designated hospitals a patient may be sent to: those of the user's city (a
    county clinic sends patients to the city's designated hospital)."""
    if not user.may("clinical.facility", "view"):
        return Facility.objects.none()
    qs = Facility.objects.hospitals().filter(active=True)
    if is_system(user):
        return qs
    if user.node is None:
        return qs.none()
    city = user.node.path.split("/")[0] + "/"
    return qs.under(city)


def pending_referral(user: Any, pk: str) -> Any:
    """A pending observation referral in the user's area, or None."""
    if not pk.isdigit() or not user.may("observation.referral", "view"):
        return None
    from fangkong.observation.models import Referral

    return (
        Referral.objects.restrict(user, "view")
        .filter(pk=int(pk), status="pending")
        .select_related("period__person")
        .first()
    )


def pending_screening(user: Any, pk: str) -> Any:
    """A screening task in the user's area that referred its person to a fever clinic
    and that no visit has picked up yet, or None."""
    if not pk.isdigit() or not user.may("screening.screeningtask", "view"):
        return None
    from fangkong.screening.models import ScreeningTask

    taken = ClinicVisit.objects.filter(screening_task__isnull=False).values("screening_task")
    return (
        ScreeningTask.objects.restrict(user, "view")
        .filter(pk=int(pk), outcome="fever_clinic", handover="pending")
        .exclude(pk__in=taken)
        .select_related("subject__person")
        .first()
    )


def incoming(user: Any) -> dict[str, Any]:
    """Referrals waiting for a fever clinic: from observation (R5) and from screening
    visits whose outcome was a fever-clinic referral and no visit has picked up (every
    one: the board pages them)."""
    out: dict[str, Any] = {"observation": [], "screening": []}
    if user.may("observation.referral", "view"):
        from fangkong.observation.models import Referral

        out["observation"] = (
            Referral.objects.restrict(user, "view")
            .filter(status="pending")
            .select_related("period__person")
            .order_by("created_at", "pk")
        )
    if user.may("screening.screeningtask", "view"):
        from fangkong.screening.models import ScreeningTask

        taken = ClinicVisit.objects.filter(screening_task__isnull=False).values("screening_task")
        out["screening"] = (
            ScreeningTask.objects.restrict(user, "view")
            .filter(outcome="fever_clinic", handover="pending")
            .exclude(pk__in=taken)
            .select_related("subject")
            .order_by("visited_at", "pk")
        )
    return out


def admission_hours(cases: Any) -> list[float]:
    return [
        c.to_admission.total_seconds() / 3600
        for c in cases.filter(admitted_at__isnull=False, confirmed_at__isnull=False).only(
            "admitted_at", "confirmed_at"
        )
        if c.to_admission is not None
    ]


def board(user: Any) -> dict[str, Any]:
    """The board's figures and its lists as querysets (never cut): the page pages them
    with their totals (core.listing), the API counts them."""
    from fangkong.core import clock

    now = clock.now()
    cases = Case.objects.restrict(user, "view")
    active = cases.active().select_related("person", "facility").order_by("report_due", "-pk")
    by_status = {s: 0 for s in Status.values}
    for status in active.values_list("status", flat=True):
        by_status[status] += 1
    hours = admission_hours(cases)
    beds = Bed.objects.restrict(user, "view")
    return {
        "now": now,
        "by_status": by_status,
        "patients": active,
        "overdue": {
            "report": cases.report_overdue(now).select_related("person").order_by("pk"),
            "investigation": cases.investigation_overdue(now)
            .select_related("person")
            .order_by("pk"),
            "emergency": cases.emergency_overdue(now).select_related("person").order_by("pk"),
            "clusters": Cluster.objects.restrict(user, "view")
            .emergency_overdue(now)
            .order_by("pk"),
        },
        "open_visits": ClinicVisit.objects.restrict(user, "view")
        .open()
        .select_related("person", "responsible_doctor", "facility")
        .order_by("arrived_at", "pk"),
        "incoming": incoming(user),
        "beds": care.bed_counts(beds),
        "awaiting_admission": cases.awaiting_admission().count(),
        "needing_experts": cases.needing_experts().count(),
        "admission": {
            "n": len(hours),
            "median": rules.median(hours),
            "buckets": rules.distribution(hours),
        },
        "can_add_visit": user.may("clinical.clinicvisit", "add"),
        "can_import": user.may("clinical.sample", "change"),
    }


def facilities(user: Any) -> dict[str, Any]:
    rows = []
    beds = Bed.objects.restrict(user, "view")
    for f in Facility.objects.restrict(user, "view").select_related("node"):
        counts = care.bed_counts(beds.filter(ward__facility=f))
        rows.append(
            {
                "facility": f,
                "beds": counts,
                "free": sum(v["free"] for v in counts.values()),
                "total": sum(v["total"] for v in counts.values()),
            }
        )
    return {"rows": rows}


def case_context(user: Any, case: Case) -> dict[str, Any]:
    from fangkong.clinical.forms import (
        ClassifyForm,
        DailyForm,
        ExposureForm,
        OnsetSourceForm,
        SampleForm,
        TransferForm,
    )
    from fangkong.core import clock

    now = clock.now()
    transfers = list(case.transfers.select_related("to_facility", "from_facility", "bed__ward"))
    inv = getattr(case, "investigation", None)
    proposal = cases_actions.proposal(case)
    return {
        "case": case,
        "now": now,
        "proposal": proposal,
        "clocks": clocks(case, now),
        "changes": case.changes.select_related("by"),
        "samples": case.samples.select_related("taken_by"),
        "transfers": transfers,
        "wards": {
            t.pk: list(t.to_facility.wards.all()) for t in transfers if t.status == "requested"
        },
        "r8": care.discharge_check(case) if case.status in ("confirmed", "asymptomatic") else None,
        "investigation": inv,
        "exposures": inv.exposures.all() if inv else [],
        "teams": ExpertTeam.objects.restrict(user, "view").filter(facility=case.facility),
        "needs_experts": case.in_care
        and case.severity in NEEDS_EXPERTS
        and not case.expert_team_id,
        "diagnosed_local": timezone.localtime(case.diagnosed_at),
        "classify_form": ClassifyForm(initial={"status": proposal.proposed or case.status}),
        "sample_form": SampleForm(),
        "transfer_form": TransferForm(hospitals=hospitals(user)),
        "daily_form": DailyForm(initial={"severity": case.severity or "mild"}),
        "exposure_form": ExposureForm(),
        "onset_form": OnsetSourceForm(
            initial={
                "onset_date": case.onset_date,
                "source": case.source,
                "source_note": case.source_note,
            }
        ),
        "may": {
            "classify": user.may("clinical.case", "classify"),
            "report": user.may("clinical.case", "report"),
            "sample": user.may("clinical.sample", "add"),
            "transfer": user.may("clinical.transfer", "add"),
            "discharge": user.may("clinical.case", "discharge"),
            "investigate": user.may("clinical.investigation", "change"),
        },
    }
