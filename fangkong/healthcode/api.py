"""/api/v1/healthcode/: a person's colour with reasons and history, verification of a
scanned code at a gate or venue, arrivals, overrides, the batch recomputation."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from fangkong.core import listing as lists
from fangkong.core.access import record, require
from fangkong.healthcode import actions, tokens
from fangkong.healthcode.models import CodeChange, HealthCode

router = Router(tags=["health code"])


RECENT = 20  # changes shown with the code itself


class ChangeOut(Schema):
    from_colour: str
    to_colour: str
    reasons: list[str]
    at: dt.datetime


class HealthCodeCodeOut(Schema):
    person_id: int
    colour: str
    reasons: list[str]
    since: dt.date
    overridden: bool
    history: list[ChangeOut] = []  # the latest RECENT changes; every one at /history
    history_count: int = 0  # how many changes there are in all


class HealthCodeVerifyIn(Schema):
    token: str
    venue_code: str


class HealthCodeVerifyOut(Schema):
    colour: str
    name: str
    venue: str


class OverrideIn(Schema):
    colour: str
    reason: str
    until: dt.date | None = None


class ArrivalIn(Schema):
    origin: str
    risk_level: str = ""  # empty: read from the risk-area list on the arrival day
    arrived_on: dt.date


def _person(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    from fangkong.people.models import Person

    return record(request.user, Person.objects, pk)


def _code(request: HttpRequest, person_id: int) -> HealthCode:
    person = _person(request, person_id)
    require(request.user, "view", "healthcode.healthcode")
    actions.colour_of(person.pk)
    code = HealthCode.objects.restrict(request.user, "view").get(person_id=person.pk)
    changes = CodeChange.objects.filter(person_id=person.pk).order_by("-at", "-pk")
    code.history = list(changes[:RECENT])  # type: ignore[attr-defined]
    code.history_count = changes.count()  # type: ignore[attr-defined]
    return code


@router.get("/persons/{person_id}", response=HealthCodeCodeOut)
def get_code(request: HttpRequest, person_id: int):  # type: ignore[no-untyped-def]
    return _code(request, person_id)


@lists.paged(router, "/persons/{person_id}/history", ChangeOut)
def history(request: HttpRequest, person_id: int) -> Any:
    """Every change of a person's colour, newest first; paged (`page`) with `count`."""
    person = _person(request, person_id)
    require(request.user, "view", "healthcode.healthcode")
    return CodeChange.objects.filter(person_id=person.pk).order_by("-at", "-pk")


@router.post("/verify", response=HealthCodeVerifyOut)
def verify(request: HttpRequest, data: HealthCodeVerifyIn):  # type: ignore[no-untyped-def]
    """A gate or venue reads a resident's QR code: its colour, if the code is genuine and
    fresh. The venue must lie in the caller's area."""
    from fangkong.core.resident import masked_name

    require(request.user, "verify", "healthcode.healthcode")
    try:
        found = actions.verify_at(request.user, data.venue_code, data.token)
    except tokens.CodeError as exc:
        raise HttpError(422, str(exc)) from None
    if found is None:
        raise HttpError(404, _("unknown venue: this QR code is not registered"))
    venue, _person_id, colour, name = found
    return {"colour": colour, "name": masked_name(name), "venue": venue}


def verify_lean(request: HttpRequest) -> tuple[int, dict] | None:
    """POST /verify on the lean path (issue #21, settings.FANGKONG_LEAN_FAST): the usual
    case — a live bearer token of a role that may verify, a body of two strings, a venue
    in the caller's area, a genuine fresh code — answered (status, body) without
    django-ninja's operation, with the body `verify` gives. Anything else is None: the
    API's own view then answers it as always (401, 403, 404, 422 and their messages).
    It writes nothing, so handing over costs only the repeated reads."""
    from fangkong.accounts.bearer import BEARER
    from fangkong.core.access import may
    from fangkong.core.middleware import PARSED
    from fangkong.core.resident import masked_name

    data = request.__dict__.get(PARSED)
    if type(data) is not dict:
        return None
    token, venue_code = data.get("token"), data.get("venue_code")
    if type(token) is not str or type(venue_code) is not str:
        return None
    user = BEARER(request)
    if user is None or not may(user, "verify", "healthcode.healthcode"):
        return None
    request.auth = user  # type: ignore[attr-defined]  # as django-ninja sets it
    try:
        found = actions.verify_at(user, venue_code, token)
    except tokens.CodeError:
        return None
    if found is None:
        return None
    venue, _person_id, colour, name = found
    return 200, {"colour": colour, "name": masked_name(name), "venue": venue}


def _record_and_recompute(request: HttpRequest, person_id: int, act: Any, data: Any) -> Status:
    """`act(user, person, **data)` on a person of the caller's area, then the person's
    code recomputed and answered (201)."""
    person = _person(request, person_id)
    try:
        act(request.user, person, **data.dict())
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from None
    actions.recompute_persons([person.pk])
    return Status(201, _code(request, person_id))


@router.post("/persons/{person_id}/override", response={201: HealthCodeCodeOut})
def override(request: HttpRequest, person_id: int, data: OverrideIn):  # type: ignore[no-untyped-def]
    return _record_and_recompute(request, person_id, actions.override_colour, data)


@router.post("/persons/{person_id}/arrivals", response={201: HealthCodeCodeOut})
def arrival(request: HttpRequest, person_id: int, data: ArrivalIn):  # type: ignore[no-untyped-def]
    return _record_and_recompute(request, person_id, actions.record_arrival, data)


@router.post("/recompute", response={202: dict})
def recompute(request: HttpRequest):  # type: ignore[no-untyped-def]
    require(request.user, "recompute", "healthcode.healthcode")
    from fangkong.healthcode.tasks import start_recompute_job

    job = start_recompute_job(request.user)
    return Status(202, {"job_id": job.pk})
