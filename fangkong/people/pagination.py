"""Keyset pagination by primary key: O(page) at any depth, stable under inserts."""

from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass
class KeysetPage:
    items: list
    next_after: int | None
    has_more: bool
    total: int | None = None  # all rows the filters match (set by the caller: one COUNT)
    first: int = 1  # the position of the first item among them

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1


def keyset_page(qs: QuerySet, after: int | None, size: int) -> KeysetPage:
    size = max(1, min(size, 500))
    if after:
        qs = qs.filter(pk__gt=after)
    items = list(qs.order_by("pk")[: size + 1])
    has_more = len(items) > size
    items = items[:size]
    return KeysetPage(items, items[-1].pk if has_more and items else None, has_more)
