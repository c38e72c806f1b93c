import datetime as dt

from fangkong.command import rules
from tests.command.conftest import TZ


def test_r18_level_in_force_by_date():
    levels = [(d, g) for d, g, _n in rules.R18_DEFAULTS]
    assert rules.level_in_force(levels, dt.date(2020, 1, 22)) is None
    assert rules.level_in_force(levels, dt.date(2020, 1, 23)) == "I"
    assert rules.level_in_force(levels, dt.date(2020, 3, 1)) == "I"
    assert rules.level_in_force(levels, dt.date(2020, 3, 2)) == "II"
    assert rules.level_in_force(levels, dt.date(2020, 6, 1)) == "III"


def facts(path, level, rec, ack, rep):
    return rules.ReceiptFacts(path, level, rec, ack, rep)


def test_coverage_by_level_and_branch():
    rs = [
        facts("3306/330602/", "county", True, True, True),
        facts("3306/330602/330602001/", "town", True, True, False),
        facts("3306/330602/330602002/", "town", True, False, False),
        facts("3306/330681/330681001/", "town", False, False, False),
    ]
    by_level = rules.coverage_by_level(rs, ["county", "town"])
    assert by_level["county"].as_dict()["reported_rate"] == 1.0
    town = by_level["town"]
    assert (town.total, town.received, town.acknowledged, town.reported) == (3, 2, 1, 0)
    assert town.acknowledged_rate == 1 / 3
    branches = rules.coverage_by_branch(rs, ["3306/330602/", "3306/330681/"])
    assert branches["3306/330602/"].total == 3
    assert branches["3306/330681/"].received_rate == 0.0


def test_overdue_depends_on_what_is_required():
    deadline = dt.datetime(2020, 2, 12, 18, tzinfo=TZ)
    late = deadline + dt.timedelta(minutes=1)
    kw = {"ack_required": True, "feedback_required": True}
    assert rules.is_overdue(deadline, late, acknowledged=True, reported=False, **kw)
    assert not rules.is_overdue(deadline, late, acknowledged=True, reported=True, **kw)
    assert not rules.is_overdue(deadline, deadline, acknowledged=False, reported=False, **kw)
    assert not rules.is_overdue(
        deadline,
        late,
        ack_required=True,
        feedback_required=False,
        acknowledged=True,
        reported=False,
    )


def test_periods_daily_and_weekly():
    start = dt.date(2020, 2, 5)  # a Wednesday
    assert len(rules.periods("daily", start, None, dt.date(2020, 2, 11))) == 7
    assert rules.periods("weekly", start, None, dt.date(2020, 2, 24)) == [
        dt.date(2020, 2, 10),
        dt.date(2020, 2, 17),
        dt.date(2020, 2, 24),
    ]
    assert rules.periods("daily", start, dt.date(2020, 2, 6), dt.date(2020, 3, 1)) == [
        start,
        dt.date(2020, 2, 6),
    ]
    assert not rules.is_period("weekly", start, None, dt.date(2020, 2, 11))


def test_deadline_and_lock():
    d = rules.deadline_of(dt.date(2020, 2, 10), dt.time(17), TZ)
    assert d == dt.datetime(2020, 2, 10, 17, tzinfo=TZ)
    assert rules.lock_of(dt.date(2020, 2, 10), dt.time(17), 24, TZ) == d + dt.timedelta(hours=24)


def test_dhis2_reporting_rates():
    due = [dt.date(2020, 2, 10), dt.date(2020, 2, 11)]
    subs = [
        ("a/", due[0], True, 1.0),
        ("a/", due[1], False, 0.5),
        ("b/", due[0], True, 1.0),
        ("b/", dt.date(2020, 2, 12), True, 1.0),  # not yet due: not counted
        ("z/", due[0], True, 1.0),  # not expected: ignored
    ]
    r = rules.reporting_rates(["a/", "b/"], due, subs)
    assert r["a/"].as_dict() | {} == {
        "expected": 2,
        "actual": 2,
        "on_time": 1,
        "late": 1,
        "missing": 0,
        "reporting_rate": 1.0,
        "timeliness_rate": 0.5,
        "completeness": 0.75,
    }
    assert (r["b/"].actual, r["b/"].missing, r["b/"].reporting_rate) == (1, 1, 0.5)
    total = rules.roll_up_rates(r, [""])[""]
    assert (total.expected, total.actual, total.on_time) == (4, 3, 2)
    assert rules.reporting_rates(["c/"], [], [])["c/"].reporting_rate is None


def test_completeness_counts_filled_figures():
    assert rules.completeness(["a", "b"], {"a": 1, "b": ""}) == 0.5
    assert rules.completeness([], {}) == 1.0
