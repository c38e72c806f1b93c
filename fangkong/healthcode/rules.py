"""R11 and R12 as a pure function: the facts of one person and a rule set in, the
colour and its reasons out. The batch and the per-person recomputation both call it."""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
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


def derive(
    f: Facts, r: Any, today: dt.date, rules_on: Callable[[dt.date], Any] | None = None
) -> tuple[str, list[str]]:
    """(colour, reasons) by R11, with R12 deciding when an event stops counting.
    `r` is the set in force today; `rules_on(day)` the set that governs an arrival of
    that day (by default `r`)."""
    on = rules_on or (lambda _day: r)
    if f.override is not None:
        return f.override[0], [_("set by headquarters: %s") % f.override[1]]
    red = _red_reasons(f, r, today, on)
    yellow = _yellow_reasons(f, r, today, on)
    if red:
        return "red", red + yellow
    if yellow:
        return "yellow", yellow
    return "green", []


def _streak_note(f: Facts, day: dt.date, today: dt.date, needed: int) -> tuple[int, str]:
    """The run of normal check-ins since `day`, and how it reads beside a reason."""
    streak = normal_streak(f.checkins, day, today)
    return streak, " · " + _("%(n)s of %(k)s normal check-ins") % {"n": streak, "k": needed}


def _red_reasons(f: Facts, r: Any, today: dt.date, on: Callable[[dt.date], Any]) -> list[str]:
    """Why the code is red: a case, after discharge, under observation, or an event
    (close contact, arrival from a high-risk area) still within its days or its run of
    normal check-ins."""
    red: list[str] = []

    def event(day: dt.date | None, reason: str, rs: Any, days: int) -> None:
        if day is None:
            return
        streak, note = _streak_note(f, day, today, rs.red_checkins)
        if (today - day).days < days or streak < rs.red_checkins:
            red.append(reason + note)

    if f.case_in_care:
        red.append(_("case under treatment"))
    if f.discharged_on and (today - f.discharged_on).days < r.post_discharge_days:
        red.append(_("within %(d)s days after discharge") % {"d": r.post_discharge_days})
    if f.centralised:
        red.append(_("in centralised observation"))
    elif f.under_observation:
        red.append(_("under medical observation"))
    event(
        f.close_contact_on,
        _("close contact (last exposure %s)") % f.close_contact_on,
        r,
        r.red_days,
    )
    if f.high_risk_arrival is not None:
        ar = on(f.high_risk_arrival)  # the arrival's own rule set (item 5 of issue #15)
        event(
            f.high_risk_arrival,
            _("arrived from a high-risk area on %s") % f.high_risk_arrival,
            ar,
            ar.high_risk_days,
        )
    return red


def _yellow_reasons(f: Facts, r: Any, today: dt.date, on: Callable[[dt.date], Any]) -> list[str]:
    """Why the code is yellow: fever or symptoms reported, an arrival from a medium-risk
    area or a possible contact within its window, until the run of normal check-ins."""
    yellow: list[str] = []

    def event(day: dt.date | None, reason: str, window: int | None, rs: Any) -> None:
        if day is None or (window is not None and (today - day).days >= window):
            return
        streak, note = _streak_note(f, day, today, rs.yellow_checkins)
        if streak < rs.yellow_checkins:
            yellow.append(reason + note)

    event(f.abnormal_on, _("fever or symptoms reported on %s") % f.abnormal_on, None, r)
    if f.medium_risk_arrival is not None:
        mr = on(f.medium_risk_arrival)
        event(
            f.medium_risk_arrival,
            _("arrived from a medium-risk area on %s") % f.medium_risk_arrival,
            mr.medium_risk_days,
            mr,
        )
    event(
        f.possible_contact_on,
        _("possible contact on %s") % f.possible_contact_on,
        r.possible_contact_days,
        r,
    )
    return yellow


# ---------------------------------------------------------------- the stored basis
# A full recomputation reads every fact source (~20 queries). A normal check-in changes
# only the run of normal check-in days, so the code keeps what derive() read, reduced to
# plain JSON (`basis_of`), with the day it was derived; a normal check-in of that day
# re-derives the colour from it (`with_normal_checkin`, `derive_from_basis`). Facts
# stored, state derived: every full recomputation writes the basis anew.

RULE_FIELDS = (
    "post_discharge_days",
    "high_risk_days",
    "medium_risk_days",
    "possible_contact_days",
    "red_days",
    "red_checkins",
    "yellow_checkins",
)
FLAG_FACTS = ("case_in_care", "under_observation", "centralised")
DATE_FACTS = (
    "discharged_on",
    "close_contact_on",
    "possible_contact_on",
    "high_risk_arrival",
    "medium_risk_arrival",
    "abnormal_on",
)
ONE_DAY = dt.timedelta(days=1)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _rule_values(rs: Any) -> dict[str, int]:
    return {name: int(getattr(rs, name)) for name in RULE_FIELDS}


def checkin_run(checkins: dict[dt.date, bool], today: dt.date) -> dict[str, str | None]:
    """What normal_streak can see of the check-ins on `today`: the last check-in day up
    to today and, when that day is normal, the first day of the unbroken run of normal
    days ending there (`from`; None when the last day is abnormal)."""
    days = [d for d in checkins if d <= today]
    if not days:
        return {"last": None, "from": None}
    last = max(days)
    if checkins[last]:
        return {"last": last.isoformat(), "from": None}
    start = last
    while checkins.get(start - ONE_DAY) is False:
        start -= ONE_DAY
    return {"last": last.isoformat(), "from": start.isoformat()}


def basis_of(
    f: Facts, r: Any, today: dt.date, rules_on: Callable[[dt.date], Any] | None = None
) -> dict[str, Any]:
    """The facts and rule values derive() uses on `today`, as plain JSON."""
    on = rules_on or (lambda _day: r)
    arrivals = {d for d in (f.high_risk_arrival, f.medium_risk_arrival) if d is not None}
    return {
        "facts": {
            **{name: getattr(f, name) for name in FLAG_FACTS},
            **{name: _iso(getattr(f, name)) for name in DATE_FACTS},
            "override": list(f.override) if f.override else None,
        },
        "checkins": checkin_run(f.checkins, today),
        "rules": _rule_values(r),
        "rules_on": {d.isoformat(): _rule_values(on(d)) for d in sorted(arrivals)},
    }


def with_normal_checkin(basis: dict[str, Any], day: dt.date, today: dt.date) -> dict | None:
    """The basis after a normal check-in on `day`, or None when it cannot tell (a day
    after today, or a day that may join the run to an earlier one): then the facts are
    read again."""
    seen = basis["checkins"]
    last, start = _date(seen["last"]), _date(seen["from"])
    if day > today or (start is not None and day == start - ONE_DAY):
        return None
    if last is None or day > last + ONE_DAY or (start is None and day > last):
        run = {"last": day.isoformat(), "from": day.isoformat()}  # a new run
    elif start is not None and day == last + ONE_DAY:
        run = {"last": day.isoformat(), "from": seen["from"]}  # the run goes on
    else:  # a day already counted, after an abnormal day, or before a gap: no change
        return basis
    return {**basis, "checkins": run}


def derive_from_basis(basis: dict[str, Any], today: dt.date) -> tuple[str, list[str]]:
    """derive() on the facts and rules kept in a basis (of `today`)."""
    stored = basis["facts"]
    f = Facts()
    for name in FLAG_FACTS:
        setattr(f, name, stored[name])
    for name in DATE_FACTS:
        setattr(f, name, _date(stored[name]))
    if stored["override"]:
        f.override = (stored["override"][0], stored["override"][1])
    last, start = _date(basis["checkins"]["last"]), _date(basis["checkins"]["from"])
    if last is not None and start is None:
        f.checkins = {last: True}
    elif last is not None and start is not None:
        f.checkins = {start + ONE_DAY * i: False for i in range((last - start).days + 1)}
    r = SimpleNamespace(**basis["rules"])
    by_day = basis["rules_on"]

    def rules_on(day: dt.date) -> Any:
        found = by_day.get(day.isoformat())
        return SimpleNamespace(**found) if found is not None else r

    return derive(f, r, today, rules_on)
