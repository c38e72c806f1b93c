"""Epidemic curves: counting cases into tables, rolling up the tree, quiet days."""

import math

import numpy as np
import pytest

from fangkong.analytics.epicurve import (
    daily_counts,
    days_since_last_case,
    moving_average,
    roll_up,
)
from fangkong.analytics.inputs import AnalyticsInputError
from fangkong.analytics.rt import estimate_rt


def test_daily_counts_counts_every_case_once():
    table = daily_counts([0, 0, 2, 4, 4, 4], [1, 1, 0, 1, 2, 1], days=5, groups=3)
    np.testing.assert_array_equal(table, [[0, 0, 1, 0, 0], [2, 0, 0, 0, 2], [0, 0, 0, 0, 1]])


@pytest.mark.parametrize(
    ("day", "group", "message"),
    [
        ([5], [0], "outside the 5 days"),
        ([-1], [0], "outside the 5 days"),
        ([0], [3], "no group of the 3"),
        ([0, 1], [0], "same length"),
    ],
)
def test_cases_outside_the_table_are_refused(day, group, message):
    with pytest.raises(AnalyticsInputError, match=message):
        daily_counts(day, group, days=5, groups=3)


def test_roll_up_sums_villages_into_towns_and_rt_uses_the_sum():
    rng = np.random.default_rng(3)
    villages = rng.poisson(4.0, (6, 40)).astype(float)
    town_of = [0, 0, 1, 1, 1, 0]
    towns = roll_up(villages, town_of, 2)
    np.testing.assert_array_equal(towns[0], villages[[0, 1, 5]].sum(axis=0))
    np.testing.assert_array_equal(towns[1], villages[[2, 3, 4]].sum(axis=0))
    assert roll_up(towns, [0, 0], 1).sum() == villages.sum()
    est = estimate_rt(towns, si_mean=6.3, si_sd=4.2)
    alone = estimate_rt(villages[[0, 1, 5]].sum(axis=0), si_mean=6.3, si_sd=4.2)
    np.testing.assert_allclose(est.mean[0], alone.mean[0], rtol=1e-12)


def test_roll_up_refuses_bad_parents():
    with pytest.raises(AnalyticsInputError, match="exactly one parent"):
        roll_up(np.ones((2, 3)), [0], 1)
    with pytest.raises(AnalyticsInputError, match="out of range"):
        roll_up(np.ones((2, 3)), [0, 2], 2)


@pytest.mark.parametrize(
    ("series", "expected"),
    [
        ([0, 0, 0, 0], math.nan),
        ([1, 0, 0, 0], 3),
        ([0, 2, 0, 0], 2),
        ([0, 0, 0, 5], 0),
    ],
)
def test_days_since_last_case(series, expected):
    got = days_since_last_case(series)[0]
    assert (math.isnan(got) and math.isnan(expected)) or got == expected


def test_moving_average_is_trailing():
    got = moving_average([7, 0, 0, 0, 0, 0, 0, 14], window=7)[0]
    assert np.isnan(got[:6]).all()
    np.testing.assert_allclose(got[6:], [1.0, 2.0])
