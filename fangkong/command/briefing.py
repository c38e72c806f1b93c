"""The command app's parts of the daily briefing: the response level in force on the
day (a figure of the briefing's header) and the command section — decisions and
directive receipts overdue at the cut-off, and yesterday's reports upward that came late
or not at all. Registered in CommandConfig.ready."""

import datetime as dt
from typing import Any

from django.db.models import Q

from fangkong.command import metrics, rules
from fangkong.command.actions import level_on
from fangkong.command.choices import ResponseGrade
from fangkong.command.models import Decision, DirectiveReceipt, ReportTemplate, Submission
from fangkong.core.querysets import ancestor_paths, system_actor
from fangkong.core.sections import Answer, Window, under


def response_level(path: str, window: Window) -> Answer:
    level = level_on(window.as_of)
    return Answer(level.grade if level else None)


def response_level_label(grade: str) -> str:
    """The stored grade in words ("I" is 一级响应); an unknown code is shown as it is."""
    try:
        return str(ResponseGrade(grade).label)
    except ValueError:
        return grade


def section(path: str, window: Window) -> dict[str, Any]:
    day, cutoff = window.as_of, window.end
    out: dict[str, Any] = {
        "decisions_overdue": under(Decision, path).overdue(day).count(),
        "receipts_overdue": under(DirectiveReceipt, path).overdue(cutoff).count(),
    }
    late = []
    prev = day - dt.timedelta(days=1)
    for t in (
        ReportTemplate.objects.restrict(system_actor(), "view")
        .filter(Q(path__startswith=path) | Q(path__in=ancestor_paths(path)))
        .select_related("node")
    ):
        expected = metrics.expected_nodes(t).filter(path__startswith=path)
        if not rules.is_period(t.schedule, t.starts_on, t.ends_on, prev):
            continue
        on_time = under(Submission, path).filter(template=t, period=prev, on_time=True).count()
        n = expected.count()
        late.append(
            {
                "template": t.name,
                "period": prev.isoformat(),
                "expected": n,
                "late_or_missing": n - on_time,
            }
        )
    out["reports"] = late
    return out
