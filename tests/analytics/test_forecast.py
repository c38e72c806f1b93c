"""Renewal forecast 7–14 days ahead: median and 90 % band, seeded."""

import numpy as np
import pytest

from fangkong.analytics.forecast import forecast_cases, forecast_from_estimate
from fangkong.analytics.inputs import AnalyticsInputError
from fangkong.analytics.rt import estimate_rt
from fangkong.analytics.serial import discr_si
from fangkong.analytics.simulate import simulate_renewal

STEADY = np.full(60, 100.0)
SI = {"si_mean": 6.3, "si_sd": 4.2}


def fixed_r(value: float) -> dict:
    """A posterior so narrow that R is effectively `value`."""
    return {"r_shape": 1e8, "r_scale": value / 1e8}


@pytest.mark.parametrize(
    ("r", "check"),
    [
        (1.0, lambda f: 90 <= f.median[0, -1] <= 110),
        (0.5, lambda f: f.median[0, -1] < 30 and f.median[0, 0] < 60),
        (1.5, lambda f: f.median[0, -1] > 2 * f.median[0, 0] > 200),
        (1e-9, lambda f: f.high[0].max() == 0),
    ],
    ids=["stable", "declining", "growing", "extinct"],
)
def test_forecast_follows_r(r, check):
    f = forecast_cases(STEADY, **fixed_r(r), **SI, horizon=14, n_sim=400, seed=3)
    assert f.median.shape == (1, 14)
    assert check(f)
    assert np.all(f.low <= f.median) and np.all(f.median <= f.high)
    assert f.total_low[0] <= f.total_median[0] <= f.total_high[0]


def test_band_widens_with_uncertain_r():
    narrow = forecast_cases(STEADY, **fixed_r(1.0), **SI, n_sim=500, seed=1)
    wide = forecast_cases(STEADY, r_shape=4.0, r_scale=0.25, **SI, n_sim=500, seed=1)
    assert (wide.high - wide.low)[0, -1] > 2 * (narrow.high - narrow.low)[0, -1]


def test_same_seed_same_forecast_other_seed_differs():
    a = forecast_cases(STEADY, r_shape=20, r_scale=0.05, **SI, n_sim=200, seed=11)
    b = forecast_cases(STEADY, r_shape=20, r_scale=0.05, **SI, n_sim=200, seed=11)
    c = forecast_cases(STEADY, r_shape=20, r_scale=0.05, **SI, n_sim=200, seed=12)
    assert np.array_equal(a.high, b.high)
    assert not np.array_equal(a.high, c.high) or not np.array_equal(a.low, c.low)


def test_forecast_from_last_rt_window_for_many_jurisdictions():
    days = 60
    w = discr_si(np.arange(days), 6.3, 4.2)
    r_t = np.vstack([np.full(days, 1.4), np.full(days, 0.8)])
    local, imported = simulate_renewal(r_t, w, seed_cases=2000, seed=5)
    est = estimate_rt(local, imported, **SI)
    f = forecast_from_estimate(local, imported, est, si_mean=6.3, si_sd=4.2, horizon=7, seed=2)
    assert f.median.shape == (2, 7)
    last_week = local[:, -7:].sum(axis=1)
    assert f.total_median[0] > 1.2 * last_week[0]  # the growing jurisdiction keeps growing
    assert f.total_median[1] < 0.9 * last_week[1]  # the declining one keeps declining
    g = forecast_from_estimate(local, imported, est, horizon=7, seed=2)  # its own SI
    np.testing.assert_allclose(g.median, f.median, rtol=0.05)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"horizon": 6}, "7 to 14"),
        ({"horizon": 15}, "7 to 14"),
        ({"n_sim": 0}, "n_sim"),
        ({"r_shape": 0.0}, "shape and scale"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    args = {"r_shape": 2.0, "r_scale": 0.5, **SI, **kwargs}
    with pytest.raises(AnalyticsInputError, match=message):
        forecast_cases(STEADY, **args)
