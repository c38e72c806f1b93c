"""What the page and the PDF show of a stored briefing: labels, colours, chart data."""

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.briefing import sections
from fangkong.briefing.compute import cutoff_for
from fangkong.core import clock

COLOURS = {
    "red": "#d7301f",
    "orange": "#fc8d59",
    "yellow": "#fee08b",
    "blue": "#91bfdb",
    "green": "#1a9850",
}
COLOUR_LABELS = {
    "red": _("red"),
    "orange": _("orange"),
    "yellow": _("yellow"),
    "blue": _("blue"),
    "green": _("green"),
}
RISK_LABELS = {"low": _("low risk"), "medium": _("medium risk"), "high": _("high risk")}
STRATEGY_LABELS = {
    "prevent_import": _("prevent imports (外防输入)"),
    "prevent_spread": _("prevent spread (内防扩散)"),
    "prevent_export": _("prevent export (外防输出)"),
    "strict_control": _("strict control (严格管控)"),
}
CASE_LABELS = [
    ("confirmed", pgettext_lazy("case class", "Confirmed")),
    ("suspected", _("Suspected")),
    ("asymptomatic", _("Asymptomatic")),
    ("deaths", _("Deaths")),
    ("discharged", _("Discharged")),
]
CHANGE_LABELS = {
    "confirmed": _("Cumulative confirmed"),
    "suspected": _("Suspected"),
    "asymptomatic": _("Asymptomatic"),
    "deaths": _("Deaths"),
    "discharged": _("Discharged"),
    "rt": _("Rt"),
    "under_observation": _("Under observation"),
    "screening_open": _("Screening visits open"),
    "screening_overdue": _("Screening visits overdue"),
    "persons": _("Persons registered"),
}

GROWTH_LABELS = {
    "growing": _("growing"),
    "not growing": _("not growing"),
    "insufficient data": _("insufficient data"),
}

CHART_LABELS = {
    "local": _("local"),
    "imported": _("imported"),
    "onset_local": _("local, by onset date"),
    "onset_imported": _("imported, by onset date"),
    "report": _("all, by report date"),
    "average7": _("7-day average (report date)"),
    "forecast": _("forecast (reported cases)"),
    "band": _("90% band"),
    "incomplete": _("incomplete (onset-to-report delay)"),
    "rt_incomplete": _("Rt, right-truncated"),
    "rt_band": _("credible interval"),  # the script writes "95% " before it
    "rt_low": _("lower bound of the interval"),
    "onset": _("by onset date"),
    "insufficient": _("insufficient data"),
}


def five_colour_source(data: dict[str, Any]) -> str:
    """The note of the R16 rule set the briefing applied, or the words for the platform's
    defaults (older briefings stored those in English)."""
    note = ((data.get("params") or {}).get("risk_sources") or {}).get("five_colour")
    text = note[1] if isinstance(note, list | tuple) and len(note) > 1 else ""
    return str(_("platform defaults")) if text in ("", "platform defaults") else text


def serial_interval(data: dict[str, Any]) -> str:
    """The serial interval Rt was computed with, in days ("6.3 ± 4.2"; stored with the
    unit's symbol "d", which the page gives in words)."""
    si = str(((data.get("epi") or {}).get("rt") or {}).get("si") or "")
    return si.removesuffix(" d").strip()


def _next_day(day: dt.date) -> dt.date | None:
    following = day + dt.timedelta(days=1)
    return following if cutoff_for(following) <= clock.now() else None


def context_for(node: Any, day: dt.date, b: Any) -> dict[str, Any]:
    data = b.data if b is not None and b.status == "done" else {}
    risk = [
        {
            **r,
            "hex": COLOURS[r["colour"]],
            "colour_label": COLOUR_LABELS[r["colour"]],
            "risk_label": RISK_LABELS[r["risk"]],
            "strategy_labels": [STRATEGY_LABELS[s] for s in r["strategy"]],
        }
        for r in data.get("risk", [])
    ]
    cases = data.get("cases")
    growth = ((data.get("epi") or {}).get("growth") or {}).get("status")
    return {
        "growth_status": GROWTH_LABELS.get(growth, growth) if growth else "",
        "node": node,
        "day": day,
        "prev_day": day - dt.timedelta(days=1),
        # the next day only once its cut-off has passed: before, there is no briefing of it
        "next_day": _next_day(day),
        "b": b,
        "data": data,
        "five_colour_source": five_colour_source(data),
        "serial_interval": serial_interval(data),
        "response_level": sections.label("response_level", data.get("response_level")),
        "cases": [(key, label, cases[key]) for key, label in CASE_LABELS] if cases else None,
        "counties": [r for r in risk if r["level"] == "county"],
        "towns": [r for r in risk if r["level"] == "town"],
        "change": [(CHANGE_LABELS.get(k, k), v) for k, v in data.get("change", {}).items()],
        "charts": {
            "curve": data.get("curve"),
            "rt": (data.get("epi") or {}).get("rt"),
            "forecast": (data.get("epi") or {}).get("forecast"),
            "labels": CHART_LABELS,
        },
    }
