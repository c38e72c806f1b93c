"""Short-term forecast (趋势预测) of daily cases by renewal simulation, 7–14 days ahead.

Each simulated path draws one R from the posterior of the last reported Rt window and
then I_{T+h} ~ Poisson(R Λ_{T+h}), where Λ sums the serial interval over observed and
already simulated cases. Future imported cases are taken as zero. Seeded, so a stored
briefing can be recomputed identically.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from fangkong.analytics.inputs import AnalyticsInputError, local_and_imported
from fangkong.analytics.rt import RtEstimate, serial_interval_for

BAND = 0.90


@dataclass(frozen=True)
class Forecast:
    """Daily forecast per jurisdiction (jurisdictions x horizon) and the horizon total."""

    horizon: int
    n_sim: int
    median: NDArray[np.float64]
    low: NDArray[np.float64]  # 5th percentile (90 % band)
    high: NDArray[np.float64]  # 95th percentile
    total_median: NDArray[np.float64]
    total_low: NDArray[np.float64]
    total_high: NDArray[np.float64]


def last_window_posterior(
    estimate: RtEstimate,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Gamma shape and scale of R in the last reported window of each jurisdiction."""
    reported = np.flatnonzero(estimate.reported)
    if reported.size == 0:
        raise AnalyticsInputError("no Rt window is reported yet: the series is too short")
    last = reported[-1]
    return estimate.shape[:, last], estimate.scale[:, last]


def forecast_cases(
    local: ArrayLike,
    imported: ArrayLike | None = None,
    *,
    r_shape: ArrayLike,
    r_scale: ArrayLike,
    si_distr: ArrayLike | None = None,
    si_mean: float | None = None,
    si_sd: float | None = None,
    horizon: int = 14,
    n_sim: int = 1000,
    seed: int = 0,
) -> Forecast:
    """Simulate `n_sim` renewal paths per jurisdiction for `horizon` days after the data."""
    if not 7 <= horizon <= 14:
        raise AnalyticsInputError(f"the forecast covers 7 to 14 days (got {horizon})")
    if n_sim < 1:
        raise AnalyticsInputError("n_sim must be >= 1")
    loc, imp = local_and_imported(local, imported)
    history = loc + imp
    rows, days = history.shape
    shape = np.broadcast_to(np.asarray(r_shape, dtype=np.float64), (rows,))
    scale = np.broadcast_to(np.asarray(r_scale, dtype=np.float64), (rows,))
    if np.any(~(shape > 0)) or np.any(~(scale > 0)):
        raise AnalyticsInputError("posterior shape and scale of R must be > 0")
    w = serial_interval_for(days + horizon, si_distr=si_distr, si_mean=si_mean, si_sd=si_sd)
    return _simulate(history, shape, scale, w, horizon, n_sim, seed)


def _simulate(
    history: NDArray[np.float64],
    shape: NDArray[np.float64],
    scale: NDArray[np.float64],
    w: NDArray[np.float64],
    horizon: int,
    n_sim: int,
    seed: int,
) -> Forecast:
    rows, days = history.shape
    w = np.concatenate([w, np.zeros(max(days + horizon + 1 - w.size, 0))])
    # Infectiousness on each future day from the observed days: Σ_u w_{T+h-u} I_u.
    lag = days + np.arange(1, horizon + 1)[np.newaxis, :] - np.arange(1, days + 1)[:, np.newaxis]
    from_history = history @ w[lag]  # rows x horizon

    rng = np.random.default_rng(seed)
    r = rng.gamma(shape[:, np.newaxis], scale[:, np.newaxis], size=(rows, n_sim))
    future = np.zeros((rows, n_sim, horizon))
    for h in range(horizon):
        lam = from_history[:, h][:, np.newaxis] + future[:, :, :h] @ w[h:0:-1]
        future[:, :, h] = rng.poisson(r * lam)

    tail = (1.0 - BAND) / 2.0
    daily = np.quantile(future, [0.5, tail, 1.0 - tail], axis=1)
    totals = np.quantile(future.sum(axis=2), [0.5, tail, 1.0 - tail], axis=1)
    return Forecast(
        horizon=horizon,
        n_sim=n_sim,
        median=daily[0],
        low=daily[1],
        high=daily[2],
        total_median=totals[0],
        total_low=totals[1],
        total_high=totals[2],
    )


def forecast_from_estimate(
    local: ArrayLike,
    imported: ArrayLike | None,
    estimate: RtEstimate,
    *,
    si_mean: float | None = None,
    si_sd: float | None = None,
    horizon: int = 14,
    n_sim: int = 1000,
    seed: int = 0,
) -> Forecast:
    """Forecast with R from the last reported window of `estimate`.

    The serial interval is the estimate's own; pass the parametric mean and sd to extend
    it exactly past the observed days (otherwise lags beyond them count as 0).
    """
    shape, scale = last_window_posterior(estimate)
    if si_mean is not None or si_sd is not None:
        return forecast_cases(
            local,
            imported,
            r_shape=shape,
            r_scale=scale,
            si_mean=si_mean,
            si_sd=si_sd,
            horizon=horizon,
            n_sim=n_sim,
            seed=seed,
        )
    if not 7 <= horizon <= 14:
        raise AnalyticsInputError(f"the forecast covers 7 to 14 days (got {horizon})")
    if n_sim < 1:
        raise AnalyticsInputError("n_sim must be >= 1")
    loc, imp = local_and_imported(local, imported)
    return _simulate(loc + imp, shape, scale, estimate.si_distr, horizon, n_sim, seed)
