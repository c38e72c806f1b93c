"""Case reproduction number by Wallinga & Teunis (Am J Epidemiol 2004;160:509-16).

Point estimates reproduce `EpiEstim::wallinga_teunis` (version 2.2-4), vectorised over
jurisdictions: a case on day i is attributed to day j with probability
p_ij = w_{i-j} I_j / Σ_k w_{i-k} I_k, the expected offspring of a day-j case is
R_j = Σ_i p_ij I_i, and a window's R is the case-weighted mean of R_j over its days.

Right truncation: R_j counts only infectees already observed, so it is biased down for
the last days of the series; windows whose last day has seen less than `observed_min`
of its serial-interval mass are flagged `right_truncated` and the chart must say so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from fangkong.analytics.inputs import AnalyticsInputError, local_and_imported
from fangkong.analytics.rt import (
    overall_infectivity,
    serial_interval_for,
    sliding_windows,
    window_sums,
)

TRUNCATION_OBSERVED_MIN = 0.95


@dataclass(frozen=True)
class WallingaTeunisEstimate:
    """Case reproduction number per jurisdiction and window (jurisdictions x windows)."""

    t_start: NDArray[np.int64]
    t_end: NDArray[np.int64]
    mean: NDArray[np.float64]  # NaN where EpiEstim drops the window
    std: NDArray[np.float64]  # from simulated ancestries; NaN when n_sim = 0
    q025: NDArray[np.float64]
    q975: NDArray[np.float64]
    cases: NDArray[np.float64]
    observed_mass: NDArray[np.float64]  # per window: SI mass observable after t_end
    right_truncated: NDArray[np.bool_]  # per window
    r_by_day: NDArray[np.float64]  # R_j, jurisdictions x days


def _kernel(days: int, w: NDArray[np.float64]) -> NDArray[np.float64]:
    """Matrix K[j, i] = w_{i-j} for i > j (infector day j, infectee day i)."""
    lag = np.arange(days)[np.newaxis, :] - np.arange(days)[:, np.newaxis]
    w_pad = np.concatenate([w[:days], np.zeros(max(days - w.size, 0))])
    return np.where(lag > 0, w_pad[np.clip(lag, 0, days - 1)], 0.0)


def _kept_windows(
    total: NDArray[np.float64], starts: NDArray[np.int64], ends: NDArray[np.int64]
) -> NDArray[np.bool_]:
    """EpiEstim's window filter: drop windows with no case, and early windows.

    EpiEstim finds the first window index i (1-based) with a case before its t_start and
    drops windows whose t_start is below i; reproduced as written.
    """
    prefix = np.concatenate([np.zeros((total.shape[0], 1)), np.cumsum(total, axis=1)], axis=1)
    has_before = prefix[:, starts - 1] > 0  # cases on days 1..t_start-1
    first = np.where(has_before.any(axis=1), has_before.argmax(axis=1) + 1, starts.size + 10**9)
    early = starts[np.newaxis, :] < first[:, np.newaxis]
    empty = window_sums(total, starts, ends) == 0
    return ~(early | empty)


def estimate_wallinga_teunis(
    local: ArrayLike,
    imported: ArrayLike | None = None,
    *,
    si_distr: ArrayLike | None = None,
    si_mean: float | None = None,
    si_sd: float | None = None,
    window: int = 7,
    n_sim: int = 0,
    seed: int | None = None,
    observed_min: float = TRUNCATION_OBSERVED_MIN,
) -> WallingaTeunisEstimate:
    """Wallinga–Teunis R on sliding windows; `n_sim` > 0 adds intervals from ancestries.

    All cases (local and imported) count as possible infectors and infectees, as in
    EpiEstim.
    """
    loc, imp = local_and_imported(local, imported)
    total = loc + imp
    n_rows, days = total.shape
    if n_sim < 0:
        raise AnalyticsInputError("n_sim must be >= 0")
    starts, ends = sliding_windows(days, window)
    w = serial_interval_for(days, si_distr=si_distr, si_mean=si_mean, si_sd=si_sd)

    lam = overall_infectivity(total, w)
    ratio = np.divide(total, lam, out=np.zeros_like(total), where=lam > 0)
    kernel = _kernel(days, w)
    r_by_day = ratio @ kernel.T

    cases = window_sums(total, starts, ends)
    weighted = window_sums(total * r_by_day, starts, ends)
    kept = _kept_windows(total, starts, ends)
    mean = np.full(cases.shape, np.nan)
    mean[kept] = weighted[kept] / cases[kept]

    std = np.full(cases.shape, np.nan)
    q025 = np.full(cases.shape, np.nan)
    q975 = np.full(cases.shape, np.nan)
    if n_sim > 0:
        rng = np.random.default_rng(seed)
        for row in range(n_rows):
            sims = _simulate_ancestries(total[row], kernel, starts, ends, n_sim, rng)
            ok = kept[row]
            std[row, ok] = sims[:, ok].std(axis=0, ddof=1) if n_sim > 1 else np.nan
            q025[row, ok] = np.quantile(sims[:, ok], 0.025, axis=0)
            q975[row, ok] = np.quantile(sims[:, ok], 0.975, axis=0)

    cum_w = np.cumsum(w)  # cum_w[k] = Σ_{s<=k} w_s, with w_0 = 0
    observed_mass = cum_w[np.clip(days - ends, 0, cum_w.size - 1)]
    return WallingaTeunisEstimate(
        t_start=starts,
        t_end=ends,
        mean=mean,
        std=std,
        q025=q025,
        q975=q975,
        cases=cases,
        observed_mass=observed_mass,
        right_truncated=observed_mass < observed_min,
        r_by_day=r_by_day,
    )


def _simulate_ancestries(
    total: NDArray[np.float64],
    kernel: NDArray[np.float64],
    starts: NDArray[np.int64],
    ends: NDArray[np.int64],
    n_sim: int,
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """Draw an infector day for every case; return window R per simulation (n_sim x windows)."""
    weights = kernel.T * total[np.newaxis, :]  # [i, j] = w_{i-j} I_j
    row_sums = weights.sum(axis=1)
    has_source = row_sums > 0
    pvals = np.zeros_like(weights)
    pvals[has_source] = weights[has_source] / row_sums[has_source, np.newaxis]
    pvals[~has_source, 0] = 1.0  # placeholder row, drawn with n = 0
    n = np.where(has_source, total, 0).astype(np.int64)
    cases = window_sums(total[np.newaxis, :], starts, ends)[0]
    out = np.empty((n_sim, starts.size))
    for k in range(n_sim):
        draws = rng.multinomial(n, pvals)  # [i, j] infectees of day i attributed to day j
        offspring = draws.sum(axis=0).astype(np.float64)[np.newaxis, :]
        sums = window_sums(offspring, starts, ends)[0]
        out[k] = np.divide(sums, cases, out=np.full(starts.size, np.nan), where=cases > 0)
    return out
