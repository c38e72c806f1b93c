"""Scoped, named reads of tracing records."""

import datetime as dt

from fangkong.core.querysets import RestrictedQuerySet


class ContactQuerySet(RestrictedQuerySet):
    def close(self) -> "ContactQuerySet":
        return self.filter(category="close")

    def to_confirm(self) -> "ContactQuerySet":
        return self.filter(status="pending")

    def possible_since(self, day: dt.date) -> "ContactQuerySet":
        """General or secondary contacts exposed since `day` (yellow by R11)."""
        return self.filter(category__in=["general", "secondary"], last_exposure__gte=day).exclude(
            status="dismissed"
        )


class ChainQuerySet(RestrictedQuerySet):
    def chains(self) -> "ChainQuerySet":
        """Transmission chains: connected groups of at least two cases (a case with no
        known link is not a chain)."""
        return self.filter(size__gte=2)

    def active(self) -> "ChainQuerySet":
        return self.chains().filter(active=True)

    def counts(self) -> dict[str, int]:
        """Every chain figure a page shows, from ONE query (dashboard, chains page, home
        card, API and briefing read this, so they cannot disagree)."""
        from django.db.models import Count, Q

        return self.chains().aggregate(
            chains=Count("pk"),
            active=Count("pk", filter=Q(active=True)),
            clusters=Count("pk", filter=Q(is_cluster=True)),
        )
