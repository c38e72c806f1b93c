"""Growth rate, doubling time (倍增时间) and R from the growth rate.

The growth rate r is the slope of a log-linear (Poisson) regression of daily cases on day
over the last 7–14 days, fitted by iteratively reweighted least squares for every
jurisdiction at once; its interval allows for overdispersion (quasi-Poisson, Student t).
Doubling time T_d = ln 2 / r; a series with r <= 0 is "not growing".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import t as student_t

from fangkong.analytics.inputs import AnalyticsInputError, as_counts

GROWING = "growing"
NOT_GROWING = "not growing"
INSUFFICIENT = "insufficient data"


@dataclass(frozen=True)
class GrowthEstimate:
    """Per jurisdiction: growth rate r (per day) with interval, doubling time, status."""

    days: int
    level: float
    r: NDArray[np.float64]
    r_low: NDArray[np.float64]
    r_high: NDArray[np.float64]
    doubling_time: NDArray[np.float64]  # NaN unless growing
    doubling_low: NDArray[np.float64]
    doubling_high: NDArray[np.float64]  # inf when the interval of r reaches 0
    status: NDArray[np.str_]


def _poisson_slope(
    y: NDArray[np.float64], iterations: int = 100
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Slope, its variance (Fisher information) and Pearson dispersion for each row."""
    n = y.shape[1]
    t = np.arange(n, dtype=np.float64) - (n - 1) / 2.0
    # Start from least squares on log(y + 0.5), then Newton (IRLS) steps.
    ly = np.log(y + 0.5)
    b1 = ((ly - ly.mean(axis=1, keepdims=True)) * t).sum(axis=1) / (t**2).sum()
    b0 = ly.mean(axis=1)
    for _ in range(iterations):
        eta = b0[:, np.newaxis] + b1[:, np.newaxis] * t
        mu = np.exp(eta)
        z = eta + (y - mu) / mu
        s0 = mu.sum(axis=1)
        s1 = (mu * t).sum(axis=1)
        s2 = (mu * t**2).sum(axis=1)
        z0 = (mu * z).sum(axis=1)
        z1 = (mu * t * z).sum(axis=1)
        det = s0 * s2 - s1**2
        new_b1 = (s0 * z1 - s1 * z0) / det
        new_b0 = (z0 - new_b1 * s1) / s0
        done = np.allclose(new_b1, b1, rtol=0, atol=1e-12) and np.allclose(
            new_b0, b0, rtol=0, atol=1e-12
        )
        b0, b1 = new_b0, new_b1
        if done:
            break
    mu = np.exp(b0[:, np.newaxis] + b1[:, np.newaxis] * t)
    s0 = mu.sum(axis=1)
    s1 = (mu * t).sum(axis=1)
    s2 = (mu * t**2).sum(axis=1)
    var_b1 = s0 / (s0 * s2 - s1**2)
    dispersion = ((y - mu) ** 2 / mu).sum(axis=1) / (n - 2)
    return b1, var_b1, dispersion


def growth_rate(cases: ArrayLike, *, days: int = 14, level: float = 0.95) -> GrowthEstimate:
    """Fit the last `days` (7–14) days of each series; at least two days need cases."""
    if not 7 <= days <= 14:
        raise AnalyticsInputError(f"the fit uses the last 7 to 14 days (got {days})")
    if not 0 < level < 1:
        raise AnalyticsInputError("level must be between 0 and 1")
    y_all = as_counts(cases, "daily cases")
    if y_all.shape[1] < days:
        raise AnalyticsInputError(f"{y_all.shape[1]} days are fewer than the {days} to fit")
    y = y_all[:, -days:]
    rows = y.shape[0]
    enough = (y > 0).sum(axis=1) >= 2

    r = np.full(rows, np.nan)
    half = np.full(rows, np.nan)
    if enough.any():
        slope, var, dispersion = _poisson_slope(y[enough])
        quantile = student_t.ppf(0.5 + level / 2, df=days - 2)
        r[enough] = slope
        half[enough] = quantile * np.sqrt(var * np.maximum(dispersion, 1.0))
    r_low, r_high = r - half, r + half

    growing = enough & (r > 0)
    status = np.where(~enough, INSUFFICIENT, np.where(growing, GROWING, NOT_GROWING))
    ln2 = np.log(2.0)
    doubling = np.full(rows, np.nan)
    doubling_low = np.full(rows, np.nan)
    doubling_high = np.full(rows, np.nan)
    doubling[growing] = ln2 / r[growing]
    doubling_low[growing] = ln2 / r_high[growing]
    doubling_high[growing] = np.where(r_low[growing] > 0, ln2 / r_low[growing], np.inf)
    return GrowthEstimate(
        days=days,
        level=level,
        r=r,
        r_low=r_low,
        r_high=r_high,
        doubling_time=doubling,
        doubling_low=doubling_low,
        doubling_high=doubling_high,
        status=status.astype(np.str_),
    )


def reproduction_from_growth(r: ArrayLike, mean: float, sd: float) -> NDArray[np.float64]:
    """R = (1 + r sd²/mean)^(mean²/sd²) for a gamma generation interval (Wallinga & Lipsitch 2007).

    NaN where 1 + r sd²/mean <= 0 (the moment-generating function does not exist).
    """
    if mean <= 0 or sd <= 0:
        raise AnalyticsInputError("generation interval mean and sd must be > 0")
    rr = np.asarray(r, dtype=np.float64)
    base = 1.0 + rr * sd**2 / mean
    out = np.full(rr.shape, np.nan)
    ok = base > 0
    out[ok] = base[ok] ** (mean**2 / sd**2)
    return out
