"""Scoped reads of the public side: named states as queryset methods."""

from typing import Any, Self

from django.db.models import Q

from fangkong.core.querysets import RestrictedQuerySet


class BulletinQuerySet(RestrictedQuerySet):
    def published(self) -> Self:
        return self.filter(status="published")


class QuestionQuerySet(RestrictedQuerySet):
    def open(self) -> Self:
        return self.filter(answered_at__isnull=True)

    def overdue(self, at: Any) -> Self:
        return self.open().filter(due_at__lt=at)

    def published_answers(self, q: str = "") -> Self:
        qs = self.filter(answered_at__isnull=False, published=True)
        q = q.strip()
        if q:
            qs = qs.filter(Q(text__icontains=q) | Q(answer__icontains=q))
        return qs.order_by("-answered_at")


class ApplicationQuerySet(RestrictedQuerySet):
    def queue(self) -> Self:
        """Waiting for a decision, white-listed essential enterprises first (R17)."""
        return self.filter(status__in=["submitted", "inspected"]).order_by(
            "-essential", "submitted_at", "pk"
        )
