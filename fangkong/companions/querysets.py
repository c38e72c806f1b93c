import datetime as dt

from django.db import models

from fangkong.core import clock
from fangkong.core.querysets import RestrictedQuerySet


class CandidateQuerySet(RestrictedQuerySet):
    def pending(self) -> "CandidateQuerySet":
        return self.filter(decision="pending")

    def ranked(self) -> "CandidateQuerySet":
        return self.order_by("case_id", "rank")


class RulesQuerySet(models.QuerySet):
    """Dated configuration, city-wide: not scoped to a jurisdiction."""

    def in_force(self, day: dt.date | None = None) -> "RulesQuerySet":
        day = day or clock.today()
        return self.filter(effective_from__lte=day).order_by("-effective_from")
