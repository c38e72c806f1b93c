"""The observation section of the daily briefing: periods open, started in the 24 hours
before the cut-off, released and referred; yesterday's check-ins and the periods that
did not report; open alert tasks. Registered in ObservationConfig.ready."""

import datetime as dt
from typing import Any

from django.db.models import Count, Q

from fangkong.core.sections import Window, under
from fangkong.observation.choices import Status, TaskStatus
from fangkong.observation.models import AlertTask, CheckIn, ObservationPeriod
from fangkong.observation.querysets import OPEN


def section(path: str, window: Window) -> dict[str, Any]:
    periods = under(ObservationPeriod, path)
    agg = periods.aggregate(
        open=Count("pk", filter=OPEN),
        started=Count("pk", filter=Q(created_at__gt=window.start, created_at__lte=window.end)),
        released=Count("pk", filter=Q(status=Status.RELEASED)),
        referred=Count("pk", filter=Q(status=Status.REFERRED)),
        total=Count("pk"),
    )
    yesterday = window.as_of - dt.timedelta(days=1)
    agg["checked_in_yesterday"] = periods.reporting_on(yesterday).count()
    agg["not_reporting_yesterday"] = periods.not_reporting_on(yesterday).count()
    agg["checkins_yesterday"] = under(CheckIn, path).on(yesterday).count()
    agg["alerts_open"] = under(AlertTask, path).filter(status=TaskStatus.OPEN).count()
    return agg
