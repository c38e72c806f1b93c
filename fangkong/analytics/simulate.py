"""Renewal-process epidemics with a known R_t, for tests, benchmarks and demo data.

I_t ~ Poisson(R_t Λ_t), Λ_t = Σ_{s>=1} w_s (I^local + I^imported)_{t-s}; the first day
holds the seeding imported cases, later days optional Poisson importations.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from fangkong.analytics.inputs import AnalyticsInputError


def simulate_renewal(
    r_t: ArrayLike,
    si_distr: ArrayLike,
    *,
    seed_cases: int = 10,
    imported_rate: float = 0.0,
    seed: int = 0,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Local and imported daily cases for each row of `r_t` (jurisdictions x days)."""
    r = np.atleast_2d(np.asarray(r_t, dtype=np.float64))
    if np.any(r < 0):
        raise AnalyticsInputError("R_t must be >= 0")
    rows, days = r.shape
    w = np.asarray(si_distr, dtype=np.float64)
    w = np.concatenate([w, np.zeros(max(days + 1 - w.size, 0))])
    rng = np.random.default_rng(seed)
    local = np.zeros((rows, days))
    imported = np.zeros((rows, days))
    imported[:, 0] = seed_cases
    if imported_rate > 0:
        imported[:, 1:] = rng.poisson(imported_rate, size=(rows, days - 1))
    for t in range(1, days):
        lam = (local[:, :t] + imported[:, :t]) @ w[t:0:-1]
        local[:, t] = rng.poisson(r[:, t] * lam)
    return local, imported
