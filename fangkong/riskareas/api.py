"""The risk-area list under /api/v1/riskareas/: read by every account, kept by
headquarters (add, lift, import a file)."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from fangkong.core import clock
from fangkong.core import listing as lists
from fangkong.core.access import require
from fangkong.riskareas import actions, rules
from fangkong.riskareas.models import RiskArea

router = Router(tags=["riskareas"])


class AreaOut(Schema):
    id: int
    code: str
    name: str
    level: str
    risk: str
    starts_on: dt.date
    ends_on: dt.date | None
    source: str


class AreaIn(Schema):
    code: str
    risk: str
    starts_on: str
    ends_on: str | None = None
    source: str


class RiskAreaEndIn(Schema):
    ends_on: str


class RiskLevelOut(Schema):
    code: str
    name: str
    on: dt.date
    risk: str
    designation: AreaOut | None


class Refused(Schema):
    line: int
    reason: str


class ImportOut(Schema):
    added: list[AreaOut]
    refused: list[Refused]


@lists.paged(router, "/", AreaOut)
def list_areas(request: HttpRequest, on: dt.date | None = None) -> Any:
    """Designations in force on `on`; all of them when no day is given; paged (`page`)
    with `count`."""
    require(request.user, "view", "riskareas.riskarea")
    qs = RiskArea.objects.order_by("-starts_on", "code", "pk")
    return qs.on(on) if on else qs


@router.get("/level", response=RiskLevelOut)
def level(request: HttpRequest, code: str, on: dt.date | None = None) -> dict:
    """The risk level of an area (or of an area enclosing it) on a day."""
    require(request.user, "view", "riskareas.riskarea")
    day = on or clock.today()
    return {
        "code": rules.canonical(code),
        "name": rules.name_of(code),
        "on": day,
        "risk": rules.level_on(code, day),
        "designation": rules.designation_on(code, day),
    }


@router.post("/", response={201: AreaOut})
def add(request: HttpRequest, body: AreaIn) -> Status:
    return Status(201, actions.add_area(request.user, body.dict()))


@router.post("/{area_id}/end", response=AreaOut)
def end(request: HttpRequest, area_id: int, body: RiskAreaEndIn) -> RiskArea:
    require(request.user, "change", "riskareas.riskarea")
    return actions.end_area(request.user, get_object_or_404(RiskArea, pk=area_id), body.ends_on)


@router.post("/import", response={200: ImportOut, 422: dict})
def import_file(request: HttpRequest, file: File[UploadedFile], source: str = "") -> Status:
    """A CSV (UTF-8 or GBK) or XLSX as announced; good rows stored, bad rows refused by line."""
    from fangkong.screening.reading import FileError

    require(request.user, "add", "riskareas.riskarea")
    try:
        report = actions.import_file(request.user, file, source[:300])
    except FileError as exc:
        return Status(422, {"detail": [{"loc": ["body", "file"], "msg": str(exc)}]})
    return Status(
        200,
        {
            "added": report.added,
            "refused": [{"line": n, "reason": r} for n, r in report.refused],
        },
    )
