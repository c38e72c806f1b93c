"""Scoped, named reads of tracing records."""

import datetime as dt

from fangkong.core.querysets import RestrictedQuerySet


class ScopedQuerySet(RestrictedQuerySet):
    pass


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
    def active(self) -> "ChainQuerySet":
        return self.filter(active=True)
