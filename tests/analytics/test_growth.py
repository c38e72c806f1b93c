"""Doubling time from a log-linear fit over the last 7–14 days; R from r (Wallinga & Lipsitch)."""

import math

import numpy as np
import pytest

from fangkong.analytics.growth import (
    GROWING,
    INSUFFICIENT,
    NOT_GROWING,
    growth_rate,
    reproduction_from_growth,
)
from fangkong.analytics.inputs import AnalyticsInputError

DAYS = np.arange(20)


def doubling(every: float, start: float = 40.0) -> np.ndarray:
    return np.round(start * 2 ** (DAYS / every))


@pytest.mark.parametrize(
    ("series", "window", "status", "doubling_time"),
    [
        (doubling(5.0), 14, GROWING, 5.0),
        (doubling(3.0), 7, GROWING, 3.0),
        (doubling(10.0, start=200), 10, GROWING, 10.0),
        (np.full(20, 50.0), 14, NOT_GROWING, None),
        (np.round(400 * 0.5 ** (DAYS / 4)), 14, NOT_GROWING, None),
        (np.zeros(20), 14, INSUFFICIENT, None),
        (np.r_[np.zeros(19), 5.0], 14, INSUFFICIENT, None),
    ],
    ids=[
        "doubles-5d",
        "doubles-3d-7day-fit",
        "doubles-10d",
        "flat",
        "halving",
        "no-cases",
        "one-day",
    ],
)
def test_doubling_time(series, window, status, doubling_time):
    est = growth_rate(series, days=window)
    assert est.status[0] == status
    if doubling_time is None:
        assert math.isnan(est.doubling_time[0])
    else:
        assert est.doubling_time[0] == pytest.approx(doubling_time, rel=0.03)
        assert est.doubling_low[0] <= doubling_time <= est.doubling_high[0]
        assert est.r_low[0] < est.r[0] < est.r_high[0]


def test_fit_uses_only_the_last_days():
    series = np.r_[np.full(30, 1000.0), doubling(4.0)[:14]]
    assert growth_rate(series, days=14).doubling_time[0] == pytest.approx(4.0, rel=0.03)


def test_noisy_slow_growth_has_an_open_ended_doubling_interval():
    series = np.array([19, 11, 15, 7, 11, 5, 20, 9, 3, 28, 8, 16, 38, 27], dtype=float)
    est = growth_rate(series, days=14)
    assert est.status[0] == GROWING
    assert est.r_low[0] < 0 < est.r[0]
    assert est.doubling_low[0] < est.doubling_time[0] < est.doubling_high[0] == math.inf


def test_many_jurisdictions_at_once_match_one_by_one():
    table = np.vstack([doubling(5.0), np.full(20, 50.0), np.zeros(20), doubling(3.0)])
    together = growth_rate(table, days=14)
    for row in range(table.shape[0]):
        alone = growth_rate(table[row], days=14)
        assert together.status[row] == alone.status[0]
        np.testing.assert_allclose(together.r[row], alone.r[0], rtol=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"days": 6}, "7 to 14"),
        ({"days": 15}, "7 to 14"),
        ({"level": 1.0}, "level"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(AnalyticsInputError, match=message):
        growth_rate(doubling(5.0), **kwargs)


def test_negative_counts_are_refused():
    with pytest.raises(AnalyticsInputError, match="negative"):
        growth_rate(np.r_[np.ones(13), -1.0], days=14)


@pytest.mark.parametrize(
    ("r", "mean", "sd", "expected"),
    [
        (0.0, 6.3, 4.2, 1.0),
        (0.1, 5.0, 5.0, 1.5),  # exponential interval: R = 1 + r mean
        (0.1, 6.3, 4.2, 1.28**2.25),
        (-0.05, 6.3, 4.2, (1 - 0.05 * 4.2**2 / 6.3) ** 2.25),
        (-1.0, 6.3, 4.2, math.nan),  # 1 + r sd²/mean <= 0
    ],
)
def test_reproduction_number_from_growth_rate(r, mean, sd, expected):
    got = float(reproduction_from_growth(r, mean, sd))
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == pytest.approx(expected, rel=1e-12)


def test_reproduction_from_growth_refuses_bad_interval():
    with pytest.raises(AnalyticsInputError):
        reproduction_from_growth(0.1, 0.0, 1.0)
