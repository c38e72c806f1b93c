"""Named, scoped reads of difficulties and deeds."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Q

from fangkong.core import clock
from fangkong.core.querysets import RestrictedQuerySet
from fangkong.geo.counters import grouped_by_child


def _tally(at: dt.datetime) -> dict[str, Any]:
    """Open (unsolved), overdue (unsolved past the deadline at `at`) and solved, as the
    aggregates both the levels and the totals count."""
    unsolved = ~Q(status="solved")
    return {
        "open": Count("pk", filter=unsolved),
        "overdue": Count("pk", filter=unsolved & Q(deadline__lt=at)),
        "solved": Count("pk", filter=Q(status="solved")),
    }


class DifficultyQuerySet(RestrictedQuerySet):
    def unsolved(self) -> "DifficultyQuerySet":
        return self.exclude(status="solved")

    def solved(self) -> "DifficultyQuerySet":
        return self.filter(status="solved")

    def overdue(self, at: dt.datetime | None = None) -> "DifficultyQuerySet":
        """Unsolved past their deadline: escalated to the level above."""
        return self.unsolved().filter(deadline__lt=at or clock.now())

    def in_state(self, state: str, at: dt.datetime | None = None) -> "DifficultyQuerySet":
        at = at or clock.now()
        if state == "escalated":
            return self.overdue(at)
        if state == "solved":
            return self.solved()
        if state in ("open", "in_hand"):
            return self.filter(status=state, deadline__gte=at)
        return self

    def of_phone(self, phone_index: str) -> "DifficultyQuerySet":
        return self.filter(phone_index=phone_index)

    def level_counts(
        self, parent: Any, children: Sequence[Any], at: dt.datetime | None = None
    ) -> dict[str, dict[str, int]]:
        """{child code: {open, overdue, solved}} rolled up over each child's subtree,
        in one grouped query per distinct path length (usually one)."""
        tally = _tally(at or clock.now())
        result = {c.code: dict.fromkeys(tally, 0) for c in children}
        codes = {c.path: c.code for c in children}
        for path, row in grouped_by_child(self, parent, children, **tally):
            result[codes[path]] = {k: row[k] for k in tally}
        return result

    def totals(self, at: dt.datetime | None = None) -> dict[str, int]:
        return self.aggregate(**_tally(at or clock.now()))


class DeedQuerySet(RestrictedQuerySet):
    def published(self) -> "DeedQuerySet":
        return self.filter(status="published")

    def waiting(self) -> "DeedQuerySet":
        return self.filter(status="submitted")
