"""The screening section of the daily briefing: door-to-door tasks created up to the
cut-off (done, open, overdue at the cut-off, new in the 24 hours before it) and new
arrivals. Registered in ScreeningConfig.ready."""

from typing import Any

from django.db.models import Count, Q

from fangkong.core.sections import Window, under
from fangkong.screening.models import ScreeningSubject, ScreeningTask
from fangkong.screening.querysets import DONE, OPEN, overdue_at


def section(path: str, window: Window) -> dict[str, Any]:
    tasks = under(ScreeningTask, path).filter(created_at__lte=window.end)
    agg = tasks.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=DONE),
        open=Count("pk", filter=OPEN),
        overdue=Count("pk", filter=overdue_at(window.end)),
        new=Count("pk", filter=Q(created_at__gt=window.start)),
    )
    agg["arrivals_new"] = (
        under(ScreeningSubject, path)
        .filter(created_at__gt=window.start, created_at__lte=window.end)
        .count()
    )
    agg["completion"] = agg["done"] / agg["total"] if agg["total"] else None
    return agg
