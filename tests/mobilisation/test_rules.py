"""Rest rules, table-driven: each row is the member's other shifts, the proposed shift
and the rules expected to break."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from fangkong.mobilisation import rules

TZ = ZoneInfo("Asia/Shanghai")
RULES = rules.RestRules(
    max_shift_hours=12, max_hours_per_24h=12, max_consecutive_days=6, min_rest_hours=8
)


def at(day: int, hour: float) -> dt.datetime:
    base = dt.datetime(2020, 2, 1, tzinfo=TZ) + dt.timedelta(days=day - 1)
    return base + dt.timedelta(hours=hour)


def span(day: int, start: float, hours: float) -> tuple[dt.datetime, dt.datetime]:
    s = at(day, start)
    return s, s + dt.timedelta(hours=hours)


CASES = [
    ("first shift of a rested member", [], span(1, 8, 8), set()),
    ("a shift of exactly 12 h is allowed", [], span(1, 8, 12), set()),
    (
        "a 14 h shift is too long (and too long for a day)",
        [],
        span(1, 6, 14),
        {rules.SHIFT_LENGTH, rules.PER_24H},
    ),
    ("8 h rest exactly is enough", [span(1, 0, 8)], span(1, 16, 4), set()),
    ("6 h rest is too little", [span(1, 0, 8)], span(1, 14, 4), {rules.MIN_REST}),
    (
        "rest is checked before the next shift too",
        [span(2, 8, 8)],
        span(1, 20, 8),
        {rules.MIN_REST, rules.PER_24H},
    ),
    (
        "two 8 h shifts with 8 h rest: 16 h in 24 h",
        [span(1, 0, 8)],
        span(1, 16, 8),
        {rules.PER_24H},
    ),
    ("rolling window crosses midnight", [span(1, 18, 8)], span(2, 10, 6), {rules.PER_24H}),
    ("16 h apart is fine", [span(1, 0, 8)], span(2, 0, 8), set()),
    ("overlap cannot be overridden", [span(1, 8, 8)], span(1, 12, 8), {rules.OVERLAP}),
    ("sixth day in a row is allowed", [span(d, 8, 8) for d in range(1, 6)], span(6, 8, 8), set()),
    (
        "seventh day in a row is refused",
        [span(d, 8, 8) for d in range(1, 7)],
        span(7, 8, 8),
        {rules.CONSECUTIVE},
    ),
    ("a day off resets the run", [span(d, 8, 8) for d in (1, 2, 3, 5, 6, 7)], span(8, 8, 8), set()),
    (
        "filling a gap joins two runs",
        [span(d, 8, 8) for d in (1, 2, 3, 5, 6, 7)],
        span(4, 8, 8),
        {rules.CONSECUTIVE},
    ),
    (
        "a night shift counts on both days",
        [span(d, 8, 8) for d in (1, 2, 3, 4, 5)],
        span(6, 20, 8),
        {rules.CONSECUTIVE},
    ),
]


@pytest.mark.parametrize(
    ("label", "existing", "proposed", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_rest_rules(label, existing, proposed, expected):
    broken = rules.check_rest(existing, proposed, RULES, TZ)
    assert {b.rule for b in broken} == expected, [b.message for b in broken]
    for b in broken:
        assert b.message
        assert b.overridable == (b.rule != rules.OVERLAP)


def test_looser_rules_allow_more():
    loose = rules.RestRules(
        max_shift_hours=16, max_hours_per_24h=16, max_consecutive_days=10, min_rest_hours=4
    )
    assert rules.check_rest([span(1, 0, 8)], span(1, 14, 4), loose, TZ) == []
    assert rules.check_rest([], span(1, 6, 14), loose, TZ) == []


def test_messages_name_the_figures():
    [broken] = rules.check_rest([span(1, 0, 8)], span(1, 14, 4), RULES, TZ)
    assert "6" in broken.message and "8" in broken.message


def test_shift_must_end_after_start():
    with pytest.raises(ValueError):
        rules.check_rest([], (at(1, 8), at(1, 8)), RULES, TZ)


def test_around_the_clock_shifts():
    day = dt.date(2020, 2, 1)
    three = rules.shift_starts(day, 8, 0, TZ)
    assert [s.hour for s, _e in three] == [0, 8, 16]
    two = rules.shift_starts(day, 12, 7, TZ)
    assert [(s.hour, e.hour) for s, e in two] == [(7, 19), (19, 7)]


def test_gap_and_override_helpers():
    assert rules.staffing_gap(3, 1) == 2
    assert rules.staffing_gap(2, 5) == 0
    hard = rules.Broken(rules.OVERLAP, "x", overridable=False)
    soft = rules.Broken(rules.MIN_REST, "y")
    assert rules.refused([hard, soft]) == [hard]
    assert rules.needs_override([soft])
    assert not rules.needs_override([hard])
