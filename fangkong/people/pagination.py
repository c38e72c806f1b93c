"""Keyset pagination by primary key: O(page) at any depth, stable under inserts."""

from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass
class KeysetPage:
    items: list
    next_after: int | None
    has_more: bool


def keyset_page(qs: QuerySet, after: int | None, size: int) -> KeysetPage:
    size = max(1, min(size, 500))
    if after:
        qs = qs.filter(pk__gt=after)
    items = list(qs.order_by("pk")[: size + 1])
    has_more = len(items) > size
    items = items[:size]
    return KeysetPage(items, items[-1].pk if has_more and items else None, has_more)
