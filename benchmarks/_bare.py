"""The limits a hot path is measured against (benchmarks/_limits.py), served by gunicorn:

- `application`: a bare Django view — the project's settings with no middleware and one
  URL that decodes the JSON body and answers a small JSON object (settings module
  `_bare`, this file: `DJANGO_SETTINGS_MODULE=_bare gunicorn fangkong.wsgi`);
- `same`: the same statements through a bare Django view (`/bare/same/<path>`): the SQL
  a hot path runs, with the parameters the load generator sends (person, venue, period,
  client id), through `core.prepared` as the path sends it, and nothing else — no
  middleware, token, signature, validation or rules: what the machine does for the
  request's database work plus the least Django;
- `raw`: gunicorn alone, a plain WSGI callable answering the same bytes without Django.
Benchmark only."""

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

import orjson
from django.http import HttpRequest, JsonResponse
from django.urls import path

from fangkong.settings import *  # noqa: F403

MIDDLEWARE: list[str] = []
ROOT_URLCONF = "_bare"
BODY = b'{"colour":"green","name":"\\u5f20*","venue":"\\u4e1c\\u95e8"}'


def bare(request: HttpRequest) -> JsonResponse:
    data = json.loads(request.body) if request.body else {}
    return JsonResponse({"colour": "green", "name": "张*", "venue": str(len(data))})


def _verify(data: dict[str, Any]) -> dict[str, Any]:
    """POST /api/v1/healthcode/verify's statement (healthcode.actions.verify_at)."""
    from fangkong.core import prepared
    from fangkong.healthcode.actions import verify_at_sql

    venue, colour, name = prepared.execute(
        verify_at_sql(), [data["p"], data["v"], prepared.like_prefix(data["prefix"])]
    )[0]
    return {"colour": colour, "name": name[:1], "venue": venue}


def _scan(data: dict[str, Any]) -> dict[str, Any]:
    """POST /api/v1/tracing/scans's statements with a resident's code: the venue in the
    caller's area (venues.venue_for), the code (verify_named), the insert (record_scan)."""
    from fangkong.core import prepared
    from fangkong.healthcode.actions import verify_named_sql
    from fangkong.tracing.models import Venue
    from fangkong.tracing.venues import insert_scan_sql

    where = "code = %s AND " + prepared.starts_with(Venue.scope_path)
    venue = prepared.first(Venue, where, [data["v"], prepared.like_prefix(data["prefix"])])
    colour, _name = prepared.execute(verify_named_sql(), [data["p"]])[0]
    now = dt.datetime.now(dt.UTC)
    values = [venue.pk, data["p"], uuid.UUID(data["client_id"]), now, now, "visit", None,
              colour, True, "", venue.path]  # fmt: skip
    (pk,) = prepared.execute(insert_scan_sql(), values)[0]
    return {"id": pk, "colour": colour, "created": True}


def _checkin(data: dict[str, Any]) -> dict[str, Any]:
    """POST /api/v1/observation/self/<link>/checkins's statements in their transaction
    (observation.checkins.check_in): lock the period with its rules, the insert with the
    window's count and the line-list update, the code's read and update (on_fact)."""
    from django.db import transaction
    from psycopg.types.json import Jsonb

    from fangkong.core import prepared
    from fangkong.healthcode.actions import _code_statements
    from fangkong.observation import checkins

    s = checkins._statements()
    columns = checkins.PERIOD_COLUMNS
    now = dt.datetime.now(dt.UTC)
    day, window, temp = now.date(), "morning", Decimal("36.6")
    cid = uuid.UUID(data["client_id"])
    with transaction.atomic():
        row = prepared.execute(s["select"], [data["period"]])[0]
        pk, path, person = (row[columns.index(c)] for c in ("id", "path", "person_id"))
        values = [pk, cid, now, day, window, True, temp, Jsonb([]), "", False, False, "self",
                  None, now, path]  # fmt: skip
        values += [pk, day, window, cid] + [now, temp, False, pk]
        (checkin, _before) = prepared.execute(checkins._write_sql(True, True, False), values)[0]
        read, write, _converters = _code_statements()
        code, _colour, reasons, basis, _on = prepared.execute(read, [person])[0]
        prepared.execute(write, [Jsonb(reasons), Jsonb(basis), code])
    return {"id": checkin, "period_id": pk, "temperature": str(temp), "created": True}


def _batch(data: dict[str, Any]) -> dict[str, Any]:
    """POST /api/v1/tracing/scans/batch's write (tracing.venues.write_batch): the rows
    given resolved (venue id and path, person, colour), COPY into the stage and the
    merge, in one transaction — no venue, person or code lookup, no row checks."""
    from fangkong.tracing.venues import GoodRow, write_batch

    now = dt.datetime.now(dt.UTC)
    rows = [
        GoodRow(
            r["venue_id"],
            r["path"],
            r["person_id"],
            r["client_id"],
            now,
            "visit",
            None,
            r["colour"],
        )  # fmt: skip
        for r in data["scans"]
    ]
    stored = write_batch(rows)
    return {"received": len(rows), "stored": stored, "duplicates": len(rows) - stored}


SAME = {"verify": _verify, "scan": _scan, "checkin": _checkin, "batch": _batch}


def same(request: HttpRequest, kind: str) -> JsonResponse:
    return JsonResponse(SAME[kind](orjson.loads(request.body)), status=201)


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [
    path("healthz", healthz),
    path("bare", bare),
    path("bare/same/<str:kind>", same),
    path("bare/<path:rest>", bare),
]


def raw(environ: dict, start_response):  # type: ignore[no-untyped-def]
    """gunicorn alone: read the body, answer fixed bytes."""
    stream = environ.get("wsgi.input")
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if stream is not None and length:
        stream.read(length)
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]
    )
    return [BODY]
