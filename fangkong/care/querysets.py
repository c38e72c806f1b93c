"""Named, scoped reads of difficulties and deeds."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Substr

from fangkong.core import clock
from fangkong.core.querysets import RestrictedQuerySet


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
        at = at or clock.now()
        result = {c.code: {"open": 0, "overdue": 0, "solved": 0} for c in children}
        by_len: dict[int, set[str]] = {}
        for child in children:
            by_len.setdefault(len(child.path), set()).add(child.path)
        for length, paths in by_len.items():
            rows = (
                self.under(parent.path)
                .annotate(prefix=Substr("path", 1, length))
                .values("prefix")
                .annotate(
                    open=Count("pk", filter=~Q(status="solved")),
                    overdue=Count("pk", filter=~Q(status="solved") & Q(deadline__lt=at)),
                    solved=Count("pk", filter=Q(status="solved")),
                )
                .order_by()
            )
            for row in rows:
                if row["prefix"] in paths:
                    code = row["prefix"].rstrip("/").rsplit("/", 1)[-1]
                    result[code] = {k: row[k] for k in ("open", "overdue", "solved")}
        return result

    def totals(self, at: dt.datetime | None = None) -> dict[str, int]:
        at = at or clock.now()
        return self.aggregate(
            open=Count("pk", filter=~Q(status="solved")),
            overdue=Count("pk", filter=~Q(status="solved") & Q(deadline__lt=at)),
            solved=Count("pk", filter=Q(status="solved")),
        )


class DeedQuerySet(RestrictedQuerySet):
    def published(self) -> "DeedQuerySet":
        return self.filter(status="published")

    def waiting(self) -> "DeedQuerySet":
        return self.filter(status="submitted")
