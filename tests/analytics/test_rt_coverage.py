"""Coverage on a renewal simulator with known step changes in R_t (analytics.md, ground truth).

The 95 % credible interval must cover the true R_t in at least 90 % of the windows that
have at least 11 cases. A window's true value is the infectiousness-weighted mean of
R_t over its days (Σ R_t Λ_t / Σ Λ_t), the quantity the window's posterior estimates;
inside a segment of constant R_t that is simply R_t.
"""

import numpy as np
import pytest

from fangkong.analytics.rt import estimate_rt, overall_infectivity, window_sums
from fangkong.analytics.serial import DEFAULT_SERIAL_INTERVAL, discr_si
from fangkong.analytics.simulate import simulate_renewal

DAYS = 150
SEGMENTS = [(0, 40, 1.8), (40, 80, 0.75), (80, 115, 1.25), (115, DAYS, 0.9)]


@pytest.fixture(scope="module")
def simulated():
    r_t = np.zeros(DAYS)
    for start, end, value in SEGMENTS:
        r_t[start:end] = value
    r_t = np.tile(r_t, (40, 1))
    si = DEFAULT_SERIAL_INTERVAL
    w = discr_si(np.arange(DAYS), si.mean, si.sd)
    local, imported = simulate_renewal(r_t, w, seed_cases=20, imported_rate=0.3, seed=2020)
    est = estimate_rt(local, imported, si_mean=si.mean, si_sd=si.sd)
    lam = overall_infectivity(local + imported, est.si_distr)
    truth = window_sums(r_t * lam, est.t_start, est.t_end) / window_sums(
        lam, est.t_start, est.t_end
    )
    constant = r_t[0, est.t_start - 1] == r_t[0, est.t_end - 1]
    judged = est.reported[np.newaxis, :] & (est.local_cases >= 11)
    covered = (est.quantile(0.025) <= truth) & (truth <= est.quantile(0.975))
    return est, judged, covered, constant


def test_enough_windows_are_judged(simulated):
    _, judged, _, constant = simulated
    assert judged.sum() >= 2000
    assert (judged & constant).sum() >= 1500


def test_95_interval_covers_true_r_in_at_least_90_percent_of_windows(simulated):
    _, judged, covered, _ = simulated
    assert covered[judged].mean() >= 0.90


def test_coverage_holds_inside_constant_segments(simulated):
    _, judged, covered, constant = simulated
    inside = judged & constant[np.newaxis, :]
    assert covered[inside].mean() >= 0.90


def test_windows_with_few_cases_are_flagged_uncertain_not_hidden(simulated):
    est, _, _, _ = simulated
    few = est.reported[np.newaxis, :] & (est.local_cases < 11)
    assert np.array_equal(est.uncertain, few)
    assert not np.isnan(est.mean[few]).any()
