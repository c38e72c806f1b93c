"""Line lists as named queries (Sara Alert style), shared by pages, exports and the API."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.core import clock
from fangkong.geo.models import Division
from fangkong.observation.models import ObservationPeriod


@dataclass(frozen=True)
class LineList:
    name: str
    label: Any
    query: Callable[[Any, dt.date], QuerySet]


LISTS: dict[str, LineList] = {
    ll.name: ll
    for ll in (
        LineList("open", _("Under observation"), lambda qs, day: qs.open()),
        LineList("reporting_today", _("Reporting today"), lambda qs, day: qs.reporting_on(day)),
        LineList(
            "not_reporting", _("Not reporting today"), lambda qs, day: qs.not_reporting_on(day)
        ),
        LineList("symptomatic", _("Symptomatic or referred"), lambda qs, day: qs.symptomatic()),
        LineList("ending_today", _("Ending today"), lambda qs, day: qs.ending_on(day)),
        LineList("released", _("Released"), lambda qs, day: qs.filter(status="released")),
    )
}


# Narrower cuts of a list for the site's day (#17), so each of its figures links to the
# persons it counts: `?only=arrived` (at the site, this one when given), `leaving`,
# `fever`.
ONLY: dict[str, Any] = {
    "arrived": _("Arrived today"),
    "leaving": _("Due to leave (planned end today or past)"),
    "fever": _("Fever today"),
}


def _only(qs: Any, only: str, day: dt.date, site: int | None) -> Any:
    if only == "arrived":
        return qs.arrived_on(day, site or None)
    if only == "leaving":
        return qs.due_to_leave(day)
    if only == "fever":
        return qs.fever_on(day)
    raise KeyError(only)


def line_list(
    user: Any,
    name: str,
    *,
    site: int | None = None,
    node_code: str = "",
    day: dt.date | None = None,
    only: str = "",
) -> QuerySet:
    """The named list in the user's scope, optionally for one site or one grid/area, and
    cut to those who arrived today, are due to leave or had a fever today (`ONLY`)."""
    if name not in LISTS:
        raise KeyError(name)
    day = day or clock.today()
    qs: Any = ObservationPeriod.objects.restrict(user, "view")
    qs = LISTS[name].query(qs, day)
    if only:
        qs = _only(qs, only, day, site)
    if site:
        qs = qs.at_site(site)
    if node_code:
        node = Division.objects.filter(code=node_code).first()
        qs = qs.in_grid(node.path) if node is not None else qs.none()
    return qs.select_related("person", "site", "room", "grid").order_by("planned_end", "pk")


def counts(user: Any, day: dt.date | None = None) -> dict[str, int]:
    return {name: line_list(user, name, day=day).count() for name in LISTS}


COLUMNS = [
    ("name", _("Name")),
    ("id_masked", _("Resident ID")),
    ("phone_masked", _("Mobile phone")),
    ("reason", _("Reason")),
    ("start_date", _("Start")),
    ("planned_end", _("Planned end")),
    ("day", pgettext_lazy("day of observation", "Day")),
    ("place", _("Place")),
    ("grid", _("Grid")),
    ("last_checkin_at", _("Last check-in")),
    ("last_temperature", _("Last temperature")),
    ("symptomatic", _("Symptomatic")),
    ("status", _("Status")),
]


def row(p: ObservationPeriod) -> dict[str, Any]:
    """One line of a list: masked personal columns only."""
    place = (
        f"{p.site.name} {p.room.number if p.room else ''}".strip()
        if p.site
        else str(p.get_place_kind_display())
    )
    return {
        "name": p.person.name,
        "id_masked": p.person.id_masked,
        "phone_masked": p.person.phone_masked,
        "reason": str(p.get_reason_display()),
        "start_date": p.start_date,
        "planned_end": p.planned_end,
        "day": p.day_number,
        "place": place,
        "grid": p.grid.name,
        "last_checkin_at": p.last_checkin_at,
        "last_temperature": p.last_temperature,
        "symptomatic": p.symptomatic,
        "status": str(p.get_status_display()),
    }
