"""The epidemiological part of a briefing, from plain case rows, with the analytics
package (`fangkong.analytics`): epidemic curve, Rt (Cori), doubling time, forecast,
R15 risk level and R16 colour of every county and town. No Django here."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from fangkong.analytics import epicurve, forecast, growth, risk, rt
from fangkong.analytics.inputs import AnalyticsInputError, CaseRow
from fangkong.core.querysets import ancestor_paths


@dataclass(frozen=True)
class Rated:
    """A county or town rated on the risk map."""

    code: str
    name: str
    level: str
    path: str


@dataclass(frozen=True)
class Params:
    history_days: int = 60
    rt_window: int = 7
    si_mean: float = 6.3
    si_sd: float = 4.2
    growth_days: int = 14
    forecast_days: int = 14
    rt_min_cases: int = 12
    rt_max_width: float = 2.0


def _num(x: Any) -> float | None:
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else round(x, 4)


def _table(
    day_idx: NDArray[np.int64], imported: NDArray[np.bool_], days: int
) -> NDArray[np.float64]:
    """Local (row 0) and imported (row 1) counts by day index (outside 0…days−1 left out)."""
    keep = (day_idx >= 0) & (day_idx < days)
    return epicurve.daily_counts(
        day_idx[keep], imported[keep].astype(np.int64), days=days, groups=2
    )


def curve(
    cases: Sequence[CaseRow], day: dt.date, days: int, truncation_quantile: float = 0.95
) -> dict[str, Any]:
    """The epidemic curve of the last `days` days, local and imported: by onset date (the
    cases that record one) and by report (confirmation) date as the second series.

    Also the incidence Rt is estimated from: by onset, a case without an onset date placed
    the (low) median onset-to-report delay before its report day; and the right-truncation
    horizon, the `truncation_quantile` of that delay (the last days by onset are
    incomplete: their cases are partly not yet reported)."""
    start = day - dt.timedelta(days=days - 1)
    n, s0 = len(cases), start.toordinal()
    report = np.fromiter((c.report_day.toordinal() - s0 for c in cases), np.int64, n)
    has = np.fromiter((c.onset_day is not None for c in cases), np.bool_, n)
    onset = np.fromiter(
        (c.onset_day.toordinal() - s0 if c.onset_day else 0 for c in cases), np.int64, n
    )
    imported = np.fromiter((c.imported for c in cases), np.bool_, n)
    seen = report <= days - 1  # reported by the day
    recent = seen & (report >= 0)
    by_report = _table(report[seen], imported[seen], days)
    avg = epicurve.moving_average(by_report.sum(axis=0), 7)[0]
    missing = int(np.count_nonzero(recent & ~has))
    out: dict[str, Any] = {
        "days": [(start + dt.timedelta(days=i)).isoformat() for i in range(days)],
        "local": [int(v) for v in by_report[0]],
        "imported": [int(v) for v in by_report[1]],
        "average7": [_num(v) for v in avg],
        "basis": "report",
        "onset_local": None,
        "onset_imported": None,
        "onset_missing": missing,
        "rt_local": None,
        "rt_imported": None,
        "imputed": 0,
        "delay_median": None,
        "delay_high": None,
        "truncated_from": None,
    }
    delay = np.maximum(report - onset, 0)
    delays = delay[recent & has] if np.any(recent & has) else delay[seen & has]
    if delays.size == 0:
        return out
    known = seen & has
    by_onset = _table(onset[known], imported[known], days)
    median = int(np.sort(delays)[(delays.size - 1) // 2])  # the low median: an observed delay
    high = int(math.ceil(float(np.quantile(delays, truncation_quantile))))
    estimated = np.where(has, onset, report - median)
    rt_table = _table(estimated[seen], imported[seen], days)
    out.update(
        basis="onset",
        onset_local=[int(v) for v in by_onset[0]],
        onset_imported=[int(v) for v in by_onset[1]],
        rt_local=[int(v) for v in rt_table[0]],
        rt_imported=[int(v) for v in rt_table[1]],
        imputed=missing,
        delay_median=median,
        delay_high=high,
        truncated_from=(day - dt.timedelta(days=high - 1)).isoformat() if high > 0 else None,
    )
    return out


def rt_growth_forecast(cv: dict[str, Any], day: dt.date, p: Params) -> dict[str, Any]:
    """Rt (Cori) with its 95 % credible interval, doubling time and forecast.

    Rt is estimated from local incidence by onset date, imported cases counting only as
    infectors (analytics.md); windows ending in the right-truncated days are flagged, not
    hidden, and the headline is the latest complete window. Without onset dates Rt uses
    the report dates. Doubling time and forecast are of reported cases."""
    local = np.asarray(cv["local"], dtype=np.float64)
    imported = np.asarray(cv["imported"], dtype=np.float64)
    out: dict[str, Any] = {"rt": None, "growth": None, "forecast": None}
    if local.sum() + imported.sum() == 0:
        return out
    days = local.size
    start = day - dt.timedelta(days=days - 1)
    by_onset = cv.get("basis") == "onset" and cv.get("rt_local") is not None
    rt_local = np.asarray(cv["rt_local"], dtype=np.float64) if by_onset else local
    rt_imported = np.asarray(cv["rt_imported"], dtype=np.float64) if by_onset else imported
    est = rt.estimate_rt(
        rt_local, rt_imported, si_mean=p.si_mean, si_sd=p.si_sd, window=p.rt_window
    )
    cut = days - int(cv.get("delay_high") or 0) if by_onset else days
    series = []
    windows = [int(w) for w in np.flatnonzero(est.reported)]
    lows, highs = est.quantile(0.025), est.quantile(0.975)
    for w in windows:
        end = int(est.t_end[w])
        truncated = bool(end > cut)
        low, high = _num(lows[0, w]), _num(highs[0, w])
        cases_in_window = int(rt_local[max(end - p.rt_window, 0) : end].sum())
        # Too few cases or too wide an interval: "insufficient data", never a point.
        insufficient = (
            cases_in_window < p.rt_min_cases
            or low is None
            or high is None
            or high - low > p.rt_max_width
        )
        series.append(
            {
                "day": (start + dt.timedelta(days=end - 1)).isoformat(),
                "mean": None if insufficient else _num(est.mean[0, w]),
                "low": None if insufficient else low,
                "high": None if insufficient else high,
                "cases": cases_in_window,
                "insufficient": insufficient,
                "uncertain": bool(est.uncertain[0, w]),
                "right_truncated": truncated,
            }
        )
    complete = [
        i for i, r in enumerate(series) if not r["right_truncated"] and not r["insufficient"]
    ]
    pick = complete[-1] if complete else len(series) - 1
    headline = windows[pick] if series and not series[pick]["insufficient"] else None
    if series:
        latest = series[pick]
        out["rt"] = {
            "latest": latest,
            "series": series,
            "si": f"{p.si_mean:g} ± {p.si_sd:g} d",
            "window": p.rt_window,
            "min_cases": est.min_cases,
            "credible_min_cases": p.rt_min_cases,
            "credible_max_width": p.rt_max_width,
            "basis": "onset" if by_onset else "report",
            "imputed": cv.get("imputed", 0) if by_onset else 0,
            "delay_high": cv.get("delay_high") if by_onset else None,
            "truncated_from": cv.get("truncated_from") if by_onset else None,
        }
    g = growth.growth_rate(local + imported, days=p.growth_days)
    out["growth"] = {
        "status": str(g.status[0]),
        "r": _num(g.r[0]),
        "doubling_time": _num(g.doubling_time[0]),
        "doubling_low": _num(g.doubling_low[0]),
        "doubling_high": _num(g.doubling_high[0]),
        "days": p.growth_days,
    }
    if headline is None:
        return out
    try:
        f = forecast.forecast_cases(
            local,
            imported,
            r_shape=est.shape[:, headline],
            r_scale=est.scale[:, headline],
            si_mean=p.si_mean,
            si_sd=p.si_sd,
            horizon=p.forecast_days,
            n_sim=1000,
            seed=int(day.strftime("%Y%m%d")),
        )
    except AnalyticsInputError:
        return out
    out["forecast"] = {
        "days": [(day + dt.timedelta(days=h + 1)).isoformat() for h in range(f.horizon)],
        "median": [_num(v) for v in f.median[0]],
        "low": [_num(v) for v in f.low[0]],
        "high": [_num(v) for v in f.high[0]],
        "total": {
            "median": _num(f.total_median[0]),
            "low": _num(f.total_low[0]),
            "high": _num(f.total_high[0]),
        },
    }
    return out


def risk_map(
    cases: Sequence[CaseRow],
    clusters: Sequence[tuple[str, dt.date]],
    rated: Sequence[Rated],
    day: dt.date,
    span_days: int = 365,
    county_params: risk.CountyRiskParams = risk.COUNTY_RISK_2020,
    colour_params: risk.FiveColourParams = risk.FIVE_COLOUR_2020,
) -> list[dict[str, Any]]:
    """R15 level and R16 colour of every rated division, with the inputs they came from.

    `clusters` are (path, detection day). Cases older than `span_days` are left out."""
    if not rated:
        return []
    row_of = {r.path: i for i, r in enumerate(rated)}
    start = day - dt.timedelta(days=span_days - 1)
    day_idx: list[int] = []
    rows: list[int] = []
    local = np.zeros(len(rated))
    recent_all = np.zeros(len(rated))
    recent_local = np.zeros(len(rated))
    counted_from = day - dt.timedelta(days=colour_params.count_days - 1)
    for c in cases:
        if not start <= c.report_day <= day:
            continue
        for prefix in ancestor_paths(c.path):
            i = row_of.get(prefix)
            if i is not None:
                day_idx.append((c.report_day - start).days)
                rows.append(i)
                local[i] += not c.imported
                if c.report_day >= counted_from:
                    recent_all[i] += 1
                    recent_local[i] += not c.imported
    table = epicurve.daily_counts(day_idx, rows, days=span_days, groups=len(rated))
    quiet = epicurve.days_since_last_case(table)
    cumulative = table.sum(axis=1)
    window = dt.timedelta(days=county_params.cluster_window_days)
    out = []
    for i, r in enumerate(rated):
        mine = [d for p, d in clusters if p.startswith(r.path) and d <= day]
        recent = sum(1 for d in mine if d > day - window)
        since = None if math.isnan(quiet[i]) else int(quiet[i])
        level = risk.county_risk_level(
            days_since_last_case=since,
            cumulative_confirmed=int(cumulative[i]),
            clusters_in_window=recent,
            params=county_params,
        )
        # R16 counts all confirmed cases, or (from 2020-02-12) those of the last week
        last_week = colour_params.count_days > 0
        colour = risk.five_colour_rating(
            cumulative_confirmed=int(recent_all[i] if last_week else cumulative[i]),
            local_cases=int(recent_local[i] if last_week else local[i]),
            clusters=len(mine),
            days_since_last_case=since,
            params=colour_params,
            level=level.level,
        )
        out.append(
            {
                "code": r.code,
                "name": r.name,
                "level": r.level,
                "cumulative": int(cumulative[i]),
                "local": int(local[i]),
                "clusters": len(mine),
                "clusters_recent": recent,
                "days_since_last_case": since,
                "risk": level.level.value,
                "strategy": [m.value for m in level.strategy],
                "risk_reason": level.reason,
                "colour": colour.colour.value,
                "base_colour": colour.base_colour.value,
                "score": round(colour.score, 3),
                "components": {k: round(v, 3) for k, v in colour.components.items()},
                "colour_reason": colour.reason,
                "counted_days": colour_params.count_days,
            }
        )
    return out


PARAM_SOURCES = {
    "county_risk": (risk.COUNTY_RISK_2020.effective_from.isoformat(), risk.COUNTY_RISK_2020.source),
    "five_colour": (risk.FIVE_COLOUR_2020.effective_from.isoformat(), risk.FIVE_COLOUR_2020.source),
}
