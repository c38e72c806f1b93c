"""The daily purge (清理): applies the retention rules in force and writes what it erased,
as counts (never contents), to the audit log.

`run_purge(today)` is a plain function for a scheduled job and for `fangkong
purge-retention`. Rows are erased with UPDATE/DELETE statements, not model saves, so the
change log does not copy the erased values into its diffs.

- venue and gate scans (tracing.Scan): deleted `scan_days` after the scan;
- location stays (companion data sets, `<set>/stays/day=YYYY-MM-DD/`): the day partitions
  older than `location_days` are deleted;
- observation periods released more than `closed_record_days` ago: symptom texts of their
  check-ins, notes of their placements and alert tasks, referral reasons erased; dates,
  statuses, readings' flags (fever, symptomatic) kept for the figures;
- screening subjects whose every task was visited and cleared more than
  `closed_record_days` ago: the copied name, masked ID and phone, address and transport
  number on the subject and its pushed rows, and the visit's itinerary, address, measures,
  notes and temperature erased; outcomes, dates, places and origins kept for the figures.
  (The uploaded list file is deleted by screening when its import ends.)
"""

import datetime as dt
import shutil
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from fangkong.core import clock
from fangkong.retention.models import RetentionRules


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


def purge_scans(before: dt.datetime) -> int:
    if not apps.is_installed("fangkong.tracing"):
        return 0
    from fangkong.tracing.models import Scan

    deleted, _by_model = Scan.objects.filter(scanned_at__lt=before).delete()
    return deleted


def purge_location_days(before: dt.date) -> int:
    """Delete the day partitions of every companion data set older than `before`."""
    if not apps.is_installed("fangkong.companions"):
        return 0
    from fangkong.companions.actions import data_root

    root = data_root()
    if not root.is_dir():
        return 0
    removed = 0
    for folder in sorted(root.glob("*/stays/day=*")):
        try:
            day = dt.date.fromisoformat(folder.name.removeprefix("day="))
        except ValueError:
            continue
        if day < before and folder.is_dir():
            shutil.rmtree(folder)
            removed += 1
    return removed


def erase_observation(before: dt.datetime) -> dict[str, int]:
    if not apps.is_installed("fangkong.observation"):
        return {}
    from fangkong.observation.choices import Status
    from fangkong.observation.models import (
        AlertTask,
        CheckIn,
        ObservationPeriod,
        Placement,
        Referral,
    )

    closed = ObservationPeriod.objects.filter(status=Status.RELEASED, ended_at__lt=before)
    checkins = CheckIn.objects.filter(period__in=closed).filter(
        ~Q(other_symptom="") | ~Q(symptoms=[])
    )
    return {
        "observation_periods": closed.count(),
        "checkins_erased": checkins.update(symptoms=[], other_symptom=""),
        "placement_notes_erased": Placement.objects.filter(period__in=closed)
        .exclude(note="")
        .update(note=""),
        "alert_notes_erased": AlertTask.objects.filter(period__in=closed)
        .exclude(note="")
        .update(note=""),
        "referral_reasons_erased": Referral.objects.filter(period__in=closed)
        .exclude(reason="")
        .update(reason=""),
    }


def erase_screening(before: dt.datetime) -> dict[str, int]:
    if not apps.is_installed("fangkong.screening"):
        return {}
    from fangkong.screening.choices import Outcome, TaskStatus
    from fangkong.screening.models import PushedRow, ScreeningSubject, ScreeningTask, Visit

    not_cleared = ScreeningTask.objects.filter(subject=OuterRef("pk")).exclude(
        status=TaskStatus.DONE, outcome=Outcome.CLEARED
    )
    closed = (
        ScreeningSubject.objects.filter(tasks__isnull=False)
        .exclude(Exists(not_cleared))
        .annotate(last_visit=Max("tasks__visited_at"))
        .filter(last_visit__lt=before)
        .exclude(name="", id_masked="", phone_masked="", address="", transport_no="")
    )
    ids = list(closed.values_list("pk", flat=True).distinct())
    counts = {"screening_subjects_erased": 0, "pushed_rows_erased": 0, "visits_erased": 0}
    blank = {"name": "", "id_masked": "", "phone_masked": "", "address": "", "transport_no": ""}
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        counts["screening_subjects_erased"] += ScreeningSubject.objects.filter(pk__in=chunk).update(
            **blank
        )
        counts["pushed_rows_erased"] += PushedRow.objects.filter(subject__in=chunk).update(**blank)
        counts["visits_erased"] += Visit.objects.filter(task__subject__in=chunk).update(
            itinerary="", new_address="", measures="", notes="", temperature=None
        )
    return counts


def record(counts: dict[str, Any], rules: RetentionRules, today: dt.date) -> None:
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(RetentionRules),
        object_pk=str(rules.pk or "defaults"),
        object_repr=f"retention purge {today.isoformat()}",
        action=LogEntry.Action.DELETE,
        changes_text="purge:" + ",".join(f"{k}={v}" for k, v in counts.items()),
        actor=None,
        timestamp=clock.now(),
        additional_data={"path": "", "what": "purge", "day": today.isoformat(), "counts": counts},
    )


def run_purge(today: dt.date | None = None) -> dict[str, int]:
    """Apply the retention rules in force on `today` (the clock's day by default); return
    and audit the counts of what was deleted or erased."""
    today = today or clock.today()
    rules = RetentionRules.in_force(today)
    counts: dict[str, int] = {}
    with transaction.atomic():
        counts["scans_deleted"] = purge_scans(_start_of(today - dt.timedelta(rules.scan_days)))
        closed_before = _start_of(today - dt.timedelta(rules.closed_record_days))
        counts |= erase_observation(closed_before)
        counts |= erase_screening(closed_before)
        record(counts, rules, today)
    # Files last, outside the transaction: a rolled-back erase never loses them.
    counts["location_days_deleted"] = purge_location_days(today - dt.timedelta(rules.location_days))
    if counts["location_days_deleted"]:
        record({"location_days_deleted": counts["location_days_deleted"]}, rules, today)
    return counts
