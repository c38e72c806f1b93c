"""Screening progress (“三清”: stock and increment) per node and per child node: a few
grouped queries over the restricted querysets, so the same figures serve the page, the
XLSX export and the API."""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone

from fangkong.core import clock
from fangkong.core.querysets import RestrictedQuerySet
from fangkong.geo.counters import grouped_by_child
from fangkong.geo.models import Division
from fangkong.screening import rules
from fangkong.screening.choices import HANDOVER_OUTCOMES, Outcome
from fangkong.screening.models import (
    ExceptionItem,
    ScreeningRules,
    ScreeningSubject,
    ScreeningTask,
)


@dataclass
class Figures:
    node: Division
    pushed: int = 0
    new_today: int = 0
    visited: int = 0
    open: int = 0
    overdue: int = 0
    escalated: int = 0
    exceptions: int = 0
    handover_pending: int = 0
    stock: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    minutes: list[int] = field(default_factory=list)

    @property
    def cleared(self) -> int:
        return self.outcomes.get(Outcome.CLEARED, 0)

    @property
    def under_control(self) -> int:
        return sum(self.outcomes.get(o, 0) for o in HANDOVER_OUTCOMES)

    @property
    def median_minutes(self) -> float | None:
        return rules.median(self.minutes)

    @property
    def visited_percent(self) -> int | None:
        return rules.percent(self.visited, self.pushed)

    def metrics(self) -> dict[str, int]:
        return {
            "pushed": self.pushed,
            "visited": self.visited,
            "cleared": self.cleared,
            "under_control": self.under_control,
            "open": self.open,
            "overdue": self.overdue,
            "escalated": self.escalated,
            "exceptions": self.exceptions,
            "handover_pending": self.handover_pending,
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.node.code,
            "name": self.node.name,
            "level": self.node.level,
            **self.metrics(),
            "new_today": self.new_today,
            "stock": self.stock,
            "outcomes": {o: self.outcomes.get(o, 0) for o in Outcome.values},
            "median_minutes_to_visit": self.median_minutes,
        }


def _start_of_today() -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(clock.today(), dt.time()))


def _grouped(
    qs: RestrictedQuerySet, parent: Division, children: Sequence[Division], *fields: str
) -> dict[str, list[dict]]:
    """Rows of `qs` grouped by the child subtree their path lies in (and `fields`)."""
    out: dict[str, list[dict]] = defaultdict(list)
    for path, row in grouped_by_child(qs, parent, children, *fields, n=Count("pk")):
        out[path].append(row)
    return out


def figures(user: Any, node: Division) -> tuple[Figures, list[Figures]]:
    """(the node's own figures, one per child) as the user may see them."""
    children = list(Division.objects.restrict(user, "view").filter(parent=node).order_by("code"))
    own = _collect(user, node, [node])[node.path]
    per_child = _collect(user, node, children) if children else {}
    return own, [per_child[c.path] for c in children]


def remainder(own: Figures, children: list[Figures]) -> Figures | None:
    """What sits at the node itself, in no child (a village's tasks not yet in a grid,
    a town's exceptions); None when nothing does."""
    rest = Figures(own.node)
    _merge(rest, own)
    for f in children:
        for name in SUMMED:
            setattr(rest, name, getattr(rest, name) - getattr(f, name))
        for key, n in f.outcomes.items():
            rest.outcomes[key] = rest.outcomes.get(key, 0) - n
    rest.minutes = []
    if not any(getattr(rest, name) for name in SUMMED):
        return None
    return rest


SUMMED = (
    "pushed",
    "new_today",
    "visited",
    "open",
    "overdue",
    "escalated",
    "exceptions",
    "handover_pending",
    "stock",
)


def _merge(total: Figures, f: Figures) -> None:
    for name in SUMMED:
        setattr(total, name, getattr(total, name) + getattr(f, name))
    for key, n in f.outcomes.items():
        total.outcomes[key] = total.outcomes.get(key, 0) + n
    total.minutes.extend(f.minutes)


def _collect(user: Any, parent: Division, children: Sequence[Division]) -> dict[str, Figures]:
    result = {c.path: Figures(c) for c in children}
    now, start = clock.now(), _start_of_today()
    subjects = ScreeningSubject.objects.restrict(user, "view")
    tasks = ScreeningTask.objects.restrict(user, "view")

    def count(qs: Any, field: str) -> None:
        for prefix, rows in _grouped(qs, parent, children).items():
            setattr(result[prefix], field, sum(r["n"] for r in rows))

    count(subjects, "pushed")
    count(subjects.filter(created_at__gte=start), "new_today")
    for prefix, rows in _grouped(tasks, parent, children, "status", "outcome", "handover").items():
        for r in rows:
            _add_task_row(result[prefix], r)
    count(tasks.filter(status="open", due_at__lt=now), "overdue")
    stock = tasks.filter(created_at__lt=start).filter(
        Q(status__in=["open", "escalated"]) | Q(outcome__in=list(HANDOVER_OUTCOMES))
    )
    count(stock, "stock")
    count(ExceptionItem.objects.restrict(user, "view").filter(status="open"), "exceptions")
    for length in {len(c.path) for c in children}:
        visited = (
            tasks.under(parent.path)
            .filter(minutes_to_visit__isnull=False)
            .annotate(prefix=Substr("path", 1, length))
            .values_list("prefix", "minutes_to_visit")
            .iterator(chunk_size=5000)
        )
        for prefix, minutes in visited:
            if prefix in result and minutes is not None:
                result[prefix].minutes.append(minutes)
    return result


def _add_task_row(f: Figures, r: dict[str, Any]) -> None:
    """One group of tasks (status, outcome, hand-over and their count) into the figures."""
    n = r["n"]
    if r["status"] == "open":
        f.open += n
    else:
        f.visited += n
    if r["status"] == "escalated":
        f.escalated += n
    if r["status"] == "done":
        f.outcomes[r["outcome"]] = f.outcomes.get(r["outcome"], 0) + n
    if r["handover"] == "pending":
        f.handover_pending += n


def checklists(fig: Figures) -> list[dict]:
    """The deployment's named checklists (e.g. 三清一管好) against the node's figures."""
    rule_set = ScreeningRules.in_force()
    return [rules.evaluate_checklist(c, fig.metrics()) for c in rule_set.checklists or []]
