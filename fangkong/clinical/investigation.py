"""Writes of case investigations, their exposures and clusters (R10)."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.clinical import rules
from fangkong.clinical.actions.rulesets import rules_in_force
from fangkong.clinical.choices import Source, Status
from fangkong.clinical.models import Case, Cluster, Exposure, Investigation
from fangkong.core import clock
from fangkong.core.access import actor, common_path, invalid, require

# ---------------------------------------------------------------- investigation, clusters


@transaction.atomic
def set_setting(user: Any, case: Case, setting: str) -> Case:
    """Name the small setting (household, workplace, ward…) that links cases (R10)."""
    require(
        user, "change", "clinical.investigation", message=_("your role may not investigate cases")
    )
    case.setting = (setting or "").strip()[:120]
    with actor(user):
        case.save(update_fields=["setting"])
    if case.setting and case.status in (Status.CONFIRMED, Status.ASYMPTOMATIC):
        detect_cluster(case)
    return case


def _local_day(at: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(at) if at is not None else None


def check_onset(case: Case, onset: dt.date | None, field: str = "onset_date") -> None:
    """Refuse an onset date that the case's own dates rule out (message names the field)."""
    if onset is None:
        return
    diagnosed = timezone.localdate(case.diagnosed_at)
    # An asymptomatic infection that develops symptoms is confirmed later: its onset is
    # bounded by that confirmation, not by the earlier lab confirmation (confirmed_at).
    confirmation = (
        case.changes.filter(to_status=Status.CONFIRMED).order_by("at", "pk").first()
        if case.pk
        else None
    )
    confirmed_at = confirmation.diagnosed_at if confirmation else case.confirmed_at
    problem = rules.onset_problem(
        onset,
        today=clock.today(),
        diagnosed=diagnosed,
        confirmed=_local_day(confirmed_at),
        reported=_local_day(case.reported_at),
        max_days=rules_in_force(diagnosed).onset_max_days,
    )
    if problem:
        raise invalid(field, problem)


def _onset_value(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        raise invalid("onset_date", _("not a date (YYYY-MM-DD)"))
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise invalid("onset_date", _("not a date (YYYY-MM-DD)")) from None
    if not isinstance(value, dt.date):
        raise invalid("onset_date", _("not a date (YYYY-MM-DD)"))
    return value


@transaction.atomic
def set_onset_source(
    user: Any, case: Case, *, onset_date: Any = None, source: str, source_note: str = ""
) -> Case:
    """Record the symptom-onset date (empty: unknown, or no symptoms) and where the
    infection was acquired; the briefing draws its curve and Rt from these."""
    require(
        user, "change", "clinical.investigation", message=_("your role may not investigate cases")
    )
    onset = _onset_value(onset_date)
    source = str(source or "").strip()
    if source not in Source.values:
        raise invalid("source", _("unknown value: %s") % source[:30])
    note = str(source_note or "").strip()
    if len(note) > 120:
        raise invalid("source_note", _("at most 120 characters"))
    if note and source == Source.LOCAL:
        raise invalid("source_note", _("a place of origin is for imported cases only"))
    check_onset(case, onset)
    case.onset_date, case.source, case.source_note = onset, source, note
    with actor(user):
        case.save(update_fields=["onset_date", "source", "source_note"])
    return case


@transaction.atomic
def add_exposure(user: Any, investigation: Investigation, data: dict[str, Any]) -> Exposure:
    require(user, "add", "clinical.exposure", message=_("your role may not record exposures"))
    name = str(data.get("name") or "").strip()
    if not name:
        raise invalid("name", _("this field is required"))
    last = data.get("last_contact")
    if isinstance(last, str):
        try:
            last = dt.date.fromisoformat(last)
        except ValueError:
            raise invalid("last_contact", _("not a date (YYYY-MM-DD)")) from None
    if not isinstance(last, dt.date):
        raise invalid("last_contact", _("this field is required"))
    if last > clock.today():
        raise invalid("last_contact", _("the contact cannot be in the future"))
    with actor(user):
        exposure = Exposure.objects.create(
            investigation=investigation,
            name=name[:60],
            relation=str(data.get("relation") or "")[:40],
            setting=str(data.get("setting") or "")[:120],
            last_contact=last,
            person=data.get("person"),
            note=str(data.get("note") or "")[:200],
            path=investigation.path,
        )
    if investigation.completed_at is not None:
        # Found after the investigation closed: handed over at once.
        from fangkong.clinical.hooks import exposure_consumers

        for consumer in exposure_consumers():
            consumer(investigation, [exposure])
    return exposure


@transaction.atomic
def complete_investigation(user: Any, investigation: Investigation, summary: str) -> Investigation:
    """Close the investigation (R9: within 24 h) and offer the exposures to contact
    tracing through the registered consumers (none until that capability exists)."""
    from fangkong.clinical.hooks import exposure_consumers

    require(
        user, "change", "clinical.investigation", message=_("your role may not investigate cases")
    )
    if investigation.completed_at is not None:
        raise invalid("investigation", _("the investigation is already completed"))
    if not (summary or "").strip():
        raise invalid("summary", _("write the investigation summary"))
    now = clock.now()
    investigation.completed_at, investigation.completed_by = now, user
    investigation.summary = summary.strip()
    case = investigation.case
    case.investigated_at = now
    with actor(user):
        investigation.save(update_fields=["completed_at", "completed_by", "summary"])
        case.save(update_fields=["investigated_at"])
    exposures = list(investigation.exposures.filter(consumed_at__isnull=True))
    for consumer in exposure_consumers():
        consumer(investigation, exposures)
    return investigation


def detect_cluster(case: Case) -> Cluster | None:
    """R10: enough confirmed or asymptomatic cases in the case's setting within the
    window raise a cluster (or join the open one), with its 2-hour emergency clock."""
    if not case.setting or case.confirmed_at is None:
        return None
    r = rules_in_force(timezone.localdate(case.confirmed_at))
    start = case.confirmed_at - dt.timedelta(days=r.r10_window_days)
    linked = list(
        Case.objects.filter(
            setting__iexact=case.setting,
            confirmed_at__gte=start,
            confirmed_at__lte=case.confirmed_at + dt.timedelta(days=r.r10_window_days),
        ).exclude(status=Status.EXCLUDED)
    )
    times = [c.confirmed_at for c in linked if c.confirmed_at is not None]
    if not rules.is_cluster(times, max(times), r):
        return None
    cluster = Cluster.objects.filter(setting__iexact=case.setting, detected_at__gte=start).first()
    if cluster is None:
        now = clock.now()
        cluster = Cluster.objects.create(
            setting=case.setting,
            detected_at=now,
            threshold=r.r10_cluster_threshold,
            emergency_due=now + dt.timedelta(hours=r.r9_emergency_hours),
            path=common_path([c.home_path or c.path for c in linked]),  # where they live
        )
    cluster.cases.add(*linked)
    return cluster
