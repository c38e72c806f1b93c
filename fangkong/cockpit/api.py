"""The cockpit as JSON: what the signed-in account lands on (GET /api/v1/cockpit/).
A phone's call button uses the persons API's audited reveal (POST
/api/v1/persons/{id}/reveal/phone)."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from fangkong.cockpit import front, hooks
from fangkong.cockpit import leader as figures
from fangkong.core import clock

router = Router(tags=["cockpit"])


class CockpitFigure(Schema):
    name: str
    today: float | None
    yesterday: float | None
    delta: float | None


class CockpitOverdue(Schema):
    kind: str
    owner: str
    n: int


class CockpitRating(Schema):
    code: str
    name: str
    level: str
    colour: str
    risk: str
    cumulative: int
    days_since_last_case: int | None


class CockpitVillage(Schema):
    """A village of a town leader's town: open observations, open and overdue visits."""

    code: str
    name: str
    observed: int
    visits: int
    overdue: int


class CockpitLeader(Schema):
    node: str
    at: dt.datetime
    # the cut-off of the node's latest briefing (it counts to then; these figures to `at`)
    briefing_cutoff: dt.datetime | None = None
    figures: list[CockpitFigure]
    overdue: list[CockpitOverdue]
    ratings: list[CockpitRating]
    villages: list[CockpitVillage] = []  # a town's leader only


class CockpitVisit(Schema):
    task_id: int
    name: str
    due_at: dt.datetime
    overdue: bool


class CockpitMissed(Schema):
    task_id: int
    person_id: int
    name: str
    local_date: dt.date
    window: str
    phone_masked: str
    can_call: bool


class CockpitGrid(Schema):
    visits_total: int
    visits_overdue: int
    visits: list[CockpitVisit]
    missed_total: int
    missed: list[CockpitMissed]


class CockpitClock(Schema):
    case_id: int
    case_number: str
    kind: str
    state: str
    due: dt.datetime


class CockpitClinic(Schema):
    overdue: int
    running: int
    clocks: list[CockpitClock]


class CockpitFreeRoom(Schema):
    room_id: int
    number: str
    free: int


class CockpitAwaiting(Schema):
    period_id: int
    person_id: int
    name: str
    grid: str
    start_date: dt.date


class CockpitSite(Schema):
    """A site's day: each figure is the `count` of the line list
    `/api/v1/observation/periods?list=…&site=…&only=…` it stands for (free beds: the sum
    of `/sites/{id}/rooms?free=true`). A person awaiting a room is admitted with
    `POST /api/v1/observation/periods/{period_id}/admit` and one of `free_rooms`."""

    site_id: int
    name: str
    residents: int  # list=open
    arrivals: int  # list=open&only=arrived
    free: int
    missing: int  # list=not_reporting
    fevers: int  # list=open&only=fever
    leaving: int  # list=open&only=leaving
    awaiting: list[CockpitAwaiting]
    free_rooms: list[CockpitFreeRoom]


class CockpitOut(Schema):
    kind: str  # "leader", "grid", "clinic", "site" or "none"
    leader: CockpitLeader | None = None
    grid: CockpitGrid | None = None
    clinic: CockpitClinic | None = None
    sites: list[CockpitSite] | None = None


def _site_day(user: Any) -> list[dict[str, Any]]:
    names = ("residents", "arrivals", "free", "missing", "fevers", "leaving")
    return [
        {
            "site_id": s["site"].pk,
            "name": s["site"].name,
            **{n: s[n] for n in names},
            "awaiting": [
                {
                    "period_id": p.pk,
                    "person_id": p.person_id,
                    "name": p.person.name,
                    "grid": p.grid.name,
                    "start_date": p.start_date,
                }
                for p in s["awaiting"]
            ],
            "free_rooms": [
                {"room_id": r.pk, "number": r.number, "free": r.free} for r in s["free_rooms"]
            ],
        }
        for s in front.sites_today(user).get("sites", [])
    ]


@router.get("/", response=CockpitOut)
def cockpit(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The figures of the caller's cockpit, as on their home page."""
    user: Any = request.user
    role = getattr(user, "role", "")
    if user.node_id is None:
        return {"kind": "none"}
    if role in hooks.LEADERS:
        node, at = user.node, clock.now()
        h = figures.headline(node, at)
        return {
            "kind": "leader",
            "leader": {
                "node": node.code,
                "at": at,
                "briefing_cutoff": figures.briefing_cutoff(user),
                "figures": h["figures"],
                "overdue": figures.overdue(node, at),
                "ratings": h["ratings"],
                "villages": figures.villages(node, at),
            },
        }
    if role in hooks.GRID:
        v, m = front.visits(user), front.missed_checkins(user)
        return {
            "kind": "grid",
            "grid": {
                "visits_total": v.get("total", 0),
                "visits_overdue": v.get("overdue", 0),
                "visits": [
                    {
                        "task_id": t.pk,
                        "name": t.subject.name,
                        "due_at": t.due_at,
                        "overdue": t.overdue,
                    }
                    for t in v.get("rows", [])
                ],
                "missed_total": m.get("total", 0),
                "missed": [
                    {
                        "task_id": r["task"].pk,
                        "person_id": r["person"].pk,
                        "name": r["person"].name,
                        "local_date": r["task"].local_date,
                        "window": r["task"].window,
                        "phone_masked": r["person"].phone_masked,
                        "can_call": r["can_call"],
                    }
                    for r in m.get("rows", [])
                ],
            },
        }
    if role in hooks.CLINIC:
        c = front.clocks(user)
        return {
            "kind": "clinic",
            "clinic": {
                "overdue": c.get("overdue", 0),
                "running": c.get("running", 0),
                "clocks": [
                    {
                        "case_id": r["case"].pk,
                        "case_number": r["case"].number,
                        "kind": r["kind"],
                        "state": r["state"],
                        "due": r["due"],
                    }
                    for r in c.get("rows", [])
                ],
            },
        }
    if role in hooks.SITE:
        return {"kind": "site", "sites": _site_day(user)}
    return {"kind": "none"}
