"""Items of the daily meeting's agenda from the node's stored briefing (command asks)."""

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from fangkong.briefing.models import Briefing


def agenda_from_briefing(node: Any, day: dt.date) -> list[str]:
    b = Briefing.objects.filter(node=node, day=day, status="done").first()
    if b is None:
        return [_("Situation: no briefing computed for %(day)s yet") % {"day": day}]
    d = b.data
    items = []
    cases = d.get("cases")
    if cases:
        items.append(
            _("Situation: %(new)d new confirmed, %(total)d cumulative")
            % {"new": cases["confirmed"]["new"], "total": cases["confirmed"]["cumulative"]}
        )
    rt = (d.get("epi") or {}).get("rt")
    if rt and rt["latest"].get("insufficient"):
        items.append(_("Rt: insufficient data"))
    elif rt:
        items.append(
            _("Rt %(mean).2f (95%% CrI %(low).2f–%(high).2f)")
            % {
                "mean": rt["latest"]["mean"],
                "low": rt["latest"]["low"],
                "high": rt["latest"]["high"],
            }
        )
    high = [r["name"] for r in d.get("risk", []) if r["risk"] == "high"]
    if high:
        items.append(_("High-risk areas: %(names)s") % {"names": "、".join(high)})
    s = d.get("screening")
    if s and s.get("overdue"):
        items.append(_("Screening: %(n)d visits overdue") % {"n": s["overdue"]})
    o = d.get("observation")
    if o and o.get("not_reporting_yesterday"):
        items.append(
            _("Observation: %(n)d persons missed a check-in") % {"n": o["not_reporting_yesterday"]}
        )
    c = d.get("command")
    if c and (c.get("receipts_overdue") or c.get("decisions_overdue")):
        items.append(
            _("Follow-up: %(r)d directive receipts and %(d)d decisions overdue")
            % {"r": c["receipts_overdue"], "d": c["decisions_overdue"]}
        )
    return items
