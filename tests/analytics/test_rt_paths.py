"""Rt on custom windows and with another prior give the textbook posterior."""

import numpy as np
import pytest
from scipy.stats import gamma

from fangkong.analytics.inputs import AnalyticsInputError
from fangkong.analytics.rt import QUANTILE_LEVELS, GammaPrior, estimate_rt, overall_infectivity

LOCAL = np.array([3, 4, 6, 5, 9, 12, 10, 15, 14, 20, 18, 25, 22, 30, 28], dtype=float)
IMPORTED = np.array([5, 1, 0, 2, 0, 0, 1, 0, 0, 0, 3, 0, 0, 1, 0], dtype=float)
SI = {"si_mean": 3.0, "si_sd": 1.5}


def posterior(prior: GammaPrior, start: int, end: int):
    est = estimate_rt(LOCAL, IMPORTED, **SI)
    lam = overall_infectivity(LOCAL + IMPORTED, est.si_distr)[0]
    shape = prior.shape + LOCAL[start - 1 : end].sum()
    scale = 1 / (1 / prior.scale + lam[start - 1 : end].sum())
    return shape, scale


@pytest.mark.parametrize("prior", [GammaPrior(), GammaPrior(mean=3.0, sd=2.0)], ids=["5-5", "3-2"])
def test_custom_windows_match_the_closed_form(prior):
    starts, ends = [2, 4, 9, 5], [6, 12, 15, 5]  # unequal, overlapping, one-day window
    est = estimate_rt(LOCAL, IMPORTED, **SI, t_start=starts, t_end=ends, prior=prior)
    for i, (s, e) in enumerate(zip(starts, ends, strict=True)):
        shape, scale = posterior(prior, s, e)
        if not est.reported[i]:
            assert e <= est.si_mean and np.isnan(est.mean[0, i])
            continue
        assert est.mean[0, i] == pytest.approx(shape * scale, rel=1e-12)
        assert est.std[0, i] == pytest.approx(np.sqrt(shape) * scale, rel=1e-12)
        expected = gamma.ppf(QUANTILE_LEVELS, shape, scale=scale)
        np.testing.assert_allclose(est.quantiles[0, i], expected, rtol=1e-9)


def test_uncertain_threshold_follows_the_prior_and_cv():
    est = estimate_rt(LOCAL, IMPORTED, **SI, prior=GammaPrior(mean=3.0, sd=2.0))
    assert est.min_cases == 9  # ceil(1/0.3² - 2.25)
    assert estimate_rt(LOCAL, IMPORTED, **SI, cv_posterior=0.2).min_cases == 24


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"t_start": [2, 3]}, "both t_start and t_end"),
        ({"t_start": [1], "t_end": [5]}, "2 <= t_start"),
        ({"t_start": [5], "t_end": [4]}, "2 <= t_start"),
        ({"t_start": [2], "t_end": [16]}, "t_end <= 15"),
        ({"cv_posterior": 0}, "cv_posterior"),
        ({"window": 15}, "too few"),
    ],
)
def test_bad_windows_are_refused(kwargs, message):
    with pytest.raises(AnalyticsInputError, match=message):
        estimate_rt(LOCAL, IMPORTED, **SI, **kwargs)


def test_serial_interval_must_be_given_one_way():
    with pytest.raises(AnalyticsInputError, match="either"):
        estimate_rt(LOCAL, si_distr=[0, 1], si_mean=3, si_sd=1)
    with pytest.raises(AnalyticsInputError, match="mean and sd are both required"):
        estimate_rt(LOCAL, si_mean=3)
    with pytest.raises(AnalyticsInputError, match="shape"):
        estimate_rt(LOCAL, IMPORTED[:5], **SI)
