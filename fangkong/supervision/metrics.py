"""Figures of supervision for a viewer: escalations, open tasks, counts per level.
Every count goes through `restrict`, so an unannounced inspection not yet recorded
never shows in the figures of the node it concerns."""

import datetime as dt
from typing import Any

from django.db.models import Case, CharField, Count, Q, Value, When
from django.db.models.functions import Substr

from fangkong.core import clock
from fangkong.supervision.models import Finding, Inspection, Rectification, SupervisionRuleSet


def _grace(today: Any) -> int:
    return SupervisionRuleSet.in_force(today).escalation_grace_days


def escalated(user: Any) -> Any:
    """Overdue tasks of the nodes directly below the user's node (escalated to it)."""
    node = getattr(user, "node", None)
    if node is None:
        return Rectification.objects.none()
    today = clock.today()
    return (
        Rectification.objects.restrict(user)
        .overdue(today, _grace(today))
        .escalated_to(node.path)
        .exclude(path=node.path)
    )


def escalated_count(user: Any) -> int:
    return escalated(user).count()


def open_tasks_count(user: Any) -> int:
    return Rectification.objects.restrict(user).filter(status="open").count()


def _bucket(children: list[Any]) -> Any:
    """The child a row lies under: the prefix of its path when siblings' paths have one
    length (codes are fixed-length per level), else a CASE over the children."""
    lengths = {len(c.path) for c in children}
    if len(lengths) == 1:
        return Substr("path", 1, lengths.pop(), output_field=CharField())
    return Case(
        *[When(path__startswith=c.path, then=Value(c.path)) for c in children],
        default=Value(""),
        output_field=CharField(),
    )


def per_level(user: Any, node: Any) -> list[dict]:
    """One row per child of `node` (and a total row): inspections recorded (open and
    unannounced), findings of recorded inspections, rectifications open, overdue and
    closed. Three grouped queries whatever the number of children."""
    from fangkong.geo.models import Division

    children = list(Division.objects.filter(parent=node).order_by("code"))
    rows = {c.path: _row(c.code, c.name) for c in children}
    total = _row(node.code, node.name)
    today = clock.today()
    grace = _grace(today)
    late = today - dt.timedelta(days=grace)
    under = {"path__startswith": node.path}
    bucket = _bucket(children) if children else Value("", output_field=CharField())
    insp = (
        Inspection.objects.restrict(user)
        .filter(recorded_at__isnull=False, **under)
        .annotate(b=bucket)
        .values("b")
        .annotate(o=Count("pk", filter=Q(kind="open")), u=Count("pk", filter=Q(kind="unannounced")))
    )
    for r in insp:
        for target in (rows.get(r["b"]), total):
            if target is not None:
                target["inspections_open"] += r["o"]
                target["inspections_unannounced"] += r["u"]
    finds = (
        Finding.objects.restrict(user)
        .filter(inspection__recorded_at__isnull=False, **under)
        .annotate(b=bucket)
        .values("b")
        .annotate(n=Count("pk"))
    )
    for fr in finds:
        for target in (rows.get(fr["b"]), total):
            if target is not None:
                target["findings"] += fr["n"]
    tasks = (
        Rectification.objects.restrict(user)
        .filter(**under)
        .annotate(b=bucket)
        .values("b")
        .annotate(
            o=Count("pk", filter=~Q(status="closed")),
            late=Count("pk", filter=Q(status="open", deadline__lt=late)),
            c=Count("pk", filter=Q(status="closed")),
        )
    )
    for tr in tasks:
        for target in (rows.get(tr["b"]), total):
            if target is not None:
                target["rectifications_open"] += tr["o"]
                target["rectifications_overdue"] += tr["late"]
                target["rectifications_closed"] += tr["c"]
    return [*rows.values(), total]


def _row(code: str, name: str) -> dict:
    return {
        "code": code,
        "name": name,
        "inspections_open": 0,
        "inspections_unannounced": 0,
        "findings": 0,
        "rectifications_open": 0,
        "rectifications_overdue": 0,
        "rectifications_closed": 0,
    }


def with_state(tasks: Any) -> list:
    """The tasks with `state` set: their status, or 'overdue' derived from the date."""
    from fangkong.supervision import rules

    today = clock.today()
    grace = _grace(today)
    out = list(tasks)
    for t in out:
        t.state = rules.rectification_state(t.status, t.deadline, today, grace)
    return out
