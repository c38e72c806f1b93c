"""The self-service code under /api/v1/selfservice/: open endpoints (no token, rate
limited) for a resident's application and appeal — the phone verified by the public
side's SMS code (/api/v1/public/open/codes) — and staff endpoints scoped by restrict
(404 outside the caller's area)."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from fangkong.core import listing as lists
from fangkong.core import ratelimit
from fangkong.core.access import invalid, record, require
from fangkong.core.resident import masked_name
from fangkong.healthcode import tokens
from fangkong.people.models import Person
from fangkong.selfservice import actions
from fangkong.selfservice.models import Appeal, Declaration
from fangkong.selfservice.views import appeals_for

router = Router(tags=["selfservice"])


class StayIn(Schema):
    code: str
    left_on: str


class SelfServiceApplicationIn(Schema):
    relation: str = "self"
    applicant_name: str = ""
    name: str
    id_number: str
    phone: str
    code: str
    node_code: str
    address: str = ""
    stays: list[StayIn] = []
    symptoms: list[str] = []
    case_contact: bool = False
    case_contact_on: str | None = None
    consent: bool = False


class SelfServiceCodeOut(Schema):
    token: str
    name: str
    colour: str
    reasons: list[str]
    advice: list[str]
    green_on: dt.date | None
    applied_by: str | None


class SelfServiceTokenIn(Schema):
    token: str


class AppealIn(Schema):
    token: str
    reason: str


class AppealOut(Schema):
    id: int
    number: str
    person_id: int
    reason: str
    colour_before: str
    filed_at: dt.datetime
    due_at: dt.datetime
    overdue: bool
    status: str
    decision_reason: str
    decided_at: dt.datetime | None
    colour_after: str


class SelfServiceDecideIn(Schema):
    decision: str  # upheld | rejected
    reason: str
    colour: str = ""


class DeclarationOut(Schema):
    id: int
    person_id: int
    relation: str
    applicant_name: str
    phone_masked: str
    day: dt.date
    stays: list[dict]
    symptoms: list[str]
    case_contact: bool
    case_contact_on: dt.date | None
    node_code: str
    address: str
    colour: str
    reasons: list[str]
    green_on: dt.date | None
    contradictions: list[str]
    new_person: bool


def _limited(request: HttpRequest, scope: str) -> bool:
    return not ratelimit.hit(request, scope, actions.rules_on().applications_per_hour)


def _code(person: Person, token: str) -> dict[str, Any]:
    colour, reasons, advice, green = actions.explain_person(person)
    proxy = actions.latest_proxy(person.pk)
    return {
        "token": token,
        "name": masked_name(person.name),
        "colour": colour,
        "reasons": reasons,
        "advice": advice,
        "green_on": green,
        "applied_by": f"{proxy.get_relation_display()} {proxy.applicant_name}" if proxy else None,
    }


def _person(token: str) -> Person:
    try:
        pid = tokens.read_personal(token)
    except tokens.CodeError as exc:
        raise PermissionDenied(str(exc)) from exc
    return get_object_or_404(Person, pk=pid, merged_into__isnull=True)


@router.post("/open/applications", auth=None, response={201: SelfServiceCodeOut, 429: dict})
def open_apply(request: HttpRequest, body: SelfServiceApplicationIn) -> Any:
    """Apply for a code (for oneself, or for an elderly parent or a child)."""
    if _limited(request, "selfcode"):
        return Status(429, {"detail": str(ratelimit.message())})
    data = body.dict()
    code = data.pop("code")
    outcome = actions.apply(data, code)
    token = tokens.personal_token(outcome.person.pk)
    return Status(201, _code(outcome.person, token))


@router.post("/open/code", auth=None, response=SelfServiceCodeOut)
def open_code(request: HttpRequest, body: SelfServiceTokenIn) -> Any:
    """The colour with why, what to do and the day it turns green."""
    return _code(_person(body.token), body.token)


@router.post("/open/appeals", auth=None, response={201: AppealOut, 429: dict})
def open_appeal(request: HttpRequest, body: AppealIn) -> Any:
    if _limited(request, "selfcode-appeal"):
        return Status(429, {"detail": str(ratelimit.message())})
    return Status(201, actions.file_appeal(_person(body.token), body.reason))


def _declaration(d: Declaration) -> dict[str, Any]:
    return {
        **{f: getattr(d, f) for f in DeclarationOut.model_fields if hasattr(d, f)},
        "node_code": d.node.code,
    }


@lists.paged(router, "/declarations", DeclarationOut)
def list_declarations(
    request: HttpRequest, contradicting: bool = False, day: dt.date | None = None
) -> Any:
    """Self-declarations, newest first, paged (`page`, `page_size`) with `count`."""
    require(request.user, "view", "selfservice.declaration")
    qs = Declaration.objects.restrict(request.user, "view").select_related("node")
    if contradicting:
        qs = qs.contradicting()
    if day:
        qs = qs.filter(day=day)
    return lists.Mapped(qs, _declaration)


@router.get("/declarations/{declaration_id}", response=DeclarationOut)
def get_declaration(request: HttpRequest, declaration_id: int) -> dict:
    require(request.user, "view", "selfservice.declaration")
    qs = Declaration.objects.restrict(request.user, "view").select_related("node")
    return _declaration(get_object_or_404(qs, pk=declaration_id))


@lists.paged(router, "/appeals", AppealOut)
def list_appeals(request: HttpRequest, status: str = "", escalated: bool = False) -> Any:
    """Appeals of the caller's area; `escalated`: the overdue ones escalated to the
    caller's node (derived from the clock at the time of asking). Paged (`page`,
    `page_size`) with `count`."""
    require(request.user, "view", "selfservice.appeal")
    qs = appeals_for(request.user, escalated)
    if status:
        qs = qs.filter(status=status)
    return qs


@router.get("/appeals/{appeal_id}", response=AppealOut)
def get_appeal(request: HttpRequest, appeal_id: int) -> Appeal:
    require(request.user, "view", "selfservice.appeal")
    return record(request.user, Appeal.objects, appeal_id)


@router.post("/appeals/{appeal_id}/decide", response=AppealOut)
def decide(request: HttpRequest, appeal_id: int, body: SelfServiceDecideIn) -> Appeal:
    require(request.user, "decide", "selfservice.appeal")
    found = record(request.user, Appeal.objects, appeal_id)
    if body.decision not in ("upheld", "rejected"):
        raise invalid("decision", _("upheld or rejected"))
    return actions.decide_appeal(
        request.user,
        found,
        upheld=body.decision == "upheld",
        reason=body.reason,
        colour=body.colour,
    )
