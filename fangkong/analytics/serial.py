"""Serial interval (代际间隔) defaults and EpiEstim's discretised offset-gamma distribution.

`discr_si` is the formula of EpiEstim's `discr_si` (Cori et al. 2013, web appendix 11):
the day-k probability of a gamma distribution shifted by one day, integrated against a
triangular kernel so that daily incidence convolves exactly with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gammainc

from fangkong.analytics.inputs import AnalyticsInputError


@dataclass(frozen=True)
class SerialInterval:
    """A dated serial-interval parameter (days) with the study it comes from."""

    mean: float
    sd: float
    effective_from: date
    source: str
    role: str = "default"  # "default" or "sensitivity"

    def distribution(self, days: int) -> NDArray[np.float64]:
        """Discretised probabilities w_0..w_{days-1} (w_0 = 0)."""
        return discr_si(np.arange(days), self.mean, self.sd)

    def label(self) -> str:
        return f"{self.mean:g} ± {self.sd:g} d ({self.source})"


@dataclass(frozen=True)
class IncubationPeriod:
    """A dated lognormal incubation period (days)."""

    meanlog: float
    sdlog: float
    effective_from: date
    source: str

    @property
    def median(self) -> float:
        return float(np.exp(self.meanlog))

    def quantile(self, p: float) -> float:
        from scipy.stats import lognorm

        return float(lognorm.ppf(p, s=self.sdlog, scale=np.exp(self.meanlog)))


# The platform applies these from the start of the Level I response (R18, 2020-01-23);
# headquarters can add later-dated ones (the interval shortened as isolation sped up,
# Ali ST et al., Science 2020), and every chart names the one it used.
RESPONSE_START = date(2020, 1, 23)

SERIAL_INTERVAL_SHENZHEN = SerialInterval(
    mean=6.3,
    sd=4.2,
    effective_from=RESPONSE_START,
    source="Bi Q et al., Lancet Infect Dis 2020;20:911 (Shenzhen)",
)
SERIAL_INTERVAL_WUHAN = SerialInterval(
    mean=7.5,
    sd=3.4,
    effective_from=RESPONSE_START,
    source="Li Q et al., N Engl J Med 2020;382:1199 (Wuhan)",
    role="sensitivity",
)
SERIAL_INTERVAL_DU = SerialInterval(
    mean=3.96,
    sd=4.75,
    effective_from=RESPONSE_START,
    source="Du Z et al., Emerg Infect Dis 2020;26:1341 (93 Chinese cities)",
    role="sensitivity",
)
SERIAL_INTERVALS: tuple[SerialInterval, ...] = (
    SERIAL_INTERVAL_SHENZHEN,
    SERIAL_INTERVAL_WUHAN,
    SERIAL_INTERVAL_DU,
)
DEFAULT_SERIAL_INTERVAL = SERIAL_INTERVAL_SHENZHEN

INCUBATION_PERIOD = IncubationPeriod(
    meanlog=1.621,
    sdlog=0.418,
    effective_from=RESPONSE_START,
    source="Lauer SA et al., Ann Intern Med 2020;172:577",
)


def in_force(params: Sequence[SerialInterval], day: date, role: str = "default") -> SerialInterval:
    """The serial interval of `role` with the latest effective date on or before `day`."""
    candidates = [p for p in params if p.role == role and p.effective_from <= day]
    if not candidates:
        raise AnalyticsInputError(f"no {role} serial interval is in force on {day.isoformat()}")
    return max(candidates, key=lambda p: p.effective_from)


def _gamma_cdf(x: NDArray[np.float64], shape: float, scale: float) -> NDArray[np.float64]:
    """Gamma(shape, scale) CDF with F(x <= 0) = 0, as R's pgamma."""
    out = np.zeros_like(x, dtype=np.float64)
    pos = x > 0
    out[pos] = gammainc(shape, x[pos] / scale)
    return out


def discr_si(k: ArrayLike, mu: float, sigma: float) -> NDArray[np.float64]:
    """EpiEstim `discr_si`: discretised gamma serial interval offset by one day.

    With a = ((mu-1)/sigma)^2, b = sigma^2/(mu-1) and F_a the Gamma(a, scale b) CDF:
    w_k = k F_a(k) + (k-2) F_a(k-2) - 2(k-1) F_a(k-1)
          + a b [2 F_{a+1}(k-1) - F_{a+1}(k-2) - F_{a+1}(k)], clipped at 0.
    """
    if sigma <= 0:
        raise AnalyticsInputError(f"serial interval sd must be > 0 (got {sigma:g})")
    if mu <= 1:
        raise AnalyticsInputError(f"serial interval mean must be > 1 day (got {mu:g})")
    kk = np.asarray(k, dtype=np.float64)
    if np.any(kk < 0):
        raise AnalyticsInputError("serial interval days must be >= 0")
    a = ((mu - 1.0) / sigma) ** 2
    b = sigma**2 / (mu - 1.0)
    res = kk * _gamma_cdf(kk, a, b) + (kk - 2) * _gamma_cdf(kk - 2, a, b)
    res = res - 2 * (kk - 1) * _gamma_cdf(kk - 1, a, b)
    res = res + a * b * (
        2 * _gamma_cdf(kk - 1, a + 1, b) - _gamma_cdf(kk - 2, a + 1, b) - _gamma_cdf(kk, a + 1, b)
    )
    return np.maximum(res, 0.0)


def check_si_distr(si_distr: ArrayLike) -> NDArray[np.float64]:
    """Validate a non-parametric serial interval as EpiEstim does (w_0 = 0, >= 0, sums to 1)."""
    w = np.asarray(si_distr, dtype=np.float64)
    if w.ndim != 1 or w.size < 2:
        raise AnalyticsInputError("serial interval distribution needs at least two values")
    if not np.all(np.isfinite(w)):
        raise AnalyticsInputError("serial interval distribution contains missing values")
    if w[0] != 0:
        raise AnalyticsInputError("serial interval distribution must start with 0 (w_0 = 0)")
    if np.any(w < 0):
        raise AnalyticsInputError("serial interval distribution contains negative values")
    if abs(w.sum() - 1.0) > 0.01:
        raise AnalyticsInputError(f"serial interval distribution sums to {w.sum():g}, not 1")
    return w


def si_moments(si_distr: ArrayLike) -> tuple[float, float]:
    """Mean and sd of a discrete serial interval, as EpiEstim reports them."""
    w = np.asarray(si_distr, dtype=np.float64)
    k = np.arange(w.size)
    mean = float(np.sum(w * k))
    return mean, float(np.sqrt(max(np.sum(w * k**2) - mean**2, 0.0)))
