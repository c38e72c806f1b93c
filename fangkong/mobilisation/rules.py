"""Rest rules (劳逸结合) and other pure rules of mobilisation, over plain values.

`check_rest` judges a proposed shift against a member's other shifts: the length of
the shift, the hours on duty in any rolling 24 hours, the days on duty in a row, and
the rest between two shifts. It returns every broken rule with a message; an overlap
(two shifts at once) cannot be overridden, the others can with a reason.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)

SHIFT_LENGTH = "max_shift_hours"
PER_24H = "max_hours_per_24h"
CONSECUTIVE = "max_consecutive_days"
MIN_REST = "min_rest_hours"
OVERLAP = "overlap"


@dataclass(frozen=True)
class RestRules:
    max_shift_hours: float
    max_hours_per_24h: float
    max_consecutive_days: int
    min_rest_hours: float

    @classmethod
    def of(cls, ruleset: object) -> "RestRules":
        return cls(
            float(ruleset.max_shift_hours),  # type: ignore[attr-defined]
            float(ruleset.max_hours_per_24h),  # type: ignore[attr-defined]
            int(ruleset.max_consecutive_days),  # type: ignore[attr-defined]
            float(ruleset.min_rest_hours),  # type: ignore[attr-defined]
        )

    def lookback(self) -> dt.timedelta:
        """How far around a proposed shift the other shifts can matter."""
        return DAY * (self.max_consecutive_days + 2)


@dataclass(frozen=True)
class Broken:
    rule: str
    message: str
    overridable: bool = True


Span = tuple[dt.datetime, dt.datetime]


def _hours(delta: dt.timedelta) -> float:
    return delta.total_seconds() / 3600


def _fmt(hours: float) -> str:
    return f"{hours:g}" if hours == int(hours) else f"{hours:.1f}"


def _overlap(a: Span, b: Span) -> dt.timedelta:
    start, end = max(a[0], b[0]), min(a[1], b[1])
    return max(end - start, dt.timedelta(0))


def max_hours_in_window(spans: Sequence[Span], focus: Span, window: dt.timedelta) -> float:
    """The most duty hours in any window of length `window` that overlaps `focus`.

    The maximum is reached by a window starting at a shift's start or ending at a
    shift's end, so only those candidates are tried."""
    candidates = {s for s, _e in spans} | {e - window for _s, e in spans}
    best = 0.0
    for start in candidates:
        win = (start, start + window)
        if _overlap(win, focus) <= dt.timedelta(0):
            continue
        total = sum((_overlap(win, s) for s in spans), dt.timedelta(0))
        best = max(best, _hours(total))
    return best


def duty_days(spans: Iterable[Span], tz: dt.tzinfo) -> set[dt.date]:
    """Local days on which a shift is worked (every day a shift touches)."""
    days: set[dt.date] = set()
    for start, end in spans:
        day = start.astimezone(tz).date()
        last = (end - dt.timedelta(microseconds=1)).astimezone(tz).date()
        while day <= last:
            days.add(day)
            day += DAY
    return days


def run_length(days: set[dt.date], around: Iterable[dt.date]) -> int:
    """The longest run of consecutive days in `days` that contains one of `around`."""
    best = 0
    for day in around:
        if day not in days:
            continue
        lo = hi = day
        while lo - DAY in days:
            lo -= DAY
        while hi + DAY in days:
            hi += DAY
        best = max(best, (hi - lo).days + 1)
    return best


def check_rest(
    existing: Sequence[Span], proposed: Span, rules: RestRules, tz: dt.tzinfo = dt.UTC
) -> list[Broken]:
    """Every rest rule that `proposed` would break given the member's `existing` shifts."""
    start, end = proposed
    if end <= start:
        raise ValueError("a shift must end after it starts")
    out: list[Broken] = []
    length = _hours(end - start)
    if length > rules.max_shift_hours:
        out.append(
            Broken(
                SHIFT_LENGTH,
                _("The shift lasts %(h)s h; at most %(max)s h per shift are allowed.")
                % {"h": _fmt(length), "max": _fmt(rules.max_shift_hours)},
            )
        )
    clashes = [s for s in existing if _overlap(s, proposed) > dt.timedelta(0)]
    if clashes:
        other = min(clashes)[0].astimezone(tz)
        out.append(
            Broken(
                OVERLAP,
                _("The member is already on duty at that time (shift from %(at)s).")
                % {"at": other.strftime("%Y-%m-%d %H:%M")},
                overridable=False,
            )
        )
    others = [s for s in existing if s not in clashes]
    spans = [*others, proposed]
    near = [sp for sp in spans if sp[1] > start - DAY and sp[0] < end + DAY]
    day_hours = max_hours_in_window(near, proposed, DAY)
    if day_hours > rules.max_hours_per_24h:
        out.append(
            Broken(
                PER_24H,
                _(
                    "With this shift the member would be on duty %(h)s h within 24 hours; "
                    "at most %(max)s h are allowed."
                )
                % {"h": _fmt(day_hours), "max": _fmt(rules.max_hours_per_24h)},
            )
        )
    days = duty_days(spans, tz)
    run = run_length(days, duty_days([proposed], tz))
    if run > rules.max_consecutive_days:
        out.append(
            Broken(
                CONSECUTIVE,
                _(
                    "With this shift the member would be on duty %(n)s days in a row; "
                    "at most %(max)s are allowed."
                )
                % {"n": run, "max": rules.max_consecutive_days},
            )
        )
    before = [e for s, e in others if e <= start]
    after = [s for s, e in others if s >= end]
    gaps = []
    if before:
        gaps.append(_hours(start - max(before)))
    if after:
        gaps.append(_hours(min(after) - end))
    if gaps and min(gaps) < rules.min_rest_hours:
        out.append(
            Broken(
                MIN_REST,
                _(
                    "Only %(h)s h of rest between this shift and the next or previous one; "
                    "at least %(min)s h are required."
                )
                % {"h": _fmt(min(gaps)), "min": _fmt(rules.min_rest_hours)},
            )
        )
    return out


def needs_override(broken: Sequence[Broken]) -> bool:
    return any(b.overridable for b in broken)


def refused(broken: Sequence[Broken]) -> list[Broken]:
    return [b for b in broken if not b.overridable]


def shift_starts(
    day: dt.date, shift_hours: int, first_hour: int, tz: dt.tzinfo
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The shifts of one local day for a post staffed around the clock."""
    if shift_hours <= 0 or shift_hours > 24:
        raise ValueError("shift hours must be between 1 and 24")
    base = dt.datetime.combine(day, dt.time(first_hour % 24), tzinfo=tz)
    out = []
    t = base
    while t < base + DAY:
        out.append((t, t + HOUR * shift_hours))
        t += HOUR * shift_hours
    return out


def staffing_gap(required: int, assigned: int) -> int:
    return max(required - assigned, 0)


def community_code_ok(code: str) -> bool:
    """A community (village / residents' committee) code has 12 digits."""
    return len(code) == 12 and code.isdigit()
