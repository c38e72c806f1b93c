"""Counts shown beside each node of the jurisdiction browser.

Each app registers a counter: a function (user, parent, children) → {child code: n}
computed with one grouped query over the restricted queryset. The browser and the
API show whatever is registered, so a new app adds its column without touching geo.
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr

from fangkong.geo.models import Division


@dataclass(frozen=True)
class Counter:
    key: str
    label: Any
    count: Callable[[Any, Division, Sequence[Division]], dict[str, int]]


_counters: dict[str, Counter] = {}


def register(
    key: str, label: Any, count: Callable[[Any, Division, Sequence[Division]], dict[str, int]]
) -> None:
    _counters[key] = Counter(key, label, count)


def register_rows(key: str, label: Any, rows: Callable[[Any], QuerySet]) -> None:
    """Register the count of `rows(user)` (a restricted queryset of records placed by their
    `path`) under each child node: the usual counter, in one line."""
    register(
        key, label, lambda user, parent, children: count_by_child(rows(user), parent, children)
    )


def all_counters() -> list[Counter]:
    return list(_counters.values())


def grouped_by_child(
    qs: QuerySet,
    parent: Division,
    children: Sequence[Division],
    *fields: str,
    path_field: str = "path",
    **aggregates: Any,
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Rows of `qs` (already restricted) grouped by the child subtree their path lies in
    (and by `fields`), each group with `aggregates`: (the child's path, the group's row).

    Children of one parent usually share a code length, so one GROUP BY on a path
    prefix answers for all; otherwise one query per distinct length.
    """
    by_len: dict[int, set[str]] = {}
    for child in children:
        by_len.setdefault(len(child.path), set()).add(child.path)
    for length, paths in by_len.items():
        rows = (
            qs.filter(**{f"{path_field}__startswith": parent.path})
            .annotate(prefix=Substr(path_field, 1, length))
            .values("prefix", *fields)
            .annotate(**aggregates)
            .order_by()
        )
        for row in rows:
            if row["prefix"] in paths:
                yield row["prefix"], row


def count_by_child(
    qs: QuerySet, parent: Division, children: Sequence[Division], path_field: str = "path"
) -> dict[str, int]:
    """{child code: the rows of `qs` (already restricted) in the child's subtree}."""
    result: dict[str, int] = {c.code: 0 for c in children}
    codes = {c.path: c.code for c in children}
    groups = grouped_by_child(qs, parent, children, path_field=path_field, n=Count("pk"))
    for path, row in groups:
        result[codes[path]] = row["n"]
    return result


def child_counts(
    user: Any, parent: Division, children: Sequence[Division]
) -> dict[str, dict[str, int]]:
    """{counter key: {child code: n}} for every registered counter."""
    return {c.key: c.count(user, parent, children) for c in _counters.values()}


def total_counts(user: Any, node: Division) -> dict[str, int]:
    return {
        c.key: c.count(user, node.parent or node, [node]).get(node.code, 0)
        for c in _counters.values()
    }
