"""Briefing rules as plain functions: the cut-off of a day and the change since yesterday."""

import datetime as dt
from typing import Any

# Figures compared with yesterday's stored briefing: (section, key path).
CHANGE_KEYS: tuple[tuple[str, str], ...] = (
    ("confirmed", "cases.confirmed.cumulative"),
    ("suspected", "cases.suspected.cumulative"),
    ("asymptomatic", "cases.asymptomatic.cumulative"),
    ("deaths", "cases.deaths.cumulative"),
    ("discharged", "cases.discharged.cumulative"),
    ("rt", "epi.rt.latest.mean"),
    ("under_observation", "observation.open"),
    ("screening_open", "screening.open"),
    ("screening_overdue", "screening.overdue"),
    ("persons", "persons.total"),
)


def cutoff_of(day: dt.date, cutoff: dt.time, tz: dt.tzinfo) -> dt.datetime:
    """The briefing of `day` shows the figures as of `cutoff` on that day."""
    return dt.datetime.combine(day, cutoff, tzinfo=tz)


def dig(data: dict[str, Any], keys: str) -> Any:
    value: Any = data
    for k in keys.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(k)
    return value


def change_since(today: dict[str, Any], yesterday: dict[str, Any] | None) -> dict[str, Any]:
    """Each compared figure today, yesterday and the difference (None when either is missing)."""
    out = {}
    for name, keys in CHANGE_KEYS:
        now = dig(today, keys)
        before = dig(yesterday, keys) if yesterday else None
        if now is None and before is None:
            continue
        delta = (
            now - before
            if isinstance(now, int | float) and isinstance(before, int | float)
            else None
        )
        out[name] = {
            "today": now,
            "yesterday": before,
            "delta": round(delta, 4) if delta is not None else None,
        }
    return out
