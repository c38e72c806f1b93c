"""Real-time reproduction number Rt (实时再生数) by Cori et al. 2013, as R's EpiEstim.

Reproduces `EpiEstim::estimate_R` (methods "parametric_si" and "non_parametric_si",
version 2.2-4) for many jurisdictions at once: incidence is a jurisdictions x days table
and every step is an array operation, so the whole city's villages take one pass.

Days are numbered from 1 as in EpiEstim: window (t_start, t_end) covers days
t_start..t_end inclusive, and column d-1 of the incidence table is day d.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gammaincinv

from fangkong.analytics.inputs import AnalyticsInputError, local_and_imported
from fangkong.analytics.serial import check_si_distr, discr_si, si_moments

QUANTILE_LEVELS: tuple[float, ...] = (0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975)
QUANTILE_NAMES: tuple[str, ...] = ("q025", "q05", "q25", "median", "q75", "q95", "q975")
CSV_COLUMNS: tuple[str, ...] = ("t_start", "t_end", "mean", "std", *QUANTILE_NAMES)


@dataclass(frozen=True)
class GammaPrior:
    """Gamma prior on R given by its mean and sd (EpiEstim default: mean 5, sd 5)."""

    mean: float = 5.0
    sd: float = 5.0

    def __post_init__(self) -> None:
        if self.mean <= 0 or self.sd <= 0:
            raise AnalyticsInputError("prior mean and sd must be > 0")

    @property
    def shape(self) -> float:
        return (self.mean / self.sd) ** 2

    @property
    def scale(self) -> float:
        return self.sd**2 / self.mean


def serial_interval_for(
    days: int,
    *,
    si_distr: ArrayLike | None = None,
    si_mean: float | None = None,
    si_sd: float | None = None,
) -> NDArray[np.float64]:
    """The serial interval EpiEstim uses for a series of `days` days (w_0..w_days at least).

    Parametric: `discr_si(0:(T-1), mean, sd)`; non-parametric: the given distribution.
    Either way padded with zeros to T+1 values, which fixes the reported mean SI.
    """
    if si_distr is not None:
        if si_mean is not None or si_sd is not None:
            raise AnalyticsInputError("give either a serial interval distribution or mean and sd")
        w = check_si_distr(si_distr)
    else:
        if si_mean is None or si_sd is None:
            raise AnalyticsInputError("serial interval mean and sd are both required")
        w = discr_si(np.arange(days), si_mean, si_sd)
    if w.size < days + 1:
        w = np.concatenate([w, np.zeros(days + 1 - w.size)])
    return w


def overall_infectivity(total: ArrayLike, si: ArrayLike) -> NDArray[np.float64]:
    """Total infectiousness Λ_t = Σ_{s>=1} w_s I_{t-s} for each row (Λ of day 1 is 0).

    One matrix product with the days x days Toeplitz matrix of w: exact sums, vectorised
    over jurisdictions, and BLAS-fast.
    """
    inc = np.atleast_2d(np.asarray(total, dtype=np.float64))
    w = np.asarray(si, dtype=np.float64)
    days = inc.shape[1]
    lag = np.arange(days)[np.newaxis, :] - np.arange(days)[:, np.newaxis]  # t - u
    w_pad = np.concatenate([w[:days], np.zeros(max(days - w.size, 0))])
    kernel = np.where(lag > 0, w_pad[np.clip(lag, 0, days - 1)], 0.0)
    return inc @ kernel


def sliding_windows(days: int, window: int = 7) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """EpiEstim's default windows: t_start = 2..T-window+1, each `window` days long."""
    if window < 1:
        raise AnalyticsInputError("window must be at least 1 day")
    if days < window + 1:
        raise AnalyticsInputError(
            f"{days} days are too few for a {window}-day window (need at least {window + 1})"
        )
    t_start = np.arange(2, days - window + 2, dtype=np.int64)
    return t_start, t_start + window - 1


def window_sums(
    values: NDArray[np.float64], t_start: NDArray[np.int64], t_end: NDArray[np.int64]
) -> NDArray[np.float64]:
    """Σ values over days t_start..t_end (1-based, inclusive) for every row and window."""
    lengths = t_end - t_start + 1
    if np.all(lengths == lengths[0]) and np.all(np.diff(t_start) == 1):
        # Sliding windows: add the window's days as shifted slices (no cancellation).
        first, count = int(t_start[0]) - 1, t_start.size
        out = values[:, first : first + count].copy()
        for k in range(1, int(lengths[0])):
            out += values[:, first + k : first + k + count]
        return out
    cum = np.concatenate([np.zeros((values.shape[0], 1)), np.cumsum(values, axis=1)], axis=1)
    return cum[:, t_end] - cum[:, t_start - 1]


def _unit_quantiles(shape: NDArray[np.float64], offset: float) -> NDArray[np.float64]:
    """Gamma(shape, 1) quantiles at QUANTILE_LEVELS for every entry of `shape`.

    The posterior shape is the prior shape `offset` plus whole counts, so it takes few
    distinct values: invert the incomplete gamma once per distinct value.
    """
    levels = np.asarray(QUANTILE_LEVELS)
    steps = shape - offset
    whole = steps.size > 0 and np.all(steps == np.round(steps)) and steps.min() >= 0
    if whole and steps.max() <= 4 * steps.size:
        index = steps.astype(np.int64)
        present = np.zeros(int(index.max()) + 1, dtype=bool)
        present[index] = True
        values = np.flatnonzero(present)
        table = np.zeros((present.size, levels.size))
        table[values] = gammaincinv(offset + values[:, np.newaxis], levels[np.newaxis, :])
        return table[index]
    distinct, inverse = np.unique(shape, return_inverse=True)
    unit = gammaincinv(distinct[:, np.newaxis], levels[np.newaxis, :])
    return unit[inverse.reshape(shape.shape)]


@dataclass(frozen=True)
class RtEstimate:
    """Posterior of R per jurisdiction and window (arrays are jurisdictions x windows).

    Windows ending on or before the mean serial interval are not reported (NaN), as in
    EpiEstim; windows with fewer local cases than needed for the target posterior cv
    (11 for cv 0.3) are reported but flagged `uncertain`.
    """

    t_start: NDArray[np.int64]
    t_end: NDArray[np.int64]
    shape: NDArray[np.float64]
    scale: NDArray[np.float64]
    mean: NDArray[np.float64]
    std: NDArray[np.float64]
    quantiles: NDArray[np.float64]  # jurisdictions x windows x QUANTILE_LEVELS
    local_cases: NDArray[np.float64]
    reported: NDArray[np.bool_]  # per window
    uncertain: NDArray[np.bool_]
    si_distr: NDArray[np.float64]
    si_mean: float
    si_sd: float
    min_cases: int

    def quantile(self, level: float) -> NDArray[np.float64]:
        return self.quantiles[:, :, QUANTILE_LEVELS.index(level)]

    @property
    def median(self) -> NDArray[np.float64]:
        return self.quantile(0.5)

    def rows(self, jurisdiction: int = 0) -> Iterator[dict[str, float]]:
        """The reported windows of one jurisdiction as CSV rows (`CSV_COLUMNS`)."""
        for w in np.flatnonzero(self.reported):
            row: dict[str, float] = {
                "t_start": int(self.t_start[w]),
                "t_end": int(self.t_end[w]),
                "mean": float(self.mean[jurisdiction, w]),
                "std": float(self.std[jurisdiction, w]),
            }
            for name, value in zip(QUANTILE_NAMES, self.quantiles[jurisdiction, w], strict=True):
                row[name] = float(value)
            yield row


def estimate_rt(
    local: ArrayLike,
    imported: ArrayLike | None = None,
    *,
    si_distr: ArrayLike | None = None,
    si_mean: float | None = None,
    si_sd: float | None = None,
    window: int = 7,
    t_start: ArrayLike | None = None,
    t_end: ArrayLike | None = None,
    prior: GammaPrior = GammaPrior(),
    cv_posterior: float = 0.3,
) -> RtEstimate:
    """Cori et al. Rt for one series (days) or many (jurisdictions x days).

    Only local cases enter the numerator; local and imported cases both infect (Λ).
    Posterior Gamma(a + Σ local, 1 / (1/b + Σ Λ)) over each window.
    """
    loc, imp = local_and_imported(local, imported)
    days = loc.shape[1]
    if t_start is None and t_end is None:
        starts, ends = sliding_windows(days, window)
    elif t_start is None or t_end is None:
        raise AnalyticsInputError("give both t_start and t_end, or neither")
    else:
        starts = np.asarray(t_start, dtype=np.int64).ravel()
        ends = np.asarray(t_end, dtype=np.int64).ravel()
        if starts.shape != ends.shape or starts.size == 0:
            raise AnalyticsInputError("t_start and t_end must be non-empty and of equal length")
        if np.any(starts > ends) or np.any(starts < 2) or np.any(ends > days):
            raise AnalyticsInputError(f"windows must satisfy 2 <= t_start <= t_end <= {days}")
    if cv_posterior <= 0:
        raise AnalyticsInputError("cv_posterior must be > 0")

    w = serial_interval_for(days, si_distr=si_distr, si_mean=si_mean, si_sd=si_sd)
    mean_si, sd_si = si_moments(w)
    lam = overall_infectivity(loc + imp, w)

    local_sum = window_sums(loc, starts, ends)
    lam_sum = window_sums(lam, starts, ends)
    shape = prior.shape + local_sum
    scale = 1.0 / (1.0 / prior.scale + lam_sum)
    reported = ends > mean_si

    quantiles = _unit_quantiles(shape, prior.shape) * scale[:, :, np.newaxis]
    mean = shape * scale
    std = np.sqrt(shape) * scale
    hidden = ~reported
    mean[:, hidden] = np.nan
    std[:, hidden] = np.nan
    quantiles[:, hidden, :] = np.nan

    min_cases = math.ceil(1.0 / cv_posterior**2 - prior.shape)
    return RtEstimate(
        t_start=starts,
        t_end=ends,
        shape=shape,
        scale=scale,
        mean=mean,
        std=std,
        quantiles=quantiles,
        local_cases=local_sum,
        reported=reported,
        uncertain=(local_sum < min_cases) & reported[np.newaxis, :],
        si_distr=w,
        si_mean=mean_si,
        si_sd=sd_si,
        min_cases=min_cases,
    )
