"""Compute one node's briefing for one day and store it (run by the background task or
the `fangkong brief` command). Figures are as of the cut-off of the rule set in force."""

import datetime as dt
import time
from typing import Any

from django.db import transaction
from django.utils import timezone

from fangkong.briefing import epi, rules
from fangkong.briefing.models import Briefing, BriefingRules, RiskRules
from fangkong.core import clock
from fangkong.core.sections import Answer, Window
from fangkong.core.sections import sections as registered_sections
from fangkong.geo.models import Division

RATED_LEVELS = ("county", "town")


def rules_in_force(day: dt.date) -> BriefingRules:
    """The rule set in force on `day`; stored, since each briefing keeps a reference."""
    return BriefingRules.in_force_stored(day)


def cutoff_for(day: dt.date) -> dt.datetime:
    return rules.cutoff_of(day, rules_in_force(day).cutoff, timezone.get_current_timezone())


def _rated(node: Division) -> list[epi.Rated]:
    qs = Division.objects.under(node).filter(level__in=RATED_LEVELS).order_by("path")
    return [epi.Rated(d.code, d.name, d.level, d.path) for d in qs]


def figures(node: Division, day: dt.date, r: BriefingRules) -> dict[str, Any]:
    """Every figure of the briefing as plain JSON values."""
    tz = timezone.get_current_timezone()
    cutoff = rules.cutoff_of(day, r.cutoff, tz)
    since = cutoff - dt.timedelta(days=1)
    p = epi.Params(
        history_days=r.history_days,
        rt_window=r.rt_window,
        si_mean=float(r.si_mean),
        si_sd=float(r.si_sd),
        growth_days=r.growth_days,
        forecast_days=r.forecast_days,
        rt_min_cases=r.rt_min_cases,
        rt_max_width=float(r.rt_max_width),
    )
    data: dict[str, Any] = {
        "node": {"code": node.code, "name": node.name, "level": node.level},
        "day": day.isoformat(),
        "cutoff": cutoff.isoformat(),
        "params": {
            "history_days": p.history_days,
            "rt_window": p.rt_window,
            "si": f"{p.si_mean:g} ± {p.si_sd:g} d",
            "si_source": r.si_source,
            "growth_days": p.growth_days,
            "forecast_days": p.forecast_days,
            "risk_sources": epi.PARAM_SOURCES,
        },
        "sections": [],
    }
    # every app's own section (core.sections), in order, for one cut-off window
    window = Window(since, cutoff, day)
    for section in registered_sections():
        answer = section.ask(node.path, window)
        if answer is None:  # nothing to report
            continue
        data[section.name] = answer.figures
        if section.listed:
            data["sections"].append(section.name)
        if section.name == "cases":  # the briefing's own analysis of the case rows
            _analyse(data, node, day, p, answer)
    return data


def _analyse(
    data: dict[str, Any], node: Division, day: dt.date, p: epi.Params, cases: Answer
) -> None:
    """Curve, Rt, growth and forecast, and the risk map from the cases section's rows and
    clusters."""
    cv = epi.curve(list(cases.rows), day, p.history_days)
    data["curve"] = cv
    data["epi"] = epi.rt_growth_forecast(cv, day, p)
    rr = RiskRules.in_force_stored(day)
    data["risk"] = epi.risk_map(
        list(cases.rows),
        list(cases.clusters),
        _rated(node),
        day,
        colour_params=rules.five_colour_params(rr),
    )
    data["params"]["risk_sources"] = {
        "county_risk": epi.PARAM_SOURCES["county_risk"],
        "five_colour": (rr.effective_from.isoformat(), rr.note),  # "": the defaults
    }
    data["sections"] += ["curve", "epi", "risk"]


def compute(node: Division, day: dt.date, job: Any = None) -> Briefing:
    """Compute and store (replacing an earlier run of the same node and day)."""
    r = rules_in_force(day)
    started = time.perf_counter()
    data = figures(node, day, r)
    before = Briefing.objects.filter(
        node=node, day=day - dt.timedelta(days=1), status="done"
    ).first()
    data["change"] = rules.change_since(data, before.data if before else None)
    with transaction.atomic():
        b, _created = Briefing.objects.update_or_create(
            node=node,
            day=day,
            defaults={
                "cutoff_at": rules.cutoff_of(day, r.cutoff, timezone.get_current_timezone()),
                "rules": r,
                "data": data,
                "status": Briefing.Status.DONE,
                "message": "",
                "computed_at": clock.now(),
                "facts_changed_at": None,
                "compute_seconds": time.perf_counter() - started,
                **({"job": job} if job is not None else {}),
            },
        )
    return b
