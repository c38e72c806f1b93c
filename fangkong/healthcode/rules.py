"""R11 and R12 as a pure function: the facts of one person and a rule set in, the
colour and its reasons out. The batch and the per-person recomputation both call it."""

import datetime as dt
from collections.abc import Callable, Sequence
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


def governing(stored: Sequence[Any], fact_day: dt.date, default: Any) -> Any:
    """The rule set that judges a fact of `fact_day` (an arrival): of the sets in force
    by today (`stored`, oldest first), the latest that took effect on or before the
    fact's day, or a later one marked retroactive; before the first set, the first set;
    with none stored, `default` (the published defaults)."""
    applying = [s for s in stored if s.effective_from <= fact_day or s.retroactive]
    if applying:
        return applying[-1]
    return stored[0] if stored else default


def derive(  # noqa: C901
    f: Facts, r: Any, today: dt.date, rules_on: Callable[[dt.date], Any] | None = None
) -> tuple[str, list[str]]:
    """(colour, reasons) by R11, with R12 deciding when an event stops counting.
    `r` is the set in force today; `rules_on(day)` the set that governs an arrival of
    that day (by default `r`)."""
    on = rules_on or (lambda _day: r)
    if f.override is not None:
        return f.override[0], [_("set by headquarters: %s") % f.override[1]]
    red: list[str] = []
    yellow: list[str] = []

    def red_event(day: dt.date | None, reason: str, rs: Any = r, days: int | None = None) -> None:
        if day is None:
            return
        streak = normal_streak(f.checkins, day, today)
        if (today - day).days < (rs.red_days if days is None else days) or (
            streak < rs.red_checkins
        ):
            red.append(
                reason
                + " · "
                + _("%(n)s of %(k)s normal check-ins") % {"n": streak, "k": rs.red_checkins}
            )

    def yellow_event(
        day: dt.date | None, reason: str, window: int | None = None, rs: Any = r
    ) -> None:
        if day is None or (window is not None and (today - day).days >= window):
            return
        streak = normal_streak(f.checkins, day, today)
        if streak < rs.yellow_checkins:
            yellow.append(
                reason
                + " · "
                + _("%(n)s of %(k)s normal check-ins") % {"n": streak, "k": rs.yellow_checkins}
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
    if f.high_risk_arrival is not None:
        ar = on(f.high_risk_arrival)  # the arrival's own rule set (item 5 of issue #15)
        red_event(
            f.high_risk_arrival,
            _("arrived from a high-risk area on %s") % f.high_risk_arrival,
            ar,
            ar.high_risk_days,
        )
    yellow_event(f.abnormal_on, _("fever or symptoms reported on %s") % f.abnormal_on)
    if f.medium_risk_arrival is not None:
        mr = on(f.medium_risk_arrival)
        yellow_event(
            f.medium_risk_arrival,
            _("arrived from a medium-risk area on %s") % f.medium_risk_arrival,
            mr.medium_risk_days,
            mr,
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
