"""Rules of contact tracing as plain functions over plain values (no database)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

# Settings where sharing the space is the close contact, whatever the measured distance.
SHARED_SPACE = {"household", "medical"}


class InputError(ValueError):
    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


@dataclass(frozen=True)
class Exposure:
    first: dt.date
    last: dt.date
    setting: str
    proximity_m: Decimal | None
    protected: bool


@dataclass(frozen=True)
class Source:
    onset: dt.date | None
    specimen: dt.date | None
    asymptomatic: bool
    isolated_on: dt.date | None


def check_dates(exp: Exposure, src: Source | None, today: dt.date) -> None:
    """Bad input: a last exposure before the first, in the future, after the isolation."""
    if exp.last < exp.first:
        raise InputError("last_exposure", _("the last exposure is before the first exposure"))
    if exp.last > today:
        raise InputError("last_exposure", _("the last exposure cannot be in the future"))
    if src is not None and src.isolated_on is not None and exp.first > src.isolated_on:
        raise InputError(
            "first_exposure",
            _("the exposure is after the case was isolated (%(d)s)") % {"d": src.isolated_on},
        )


def infectious_from(src: Source, rules: Any) -> dt.date | None:
    """The first day a contact counts as close (R1): onset (or the specimen date of an
    asymptomatic case) minus the rule set's days before onset."""
    reference = src.onset
    if (src.asymptomatic or reference is None) and rules.specimen_if_asymptomatic:
        reference = src.specimen or reference
    if reference is None:
        return None
    return reference - dt.timedelta(days=rules.days_before_onset)


def classify(exp: Exposure, src: Source | None, rules: Any) -> tuple[str, str]:
    """(category, reason) by R1 in the given rule set."""
    if src is None:
        return "secondary", _("contact of a close contact")
    start = infectious_from(src, rules)
    if start is None and src.onset is None and src.asymptomatic and src.specimen is not None:
        # e.g. the 2nd–4th editions: close contacts are counted from the onset only
        return "general", _(
            "the protocol of %(r)s counts close contacts from the onset only; "
            "an asymptomatic infection has no onset"
        ) % {"r": rules.effective_from}
    if start is None:
        return "general", _("the case has no onset or specimen date yet")
    if exp.last < start:
        return "general", _("last exposure %(l)s before the infectious period (from %(s)s)") % {
            "l": exp.last,
            "s": start,
        }
    if exp.protected:
        return "general", _("effective protection was worn")
    near = exp.setting in SHARED_SPACE or (
        exp.proximity_m is not None and exp.proximity_m <= rules.proximity_m
    )
    if not near:
        return "general", _("not within %(m)s m") % {"m": rules.proximity_m}
    return "close", _("unprotected, within %(m)s m, from %(s)s (rule of %(r)s)") % {
        "m": rules.proximity_m,
        "s": start,
        "r": rules.effective_from,
    }


def components(nodes: list[int], edges: list[tuple[int, int]]) -> list[list[int]]:
    """Connected groups of nodes (union-find), each sorted, largest first."""
    parent = {n: n for n in nodes}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for n in nodes:
        groups.setdefault(find(n), []).append(n)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: (-len(g), g[0]))


def generations(members: list[int], edges: list[tuple[int, int]]) -> dict[int, int]:
    """Generation of each case in its chain: roots (no infector) are 1."""
    into: dict[int, list[int]] = {}
    for a, b in edges:
        into.setdefault(b, []).append(a)
    gen: dict[int, int] = {}

    def depth(n: int, seen: frozenset[int]) -> int:
        if n in gen:
            return gen[n]
        parents = [p for p in into.get(n, []) if p not in seen]
        value = 1 + max((depth(p, seen | {n}) for p in parents), default=0)
        gen[n] = value
        return value

    for m in members:
        depth(m, frozenset())
    return gen
