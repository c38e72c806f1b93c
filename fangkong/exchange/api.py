"""The exchange API under /api/v1/exchange/ (bearer token, scoped by `.restrict`, 404
outside the caller's area). Partners do not use it: they post signed messages to the
exchange endpoint /exchange/inbox/ (see docs/exchange.md)."""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from fangkong.core import audit
from fangkong.core import listing as lists
from fangkong.core.access import invalid, record, require
from fangkong.exchange import actions, cards, sources
from fangkong.exchange.models import HandoverRequest, Partner, ReportCard

router = Router(tags=["exchange"])


class PartnerIn(Schema):
    code: str
    name: str
    url: str = ""
    public_key: str


class PartnerOut(Schema):
    id: int
    code: str
    name: str
    url: str
    active: bool


class ExchangeRequestIn(Schema):
    partner_code: str
    contact_id: int | None = None
    subject_id: int | None = None
    person_id: int | None = None
    name: str = ""
    id_number: str = ""
    phone: str = ""
    address: str = ""
    residence_code: str = ""
    reason: str = ""
    exposure_date: dt.date | None = None
    exposure: str = ""
    ask: str = ""
    deadline: dt.datetime | None = None
    contact: str = ""


class ExchangeRequestOut(Schema):
    id: int
    message_id: str
    direction: str
    partner_code: str
    name: str
    id_masked: str
    phone_masked: str
    address: str
    residence_code: str
    reason: str
    exposure_date: dt.date | None
    exposure: str
    ask: str
    deadline: dt.datetime
    state: str
    overdue: bool
    escalated_to: str | None
    answer: str
    answer_note: str
    answered_at: dt.datetime | None
    subject_id: int | None
    node_code: str


class ExchangeAnswerIn(Schema):
    answer: str
    note: str = ""


class RevealIn(Schema):
    field: str


class Result(Schema):
    accepted: list[str]
    refused: list[dict[str, str]]


class ExchangeAckIn(Schema):
    card_number: str
    version: int
    national_id: str
    acknowledged_at: dt.datetime | None = None


class CardOut(Schema):
    case_id: int
    case_number: str
    status: str
    report_due: dt.datetime | None
    reported_at: dt.datetime | None
    card_number: str | None
    versions: list[dict[str, Any]]


def _out(r: HandoverRequest) -> dict:
    up = r.escalated_to
    return {
        "id": r.pk,
        "message_id": str(r.message_id),
        "direction": r.direction,
        "partner_code": r.partner.code,
        "name": r.name,
        "id_masked": r.id_masked,
        "phone_masked": r.phone_masked,
        "address": r.address,
        "residence_code": r.residence_code,
        "reason": r.reason,
        "exposure_date": r.exposure_date,
        "exposure": r.exposure,
        "ask": r.ask,
        "deadline": r.deadline,
        "state": r.state,
        "overdue": r.overdue,
        "escalated_to": up.code if up else None,
        "answer": r.answer,
        "answer_note": r.answer_note,
        "answered_at": r.answered_at,
        "subject_id": r.subject_id,
        "node_code": r.node.code,
    }


@lists.paged(router, "/partners", PartnerOut)
def list_partners(request: HttpRequest) -> Any:
    """Partner cities by code; paged (`page`, `page_size`) with `count` (were one list)."""
    require(request.user, "view", "exchange.partner")
    return Partner.objects.restrict(request.user).order_by("code", "pk")


@router.post("/partners", response={201: PartnerOut})
def add_partner(request: HttpRequest, payload: PartnerIn) -> Any:
    return 201, actions.save_partner(request.user, payload.dict())


@lists.paged(router, "/requests", ExchangeRequestOut)
def list_requests(request: HttpRequest, direction: str = "", overdue: bool = False) -> Any:
    """Hand-over requests, newest first; paged (`page`, `page_size`) with `count` (were
    cut at `limit`, 100 by default)."""
    require(request.user, "view", "exchange.handoverrequest")
    qs = HandoverRequest.objects.restrict(request.user).select_related("partner", "node__parent")
    if direction:
        qs = qs.filter(direction=direction)
    if overdue:
        qs = qs.overdue()
    return lists.Mapped(qs.order_by("-created_at", "-pk"), _out)


@router.post("/requests", response={201: ExchangeRequestOut})
def create_request(request: HttpRequest, payload: ExchangeRequestIn) -> Any:
    user: Any = request.user
    require(request.user, "add", "exchange.handoverrequest")
    partner = Partner.objects.restrict(user).filter(code=payload.partner_code, active=True).first()
    if partner is None:
        raise invalid("partner_code", _("no active partner with this code"))
    params = {
        "contact": payload.contact_id,
        "subject": payload.subject_id,
        "person": payload.person_id,
    }
    src = sources.source_for(user, {k: v for k, v in params.items() if v})
    data = {**src.initial}
    for key, value in payload.dict(
        exclude={"partner_code", "contact_id", "subject_id", "person_id"}
    ).items():
        if value not in ("", None):
            data[key] = value
    for key in ("id_number", "phone"):
        if not data.get(key) and src.hidden.get(key):
            data[key] = src.hidden[key]
    req = actions.new_request(user, partner, data, person=src.person, contact_id=src.contact_id)
    if src.person is not None:
        audit.record_access(user, src.person, "exchange:handover", request)
    if partner.url:
        actions.deliver(partner)
        req.refresh_from_db()
    return 201, _out(req)


def _get(request: HttpRequest, pk: int) -> HandoverRequest:
    require(request.user, "view", "exchange.handoverrequest")
    return record(
        request.user, HandoverRequest.objects.select_related("partner", "node__parent"), pk
    )


@router.get("/requests/{pk}", response=ExchangeRequestOut)
def get_request(request: HttpRequest, pk: int) -> Any:
    req = _get(request, pk)
    audit.record_access(request.user, req, "view", request)
    return _out(req)


@router.post("/requests/{pk}/answer", response=ExchangeRequestOut)
def answer_request(request: HttpRequest, pk: int, payload: ExchangeAnswerIn) -> Any:
    req = actions.answer(request.user, _get(request, pk), payload.answer, payload.note)
    if req.partner.url:
        actions.deliver(req.partner)
    return _out(req)


@router.post("/requests/{pk}/reveal", response=dict[str, str])
def reveal(request: HttpRequest, pk: int, payload: RevealIn) -> Any:
    return {payload.field: actions.reveal(request.user, _get(request, pk), payload.field, request)}


@router.post("/files", response=Result)
def import_file(request: HttpRequest, file: File[UploadedFile]) -> Any:
    return actions.import_file(request.user, file.read(), file.name or "", request)


@router.get("/partners/{code}/file")
def export_file(request: HttpRequest, code: str, format: str = "json") -> HttpResponse:
    partner = get_object_or_404(Partner.objects.restrict(request.user), code=code)
    content, _count = actions.export_file(request.user, partner, format, request)
    kind = "application/json" if format == "json" else "application/octet-stream"
    return HttpResponse(content, content_type=kind)


@router.post("/deliver", response=dict[str, int])
def deliver(request: HttpRequest) -> Any:
    """Post waiting messages to partners with an endpoint now (normally after each write)."""
    require(request.user, "export", "exchange.handoverrequest")
    return actions.deliver()


# --- report cards ------------------------------------------------------------------------


class _CardPage(lists.Mapped):
    """One page of cases with their cards (the cards of a page read at once)."""

    def __getitem__(self, index: slice) -> list:
        cases = list(self.qs[index])
        by_case = {
            c.case_id: c
            for c in ReportCard.objects.filter(case__in=cases).prefetch_related("versions")
        }
        return [self.fn((case, by_case.get(case.pk))) for case in cases]


def _card(pair: Any) -> dict[str, Any]:
    case, card = pair
    versions = [
        {
            "version": v.seq,
            "kind": v.kind,
            "exported_at": v.exported_at.isoformat(),
            "acknowledged_at": v.acknowledged_at.isoformat() if v.acknowledged_at else None,
            "national_id": v.national_id,
        }
        for v in (sorted(card.versions.all(), key=lambda v: v.seq) if card else [])
    ]
    return {
        "case_id": case.pk,
        "case_number": case.number,
        "status": case.status,
        "report_due": case.report_due,
        "reported_at": case.reported_at,
        "card_number": card.number if card else None,
        "versions": versions,
    }


@lists.paged(router, "/cards", CardOut)
def list_cards(request: HttpRequest) -> Any:
    """Reportable cases with their report cards, by diagnosis; paged with `count` (were
    cut at `limit`, 100 by default)."""
    require(request.user, "view", "exchange.reportcard")
    return _CardPage(cards.cases_for(request.user), _card)


@router.get("/cards/export")
def export_cards(
    request: HttpRequest, format: str = "csv", case: int | None = None
) -> HttpResponse:
    content, _count = cards.export(request.user, format, case, request)
    kind = "text/csv; charset=utf-8" if format == "csv" else "application/xml"
    return HttpResponse(content, content_type=kind)


@router.post("/cards/acknowledge", response=dict[str, Any])
def acknowledge(request: HttpRequest, payload: ExchangeAckIn) -> Any:
    v = cards.acknowledge(
        request.user,
        payload.card_number,
        payload.version,
        payload.national_id,
        payload.acknowledged_at,
    )
    return {
        "card_number": v.card.number,
        "version": v.seq,
        "acknowledged_at": v.acknowledged_at.isoformat() if v.acknowledged_at else None,
    }


@router.post("/cards/receipt", response=dict[str, Any])
def receipt(request: HttpRequest, file: File[UploadedFile]) -> Any:
    require(request.user, "acknowledge", "exchange.reportcard")
    return cards.import_receipt(request.user, file.read())
