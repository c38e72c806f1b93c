"""R7, R8, R9 and R10 as pure functions, table-driven."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from fangkong.clinical import rules
from fangkong.clinical.models import ClinicalRules

# The published defaults: R7 wants 1 epidemiological item with 2 clinical ones (3 without),
# fever from 37.3 °C; R8 3 normal days and 2 negative tests 24 hours apart; R9 reports in
# 2 hours, investigations in 24, emergencies in 2; R10 a cluster of 2 within 14 days.
R = ClinicalRules()
FR, IM, BL = "fever_respiratory", "imaging", "blood"


@pytest.mark.parametrize(
    ("epi", "clinical", "positive", "expected"),
    [
        ([], [], False, None),
        (["travel"], [FR], False, None),
        (["travel"], [FR, IM], False, "suspected"),
        (["travel", "cluster"], [IM, BL], False, "suspected"),
        ([], [FR, IM], False, None),
        ([], [FR, IM, BL], False, "suspected"),
        (["contact_infected"], [FR, BL], True, "confirmed"),
        ([], [FR, IM, BL], True, "confirmed"),
        (["travel"], [FR], True, None),  # a positive test alone does not make R7 suspected
        (["unknown"], [FR, IM], False, None),
    ],
)
def test_r7_table(epi, clinical, positive, expected):
    result = rules.r7(epi, clinical, positive, R)
    assert result.proposed == expected
    assert set(result.clinical) == set(clinical)


@pytest.mark.parametrize(
    ("temperature", "symptoms", "imaging", "blood", "expected"),
    [
        (Decimal("37.3"), [], False, False, (FR,)),
        (Decimal("37.2"), [], False, False, ()),
        (Decimal("36.8"), ["cough"], True, False, (FR, IM)),
        (None, ["diarrhoea"], False, True, (BL,)),
        (Decimal("39.0"), [], True, True, (FR, IM, BL)),
    ],
)
def test_clinical_items_from_findings(temperature, symptoms, imaging, blood, expected):
    got = rules.clinical_items(
        temperature=temperature,
        symptoms=symptoms,
        imaging_pneumonia=imaging,
        blood_typical=blood,
        r=R,
    )
    assert got == expected


TODAY = dt.date(2020, 2, 20)
NOON = dt.datetime(2020, 2, 20, 12, tzinfo=dt.UTC)


def days(*temps):
    """Readings ending today, oldest first."""
    n = len(temps)
    return [(TODAY - dt.timedelta(days=n - 1 - i), Decimal(t)) for i, t in enumerate(temps)]


def hours_ago(*hs):
    return [NOON - dt.timedelta(hours=h) for h in hs]


@pytest.mark.parametrize(
    ("daily", "sym", "img", "negs", "met", "failing"),
    [
        (days("36.5", "36.6", "36.4", "36.5"), True, True, hours_ago(1, 30), True, set()),
        (days("36.6", "36.4", "36.5"), True, True, hours_ago(1, 30), False, {"temperature"}),
        (days("38", "36.6", "36.4", "36.5"), True, True, hours_ago(1, 30), False, {"temperature"}),
        (
            days("36.5", "36.6", "37.5", "36.5"),
            True,
            True,
            hours_ago(1, 30),
            False,
            {"temperature"},
        ),
        (days("36.5", "36.6", "36.4", "36.5"), False, True, hours_ago(1, 30), False, {"symptoms"}),
        (days("36.5", "36.6", "36.4", "36.5"), True, False, hours_ago(1, 30), False, {"imaging"}),
        (days("36.5", "36.6", "36.4", "36.5"), True, True, hours_ago(1, 20), False, {"tests"}),
        (days("36.5", "36.6", "36.4", "36.5"), True, True, hours_ago(1), False, {"tests"}),
        (days("36.5", "36.6", "36.4", "36.5"), True, True, hours_ago(1, 10, 25), True, set()),
        ([], False, False, [], False, {"temperature", "symptoms", "imaging", "tests"}),
    ],
)
def test_r8_table(daily, sym, img, negs, met, failing):
    result = rules.r8(
        daily=daily,
        symptoms_improved=sym,
        imaging_improved=img,
        negatives_after_last_positive=negs,
        today=TODAY,
        r=R,
    )
    assert result.met is met
    flags = {
        "temperature": result.temperature_normal,
        "symptoms": result.symptoms_improved,
        "imaging": result.imaging_improved,
        "tests": result.negative_tests,
    }
    assert {k for k, ok in flags.items() if not ok} == failing


def test_r9_deadlines_and_clock_states():
    d = rules.deadlines(status="confirmed", diagnosed_at=NOON, county_first=True, r=R)
    assert d.report == NOON + dt.timedelta(hours=2)
    assert d.investigation == NOON + dt.timedelta(hours=24)
    assert d.emergency == NOON + dt.timedelta(hours=2)
    assert (
        rules.deadlines(status="excluded", diagnosed_at=NOON, county_first=False, r=R).report
        is None
    )
    due = d.report
    assert rules.clock_state(due, None, due - dt.timedelta(minutes=1)) == "running"
    assert rules.clock_state(due, None, due + dt.timedelta(minutes=1)) == "overdue"
    assert rules.clock_state(due, due, due + dt.timedelta(hours=3)) == "met"
    assert rules.clock_state(due, due + dt.timedelta(seconds=1), due) == "late"


@pytest.mark.parametrize(
    ("ages_days", "threshold", "expected"),
    [
        ([0], 2, False),
        ([0, 3], 2, True),
        ([0, 15], 2, False),
        ([0, 3, 5, 9], 5, False),
        ([0, 1, 2, 3, 4], 5, True),
    ],
)
def test_r10_cluster(ages_days, threshold, expected):
    r = SimpleNamespace(r10_cluster_threshold=threshold, r10_window_days=14)
    times = [NOON - dt.timedelta(days=a) for a in ages_days]
    assert rules.is_cluster(times, NOON, r) is expected


def test_distribution_and_median():
    buckets = rules.distribution([1, 7, 7, 30, 100])
    assert [b["n"] for b in buckets] == [1, 2, 0, 1, 1]
    assert rules.median([3, 1, 2]) == 2 and rules.median([]) is None
