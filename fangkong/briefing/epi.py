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

from fangkong.analytics import epicurve, forecast, growth, risk, rt
from fangkong.analytics.inputs import AnalyticsInputError


@dataclass(frozen=True)
class CaseRow:
    """A confirmed case: report date, jurisdiction path, imported or local, onset date."""

    report_day: dt.date
    path: str
    imported: bool = False
    onset_day: dt.date | None = None


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


def _num(x: Any) -> float | None:
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else round(x, 4)


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def curve(cases: Sequence[CaseRow], day: dt.date, days: int) -> dict[str, Any]:
    """Daily counts by report date (local, imported) and by onset date, last `days` days."""
    start = day - dt.timedelta(days=days - 1)
    in_range = [c for c in cases if start <= c.report_day <= day]
    idx = [(c.report_day - start).days for c in in_range]
    group = [1 if c.imported else 0 for c in in_range]
    table = epicurve.daily_counts(idx, group, days=days, groups=2)
    onset = [c for c in cases if c.onset_day is not None and start <= c.onset_day <= day]
    onset_table = epicurve.daily_counts(
        [(c.onset_day - start).days for c in onset if c.onset_day],
        [0] * len(onset),
        days=days,
        groups=1,
    )
    avg = epicurve.moving_average(table.sum(axis=0), 7)[0]
    return {
        "days": [(start + dt.timedelta(days=i)).isoformat() for i in range(days)],
        "local": [int(v) for v in table[0]],
        "imported": [int(v) for v in table[1]],
        "onset": [int(v) for v in onset_table[0]] if any(c.onset_day for c in cases) else None,
        "average7": [_num(v) for v in avg],
    }


def rt_growth_forecast(cv: dict[str, Any], day: dt.date, p: Params) -> dict[str, Any]:
    """Rt with its 95 % credible interval, doubling time and forecast of the node's curve."""
    local = np.asarray(cv["local"], dtype=np.float64)
    imported = np.asarray(cv["imported"], dtype=np.float64)
    out: dict[str, Any] = {"rt": None, "growth": None, "forecast": None}
    if local.sum() + imported.sum() == 0:
        return out
    days = local.size
    start = day - dt.timedelta(days=days - 1)
    est = rt.estimate_rt(local, imported, si_mean=p.si_mean, si_sd=p.si_sd, window=p.rt_window)
    series = []
    for w in np.flatnonzero(est.reported):
        series.append(
            {
                "day": (start + dt.timedelta(days=int(est.t_end[w]) - 1)).isoformat(),
                "mean": _num(est.mean[0, w]),
                "low": _num(est.quantile(0.025)[0, w]),
                "high": _num(est.quantile(0.975)[0, w]),
                "uncertain": bool(est.uncertain[0, w]),
            }
        )
    if series:
        out["rt"] = {
            "latest": series[-1],
            "series": series,
            "si": f"{p.si_mean:g} ± {p.si_sd:g} d",
            "window": p.rt_window,
            "min_cases": est.min_cases,
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
    try:
        f = forecast.forecast_from_estimate(
            local,
            imported,
            est,
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
    for c in cases:
        if not start <= c.report_day <= day:
            continue
        for prefix in _prefixes(c.path):
            i = row_of.get(prefix)
            if i is not None:
                day_idx.append((c.report_day - start).days)
                rows.append(i)
                local[i] += not c.imported
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
        colour = risk.five_colour_rating(
            cumulative_confirmed=int(cumulative[i]),
            local_cases=int(local[i]),
            clusters=len(mine),
            days_since_last_case=since,
            params=colour_params,
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
            }
        )
    return out


PARAM_SOURCES = {
    "county_risk": (risk.COUNTY_RISK_2020.effective_from.isoformat(), risk.COUNTY_RISK_2020.source),
    "five_colour": (risk.FIVE_COLOUR_2020.effective_from.isoformat(), risk.FIVE_COLOUR_2020.source),
}
