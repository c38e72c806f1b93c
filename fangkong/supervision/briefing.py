"""Supervision's section of the daily briefing (computed for a node, not a viewer).
Only inspections recorded before the cut-off count, so an unannounced inspection in
progress never appears in the briefing the inspected node reads."""

import datetime as dt
from typing import Any

from django.db.models import Count, Q

from fangkong.core.sections import Window
from fangkong.supervision.models import Finding, Inspection, Rectification, SupervisionRuleSet


def briefing_summary(path: str, day: dt.date, cutoff: dt.datetime) -> dict[str, Any]:
    since = cutoff - dt.timedelta(hours=24)
    done = Inspection.objects.filter(
        path__startswith=path, recorded_at__isnull=False, recorded_at__lte=cutoff
    )
    agg = done.aggregate(
        open=Count("pk", filter=Q(kind="open")),
        unannounced=Count("pk", filter=Q(kind="unannounced")),
        new=Count("pk", filter=Q(recorded_at__gt=since)),
    )
    agg["findings"] = Finding.objects.filter(
        path__startswith=path,
        inspection__recorded_at__isnull=False,
        inspection__recorded_at__lte=cutoff,
    ).count()
    late = day - dt.timedelta(days=SupervisionRuleSet.in_force(day).escalation_grace_days)
    agg.update(
        Rectification.objects.filter(path__startswith=path, created_at__lte=cutoff).aggregate(
            tasks_open=Count("pk", filter=~Q(status="closed")),
            tasks_overdue=Count("pk", filter=Q(status="open", deadline__lt=late)),
            tasks_closed=Count("pk", filter=Q(status="closed")),
        )
    )
    return agg


def section(path: str, window: Window) -> dict[str, Any]:
    """The section as the briefing asks for it (registered in SupervisionConfig.ready)."""
    return briefing_summary(path, window.as_of, window.end)
