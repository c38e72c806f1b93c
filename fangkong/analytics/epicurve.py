"""Epidemic curves (流行曲线) as jurisdictions x days tables, the input of every estimator.

Cases arrive as rows (a day and a jurisdiction each); these helpers count them into a
table, roll the table up the jurisdiction tree (village -> town -> county -> city: Rt
of a town comes from the town's summed incidence, never from its villages' Rt) and
derive the plain values the risk rules need.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from fangkong.analytics.inputs import AnalyticsInputError


def daily_counts(
    day: ArrayLike, group: ArrayLike, *, days: int, groups: int
) -> NDArray[np.float64]:
    """Count cases by (group, day) index pairs into a groups x days table.

    `day` is 0 for the first day of the table; rows outside the table are refused rather
    than dropped, so a case is never silently lost.
    """
    d = np.asarray(day, dtype=np.int64).ravel()
    g = np.asarray(group, dtype=np.int64).ravel()
    if d.shape != g.shape:
        raise AnalyticsInputError("day and group indexes must have the same length")
    if d.size and (d.min() < 0 or d.max() >= days):
        raise AnalyticsInputError(f"a case falls outside the {days} days of the table")
    if g.size and (g.min() < 0 or g.max() >= groups):
        raise AnalyticsInputError(f"a case belongs to no group of the {groups} in the table")
    flat = np.bincount(g * days + d, minlength=groups * days)
    return flat.reshape(groups, days).astype(np.float64)


def roll_up(table: ArrayLike, parent: ArrayLike, parents: int) -> NDArray[np.float64]:
    """Sum the rows of `table` into their parents (`parent[i]` is row i's parent index)."""
    t = np.atleast_2d(np.asarray(table, dtype=np.float64))
    p = np.asarray(parent, dtype=np.int64).ravel()
    if p.size != t.shape[0]:
        raise AnalyticsInputError("every row needs exactly one parent")
    if p.size and (p.min() < 0 or p.max() >= parents):
        raise AnalyticsInputError("a parent index is out of range")
    out = np.zeros((parents, t.shape[1]))
    np.add.at(out, p, t)
    return out


def days_since_last_case(table: ArrayLike) -> NDArray[np.float64]:
    """Days from each row's last day with a case to the table's last day (NaN: no case).

    0 means a case on the last day; feed it to the R15/R16 rules as an int, or None
    for NaN.
    """
    t = np.atleast_2d(np.asarray(table, dtype=np.float64))
    days = t.shape[1]
    has = t > 0
    last = days - 1 - np.argmax(has[:, ::-1], axis=1)
    return np.where(has.any(axis=1), (days - 1 - last).astype(np.float64), np.nan)


def moving_average(table: ArrayLike, window: int = 7) -> NDArray[np.float64]:
    """Trailing mean over `window` days (NaN until a full window is available)."""
    if window < 1:
        raise AnalyticsInputError("window must be at least 1 day")
    t = np.atleast_2d(np.asarray(table, dtype=np.float64))
    cum = np.concatenate([np.zeros((t.shape[0], 1)), np.cumsum(t, axis=1)], axis=1)
    out = np.full(t.shape, np.nan)
    if t.shape[1] >= window:
        out[:, window - 1 :] = (cum[:, window:] - cum[:, :-window]) / window
    return out
