"""R1 across 2020-02-21 and the chain helpers, as plain functions."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from fangkong.tracing import rules

OLD = SimpleNamespace(
    days_before_onset=0,
    specimen_if_asymptomatic=False,
    proximity_m=Decimal("1.0"),
    effective_from=dt.date(2019, 12, 1),
)
NEW = SimpleNamespace(
    days_before_onset=2,
    specimen_if_asymptomatic=True,
    proximity_m=Decimal("1.0"),
    effective_from=dt.date(2020, 2, 21),
)
D = dt.date


def exp(first, last=None, setting="workplace", m="0.8", protected=False):
    return rules.Exposure(first, last or first, setting, Decimal(m) if m else None, protected)


SRC = rules.Source(
    onset=D(2020, 3, 10), specimen=D(2020, 3, 12), asymptomatic=False, isolated_on=D(2020, 3, 12)
)


@pytest.mark.parametrize(
    ("rule", "last", "expected"),
    [
        (OLD, D(2020, 3, 9), "general"),  # before onset: not close under the old rule
        (OLD, D(2020, 3, 10), "close"),
        (NEW, D(2020, 3, 8), "close"),  # two days before onset counts from 2020-02-21
        (NEW, D(2020, 3, 7), "general"),
    ],
)
def test_r1_window_depends_on_the_rule_in_force(rule, last, expected):
    assert rules.classify(exp(last), SRC, rule)[0] == expected


def test_asymptomatic_case_counts_from_the_specimen_date():
    src = rules.Source(None, D(2020, 3, 12), True, D(2020, 3, 12))
    assert rules.classify(exp(D(2020, 3, 10)), src, NEW)[0] == "close"
    assert rules.classify(exp(D(2020, 3, 9)), src, NEW)[0] == "general"


def test_protection_and_distance_make_a_general_contact():
    assert rules.classify(exp(D(2020, 3, 11), protected=True), SRC, NEW)[0] == "general"
    assert rules.classify(exp(D(2020, 3, 11), m="3"), SRC, NEW)[0] == "general"
    assert rules.classify(exp(D(2020, 3, 11), setting="household", m=""), SRC, NEW)[0] == "close"


def test_bad_dates_are_refused_with_the_field():
    with pytest.raises(rules.InputError) as err:
        rules.check_dates(exp(D(2020, 3, 5), D(2020, 3, 4)), SRC, D(2020, 4, 1))
    assert err.value.field == "last_exposure"
    with pytest.raises(rules.InputError) as err:
        rules.check_dates(exp(D(2020, 3, 13)), SRC, D(2020, 4, 1))
    assert "isolated" in str(err.value)


def test_components_and_generations():
    groups = rules.components([1, 2, 3, 4, 5], [(1, 2), (2, 3), (4, 5)])
    assert groups == [[1, 2, 3], [4, 5]]
    assert rules.generations([1, 2, 3], [(1, 2), (2, 3)]) == {1: 1, 2: 2, 3: 3}
