"""Validation of incidence series shared by every estimator: counts are whole and >= 0."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray


class AnalyticsInputError(ValueError):
    """Input an estimator refuses, with a message that names the problem."""


def as_counts(values: ArrayLike, name: str = "incidence") -> NDArray[np.float64]:
    """Return `values` as a float64 array of whole non-negative counts, or refuse.

    Accepts one series (days) or many (jurisdictions x days); the result is always 2-D.
    """
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[np.newaxis, :]
    if arr.ndim != 2:
        raise AnalyticsInputError(f"{name} must be one series or a jurisdictions x days table")
    if arr.shape[1] == 0:
        raise AnalyticsInputError(f"{name} has no days")
    if not np.all(np.isfinite(arr)):
        raise AnalyticsInputError(f"{name} contains missing or infinite values")
    if np.any(arr < 0):
        raise AnalyticsInputError(f"{name} contains negative counts")
    if np.any(arr != np.floor(arr)):
        raise AnalyticsInputError(f"{name} contains non-integer counts")
    return arr


def local_and_imported(
    local: ArrayLike, imported: ArrayLike | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Validate local and (optional, default zero) imported counts of the same shape."""
    loc = as_counts(local, "local cases")
    if imported is None:
        return loc, np.zeros_like(loc)
    imp = as_counts(imported, "imported cases")
    if imp.shape != loc.shape:
        raise AnalyticsInputError(
            f"imported cases have shape {imp.shape} but local cases {loc.shape}"
        )
    return loc, imp


@dataclass(frozen=True)
class CaseRow:
    """A confirmed case: report date, the path of its PLACE (the patient's home; the
    reporting facility's node when no home is known), imported or local, onset date.
    The clinical app's briefing section hands these to the briefing's analysis."""

    report_day: dt.date
    path: str
    imported: bool = False
    onset_day: dt.date | None = None
    home_known: bool = True
