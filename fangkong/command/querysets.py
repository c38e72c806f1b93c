"""Named, scoped reads of command data: overdue receipts, laggards, open decisions."""

import datetime as dt
from typing import Any, Self

from django.db.models import Q

from fangkong.core.querysets import RestrictedQuerySet, _path_of, allows, ancestor_paths


class SeenBeyondQuerySet(RestrictedQuerySet):
    """Rows issued in the user's subtree, and, to view, also the rows `seen_from` the
    user's path: what headquarters sends down is read where it arrives."""

    def restrict(self, user: Any, action: str = "view") -> Self:
        issued = super().restrict(user, action)
        if action != "view" or not allows(user, self.model, action):
            return issued
        path = _path_of(user)
        if not path:
            return issued
        return self.seen_from(path, Q(path__startswith=path))

    def seen_from(self, path: str, issued: Q) -> Self:
        raise NotImplementedError


class DirectiveQuerySet(SeenBeyondQuerySet):
    def seen_from(self, path: str, issued: Q) -> Self:
        """Issued in the user's subtree, or addressed to a node in it."""
        return self.filter(issued | Q(receipts__path__startswith=path)).distinct()


class ReceiptQuerySet(RestrictedQuerySet):
    def pending(self) -> Self:
        """Still owing something: an acknowledgement or a report back, as required."""
        return self.filter(
            Q(directive__ack_required=True, acknowledged_at__isnull=True)
            | Q(directive__feedback_required=True, reported_at__isnull=True)
        )

    def overdue(self, now: dt.datetime) -> Self:
        """Pending past the directive's deadline (the escalation rule's named query)."""
        return self.pending().filter(directive__deadline__lt=now)

    def escalated_to(self, node: Any) -> Self:
        return self.filter(escalated_to=node)


class DecisionQuerySet(RestrictedQuerySet):
    def open(self) -> Self:
        return self.filter(status="open")

    def overdue(self, day: dt.date) -> Self:
        return self.open().filter(deadline__lt=day)


class SubmissionQuerySet(RestrictedQuerySet):
    def late(self) -> Self:
        return self.filter(on_time=False)


class TemplateQuerySet(SeenBeyondQuerySet):
    def seen_from(self, path: str, issued: Q) -> Self:
        """Issued in the user's subtree, or by a node above the user's own."""
        return self.filter(issued | Q(path__in=ancestor_paths(path)))
