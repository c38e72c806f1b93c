"""Named, scoped reads of the screening app."""

import datetime as dt

from django.db import models
from django.db.models import Q

from fangkong.core import clock
from fangkong.core.querysets import RestrictedQuerySet, ancestor_paths, is_system


class RulesQuerySet(models.QuerySet):
    pass


class SourceQuerySet(RestrictedQuerySet):
    def usable_by(self, user) -> "SourceQuerySet":  # type: ignore[no-untyped-def]
        """Sources owned by the user's node or any node above it (a city's sources
        serve its counties)."""
        if is_system(user):
            return self
        node = getattr(user, "node", None)
        if node is None:
            return self.none()
        return self.filter(path__in=ancestor_paths(node.path))


class PushedListQuerySet(RestrictedQuerySet):
    pass


class RowQuerySet(RestrictedQuerySet):
    pass


class SubjectQuerySet(RestrictedQuerySet):
    def new_today(self) -> "SubjectQuerySet":
        return self.filter(created_at__date=clock.today())


# A task's states as a count's filter too; overdue = open past `due_at` at `at`.
OPEN = Q(status="open")
DONE = Q(status="done")


def overdue_at(at: dt.datetime) -> Q:
    return OPEN & Q(due_at__lt=at)


class TaskQuerySet(RestrictedQuerySet):
    def open(self) -> "TaskQuerySet":
        return self.filter(OPEN)

    def overdue(self, at: dt.datetime | None = None) -> "TaskQuerySet":
        """Open past the due time, at `at` (default now)."""
        return self.filter(overdue_at(at or clock.now()))

    def for_today(self) -> "TaskQuerySet":
        """The worker's list: every open task, oldest due first (overdue ones on top)."""
        return self.open().order_by("due_at", "pk")

    def under_control(self) -> "TaskQuerySet":
        return self.filter(Q(status="done", outcome__in=["home", "central", "fever_clinic"]))

    def handover_pending(self) -> "TaskQuerySet":
        return self.filter(handover="pending")


class ExceptionQuerySet(RestrictedQuerySet):
    def open(self) -> "ExceptionQuerySet":
        return self.filter(status="open")


class DeclarationReviewQuerySet(RestrictedQuerySet):
    def pending(self) -> "DeclarationReviewQuerySet":
        return self.filter(status="pending")
