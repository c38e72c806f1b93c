"""Serial interval defaults and discretisation; Wallinga–Teunis flags and intervals;
the analytics package stays free of Django."""

import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from fangkong.analytics.inputs import AnalyticsInputError
from fangkong.analytics.rt import estimate_rt, overall_infectivity
from fangkong.analytics.serial import (
    DEFAULT_SERIAL_INTERVAL,
    INCUBATION_PERIOD,
    SERIAL_INTERVAL_DU,
    SERIAL_INTERVAL_WUHAN,
    SERIAL_INTERVALS,
    SerialInterval,
    discr_si,
    in_force,
    si_moments,
)
from fangkong.analytics.simulate import simulate_renewal
from fangkong.analytics.wallinga_teunis import estimate_wallinga_teunis

ROOT = Path(__file__).resolve().parents[2]
MY_MODULES = [
    "inputs",
    "serial",
    "rt",
    "wallinga_teunis",
    "growth",
    "forecast",
    "risk",
    "simulate",
    "epicurve",
]


@pytest.mark.parametrize("si", SERIAL_INTERVALS, ids=lambda s: f"{s.mean}")
def test_discretised_serial_interval_keeps_the_mean(si):
    w = si.distribution(200)
    mean, _ = si_moments(w)
    assert w[0] == 0
    assert w.sum() == pytest.approx(1.0, abs=1e-6)
    assert mean == pytest.approx(si.mean, rel=1e-6)


def test_default_serial_interval_is_the_shenzhen_estimate_with_sensitivity_bands():
    assert (DEFAULT_SERIAL_INTERVAL.mean, DEFAULT_SERIAL_INTERVAL.sd) == (6.3, 4.2)
    assert "Bi Q" in DEFAULT_SERIAL_INTERVAL.source
    assert (SERIAL_INTERVAL_WUHAN.mean, SERIAL_INTERVAL_WUHAN.sd) == (7.5, 3.4)
    assert (SERIAL_INTERVAL_DU.mean, SERIAL_INTERVAL_DU.sd) == (3.96, 4.75)
    assert INCUBATION_PERIOD.median == pytest.approx(5.06, abs=0.01)
    assert INCUBATION_PERIOD.quantile(0.975) == pytest.approx(11.5, abs=0.1)


def test_the_serial_interval_in_force_is_the_latest_dated_one():
    later = SerialInterval(4.0, 2.5, date(2020, 2, 15), "shortened as isolation sped up")
    params = (*SERIAL_INTERVALS, later)
    assert in_force(params, date(2020, 2, 1)) == DEFAULT_SERIAL_INTERVAL
    assert in_force(params, date(2020, 2, 15)) == later
    with pytest.raises(AnalyticsInputError, match="no default serial interval"):
        in_force(params, date(2019, 12, 1))


@pytest.mark.parametrize(
    ("mu", "sigma", "message"), [(1.0, 2.0, "mean must be > 1"), (5.0, 0.0, "sd must be > 0")]
)
def test_discr_si_refuses_bad_parameters(mu, sigma, message):
    with pytest.raises(AnalyticsInputError, match=message):
        discr_si(np.arange(10), mu, sigma)


def test_infectiousness_counts_imported_but_numerator_only_local():
    local = np.array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0], dtype=float)
    imported = np.array([10, 0, 0, 0, 0, 0, 0, 0, 0, 0], dtype=float)
    w = np.array([0, 0.5, 0.5])
    lam = overall_infectivity(local + imported, w)
    np.testing.assert_array_equal(lam[0, :4], [0, 5, 5, 0])
    est = estimate_rt(local, imported, si_distr=w, window=3)
    # Imported cases seed infectiousness, so no local case means a posterior far below 1.
    assert est.mean[0, 0] == pytest.approx(1 / (1 / 5 + 10))


@pytest.mark.parametrize(
    ("values", "message"),
    [([1, -1, 2], "negative"), ([1, 0.5, 2], "non-integer"), ([1, np.nan, 2], "missing")],
)
def test_estimators_refuse_bad_counts(values, message):
    with pytest.raises(AnalyticsInputError, match=message):
        estimate_rt(values * 4, si_mean=5, si_sd=2)


def test_wallinga_teunis_flags_right_truncated_windows():
    w = discr_si(np.arange(60), 6.3, 4.2)
    local, imported = simulate_renewal(np.full(60, 1.5), w, seed_cases=20, seed=4)
    est = estimate_wallinga_teunis(local, imported, si_mean=6.3, si_sd=4.2)
    flagged = est.right_truncated
    assert flagged[-1] and not flagged[0]
    assert np.all(np.diff(flagged.astype(int)) >= 0)  # once truncated, always after
    last_clean = np.flatnonzero(~flagged)[-1]
    assert est.observed_mass[last_clean] >= 0.95 > est.observed_mass[last_clean + 1]
    # The caveat is real: the last windows are biased low against the true R of 1.5.
    assert est.mean[0, -1] < 1.2 < est.mean[0, last_clean - 5]


def test_wallinga_teunis_intervals_from_simulated_ancestries():
    w = discr_si(np.arange(50), 5.0, 2.0)
    local, imported = simulate_renewal(np.full(50, 1.3), w, seed_cases=30, seed=9)
    a = estimate_wallinga_teunis(local, imported, si_mean=5, si_sd=2, n_sim=200, seed=1)
    b = estimate_wallinga_teunis(local, imported, si_mean=5, si_sd=2, n_sim=200, seed=1)
    ok = ~np.isnan(a.mean[0])
    assert np.array_equal(a.q975, b.q975, equal_nan=True)
    assert np.all(a.q025[0, ok] <= a.mean[0, ok] + 1e-9)
    assert np.all(a.mean[0, ok] <= a.q975[0, ok] + 1e-9)
    assert np.all(a.std[0, ok] > 0)


def test_analytics_package_imports_no_django():
    modules = ", ".join(f"fangkong.analytics.{m}" for m in MY_MODULES)
    code = (
        f"import sys, importlib\nfor m in '{modules}'.split(', '): importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for name in MY_MODULES:
        assert "django" not in (ROOT / "fangkong" / "analytics" / f"{name}.py").read_text()
