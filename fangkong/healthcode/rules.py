"""R11 and R12 as a pure function: the facts of one person and a rule set in, the
colour and its reasons out. The batch and the per-person recomputation both call it."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

RANK = {"green": 0, "yellow": 1, "red": 2}


@dataclass
class Facts:
    """What is stored about a person, reduced to what R11/R12 need."""

    case_in_care: bool = False  # confirmed, suspected or asymptomatic, no outcome yet
    discharged_on: dt.date | None = None
    under_observation: bool = False  # open observation period as a close contact or other
    centralised: bool = False  # the open period is at a centralised site
    close_contact_on: dt.date | None = None  # last exposure of a confirmed close contact
    possible_contact_on: dt.date | None = None  # general or secondary contact
    high_risk_arrival: dt.date | None = None
    medium_risk_arrival: dt.date | None = None
    abnormal_on: dt.date | None = None  # last check-in with fever or symptoms
    checkins: dict[dt.date, bool] = field(default_factory=dict)  # day -> any abnormal
    override: tuple[str, str] | None = None  # (colour, reason)


def normal_streak(checkins: dict[dt.date, bool], after: dt.date, today: dt.date) -> int:
    """Consecutive days with only normal check-ins, back from today (or yesterday if
    today's is not in yet), counting days after `after`; an abnormal day breaks it."""
    day = today if today in checkins else today - dt.timedelta(days=1)
    n = 0
    while day > after and day in checkins and not checkins[day]:
        n += 1
        day -= dt.timedelta(days=1)
    return n


def derive(f: Facts, r: Any, today: dt.date) -> tuple[str, list[str]]:
    """(colour, reasons) by R11, with R12 deciding when an event stops counting."""
    if f.override is not None:
        return f.override[0], [_("set by headquarters: %s") % f.override[1]]
    red: list[str] = []
    yellow: list[str] = []

    def red_event(day: dt.date | None, reason: str) -> None:
        if day is None:
            return
        streak = normal_streak(f.checkins, day, today)
        if (today - day).days < r.red_days or streak < r.red_checkins:
            red.append(
                reason
                + " · "
                + _("%(n)s of %(k)s normal check-ins") % {"n": streak, "k": r.red_checkins}
            )

    def yellow_event(day: dt.date | None, reason: str, window: int | None = None) -> None:
        if day is None or (window is not None and (today - day).days >= window):
            return
        streak = normal_streak(f.checkins, day, today)
        if streak < r.yellow_checkins:
            yellow.append(
                reason
                + " · "
                + _("%(n)s of %(k)s normal check-ins") % {"n": streak, "k": r.yellow_checkins}
            )

    if f.case_in_care:
        red.append(_("case under treatment"))
    if f.discharged_on and (today - f.discharged_on).days < r.post_discharge_days:
        red.append(_("within %(d)s days after discharge") % {"d": r.post_discharge_days})
    if f.centralised:
        red.append(_("in centralised observation"))
    elif f.under_observation:
        red.append(_("under medical observation"))
    red_event(f.close_contact_on, _("close contact (last exposure %s)") % f.close_contact_on)
    red_event(f.high_risk_arrival, _("arrived from a high-risk area on %s") % f.high_risk_arrival)
    yellow_event(f.abnormal_on, _("fever or symptoms reported on %s") % f.abnormal_on)
    yellow_event(
        f.medium_risk_arrival,
        _("arrived from a medium-risk area on %s") % f.medium_risk_arrival,
        r.medium_risk_days,
    )
    yellow_event(
        f.possible_contact_on,
        _("possible contact on %s") % f.possible_contact_on,
        r.possible_contact_days,
    )
    if red:
        return "red", red + yellow
    if yellow:
        return "yellow", yellow
    return "green", []
