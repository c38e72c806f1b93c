"""API for where addresses lead: aliases, grids' address keys, and moving village tasks
to grids in bulk. Endpoints on the screening router (/api/v1/screening/)."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, File, Schema, Status
from ninja.files import UploadedFile

from fangkong.core import listing as lists
from fangkong.core.access import division, record
from fangkong.geo.models import Division, GridAddressKey
from fangkong.screening import placing, residents
from fangkong.screening.actions import saved_upload
from fangkong.screening.api import router
from fangkong.screening.models import AddressAlias


class AliasIn(Schema):
    text: str
    to_code: str


class AliasOut(Schema):
    id: int
    text: str
    node_code: str = Field(..., alias="node.code")
    node_name: str = Field(..., alias="node.name")
    created_by: str
    created_at: dt.datetime

    @staticmethod
    def resolve_created_by(obj: AddressAlias) -> str:
        return obj.created_by.get_username() if obj.created_by else ""


class KeyOut(Schema):
    grid_code: str = Field(..., alias="grid.code")
    kind: str
    text: str
    low: int | None
    high: int | None


class KeyReportOut(Schema):
    ok: bool
    villages: int
    grids_created: int
    keys: int
    removed: int
    errors: list[dict]
    unused_columns: list[str]


class RefusedRow(Schema):
    row: int = Field(description="the row as the file's reader sees it in Excel")
    field: str
    column: str = Field(description="the file's own header of the field")
    reason: str


class ResidentsOut(Schema):
    total: int
    registered: int
    refused: list[RefusedRow]
    unused_columns: list[str]


class MoveIn(Schema):
    task_ids: list[int]
    grid_code: str
    reason: str = ""


class MoveOut(Schema):
    moved: int


def _node(request: HttpRequest, code: str) -> Division:
    return division(request.user, code.strip())


@lists.paged(router, "/aliases", AliasOut)
def list_aliases(request: HttpRequest, q: str = ""):  # type: ignore[no-untyped-def]
    """Aliases of the caller's area, newest first, paged (`page`) with `count`; `q`
    matches the alias text."""
    qs = AddressAlias.objects.restrict(request.user, "view").select_related("node", "created_by")
    if q.strip():
        qs = qs.filter(text__contains=q.strip()[:60])
    return qs.order_by("-created_at", "-pk")


@router.post("/aliases", response={201: AliasOut})
def add_alias(request: HttpRequest, body: AliasIn):  # type: ignore[no-untyped-def]
    """An alias may not equal a county's, town's or village's own name (422 says whose)."""
    alias = placing.add_alias(request.user, body.text, _node(request, body.to_code))
    return Status(201, alias)


@router.delete("/aliases/{pk}", response={204: None})
def delete_alias(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    alias = record(request.user, AddressAlias.objects, pk, "delete")
    placing.delete_alias(request.user, alias)
    return Status(204, None)


@lists.paged(router, "/grid-keys", KeyOut)
def list_keys(request: HttpRequest, village_code: str = ""):  # type: ignore[no-untyped-def]
    """Grid address keys of the caller's area (of one village with `village_code`),
    paged (`page`) with `count`."""
    keys = GridAddressKey.objects.restrict(request.user, "view").select_related("grid")
    if village_code:
        keys = keys.filter(grid__parent__code=village_code)
    return keys.order_by("path", "kind", "text", "low", "pk")


@router.post("/grid-keys", response=KeyReportOut)
def import_keys(request: HttpRequest, file: File[UploadedFile]):  # type: ignore[no-untyped-def]
    """A grid-keys file (CSV/XLSX, Chinese headers): all lines or none; `errors` name
    the lines (an estate given to two grids names both)."""
    saved = saved_upload(file, ".keys")
    report = placing.import_keys(request.user, saved)
    return {
        "ok": report.ok,
        "villages": report.villages,
        "grids_created": report.grids_created,
        "keys": report.keys,
        "removed": report.removed,
        "errors": [{"line": n, "reason": r} for n, r in report.errors],
        "unused_columns": report.unused_columns,
    }


@router.post("/residents", response=ResidentsOut)
def load_residents(request: HttpRequest, file: File[UploadedFile]):  # type: ignore[no-untyped-def]
    """A list of residents (CSV in UTF-8 or GBK, or XLSX; up to 20,000 rows) registered
    in the caller's area, each placed by their address; every refused row with the
    field, the file's header and the reason. The file is not kept."""
    saved = saved_upload(file, ".residents")
    loaded = residents.load_upload(request.user, saved, request)
    return {
        "total": loaded.total,
        "registered": loaded.registered,
        "refused": [
            {"row": row, "field": name, "column": loaded.columns.get(name, name), "reason": why}
            for row, name, why in loaded.refused
        ],
        "unused_columns": loaded.unused_columns,
    }


@router.post("/task-moves", response=MoveOut)
def move_tasks(request: HttpRequest, body: MoveIn):  # type: ignore[no-untyped-def]
    """Move several open tasks to one grid of the user's area (village staff)."""
    grid = _node(request, body.grid_code)
    return {"moved": placing.move_tasks(request.user, body.task_ids, grid, body.reason)}
