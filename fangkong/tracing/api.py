"""/api/v1/tracing/: index cases, contacts, chains, venues, single and batch scans.
Every read through `.restrict`; a record outside the caller's area is a 404."""

import datetime as dt
import re
import uuid
from decimal import Decimal
from typing import Annotated, Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import WithJsonSchema

from fangkong.core import listing as lists
from fangkong.core.access import division, record, require
from fangkong.tracing import actions, venues
from fangkong.tracing.models import Chain, Contact, IndexCase, Venue

router = Router(tags=["tracing"])


class IndexCaseIn(Schema):
    person_id: int
    label: str = ""
    onset_date: dt.date | None = None
    specimen_date: dt.date | None = None
    isolated_on: dt.date | None = None
    asymptomatic: bool = False
    setting: str = ""


class IndexCaseOut(Schema):
    id: int
    label: str
    onset_date: dt.date | None
    specimen_date: dt.date | None
    isolated_on: dt.date | None
    asymptomatic: bool
    setting: str


class ContactIn(Schema):
    person_id: int | None = None
    name: str = ""
    address: str = ""
    phone: str = ""
    setting: str
    transport_kind: str = ""
    transport_no: str = ""
    seat: str = ""
    first_exposure: dt.date
    last_exposure: dt.date | None = None
    proximity_m: Decimal | None = None
    protected: bool = False


class ContactOut(Schema):
    id: int
    index_id: int | None
    source_contact_id: int | None
    name: str
    phone_masked: str
    setting: str
    transport_no: str
    seat: str
    first_exposure: dt.date
    last_exposure: dt.date
    category: str
    reason: str
    status: str
    observation_period_id: int | None


class ChainOut(Schema):
    id: int
    number: int
    size: int
    generations: int
    first_onset: dt.date | None
    is_cluster: bool
    active: bool
    graph: dict


class VenueIn(Schema):
    name: str
    kind: str
    address: str = ""
    node_code: str = ""


class VenueOut(Schema):
    id: int
    name: str
    kind: str
    address: str
    code: str


class ScanIn(Schema):
    venue_code: str
    client_id: uuid.UUID
    token: str = ""
    # without a code: the resident picked after /venues/{code}/gate-lookup
    person_id: int | None = None
    scanned_at: dt.datetime | None = None
    direction: str = "visit"
    temperature: Decimal | None = None


class ScanOut(Schema):
    id: int
    venue_id: int
    scanned_at: dt.datetime
    direction: str
    colour: str
    admitted: bool
    refusal: str
    created: bool = False


class BatchRow(Schema):
    venue_code: str
    client_id: str
    scanned_at: dt.datetime | None = None
    person_id: int | None = None
    direction: str = "visit"
    temperature: Decimal | None = None
    colour: str = ""


class TracingBatchIn(Schema):
    """Scans of one batch (at most 20,000), each checked on its own."""

    # Documented as a list of BatchRow, but the rows are not parsed by the model (per row
    # that cost more than the COPY, docs/benchmarks.md): `venues.check_batch` checks them
    # one by one and names the row and the field of each problem.
    scans: Annotated[
        list[Any],
        WithJsonSchema({"type": "array", "items": BatchRow.model_json_schema()}),
    ]


class Rejected(Schema):
    row: int
    reason: str


class TracingBatchOut(Schema):
    received: int
    stored: int
    duplicates: int
    rejected: list[Rejected]


def _person(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    from fangkong.people.models import Person

    return record(request.user, Person.objects, pk)


def _guard(fn):  # type: ignore[no-untyped-def]
    try:
        return fn()
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from None


@lists.paged(router, "/cases", IndexCaseOut)
def list_cases(request: HttpRequest) -> Any:
    """Index cases in the caller's area; paged (`page`) with `count` (was a `limit`)."""
    qs = IndexCase.objects.restrict(request.user, "view")
    return qs if qs.ordered else qs.order_by("-pk")


@router.post("/cases", response={201: IndexCaseOut})
def open_case(request: HttpRequest, data: IndexCaseIn):  # type: ignore[no-untyped-def]
    person = _person(request, data.person_id)
    return Status(201, _guard(lambda: actions.open_index_case(request.user, person, data.dict())))


@router.get("/cases/{pk}/contacts", response=list[ContactOut])
def case_contacts(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    index = record(request.user, IndexCase.objects, pk)
    return list(Contact.objects.restrict(request.user, "view").filter(index=index))


def _contact_data(request: HttpRequest, data: ContactIn) -> dict:
    values = data.dict()
    if data.person_id is not None:
        values["person"] = _person(request, data.person_id)
    return values


@router.post("/cases/{pk}/contacts", response={201: ContactOut})
def add_contact(request: HttpRequest, pk: int, data: ContactIn):  # type: ignore[no-untyped-def]
    index = record(request.user, IndexCase.objects, pk)
    values = _contact_data(request, data)
    return Status(201, _guard(lambda: actions.add_contact(request.user, index, values)))


@router.get("/contacts/{pk}", response=ContactOut)
def get_contact(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return record(request.user, Contact.objects, pk)


@router.post("/contacts/{pk}/confirm", response=ContactOut)
def confirm(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    contact = record(request.user, Contact.objects, pk)
    return _guard(lambda: actions.confirm_contact(request.user, contact))


@router.post("/contacts/{pk}/secondary", response={201: ContactOut})
def secondary(request: HttpRequest, pk: int, data: ContactIn):  # type: ignore[no-untyped-def]
    contact = record(request.user, Contact.objects, pk)
    values = _contact_data(request, data)
    return Status(
        201, _guard(lambda: actions.add_contact(request.user, None, values, source_contact=contact))
    )


@lists.paged(router, "/chains", ChainOut)
def list_chains(request: HttpRequest, active: bool = False):  # type: ignore[no-untyped-def]
    """Transmission chains, paged (`page`, `page_size`) with `count`."""
    qs = Chain.objects.restrict(request.user, "view")
    return qs.active() if active else qs.chains()


@router.post("/chains/compute", response={202: dict})
def compute_chains(request: HttpRequest):  # type: ignore[no-untyped-def]
    require(request.user, "compute", "tracing.chain")
    from fangkong.tracing.tasks import start_chain_job

    job = start_chain_job(request.user)
    return Status(202, {"job_id": job.pk})


@lists.paged(router, "/venues", VenueOut)
def list_venues(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Venues and gates, paged (`page`, `page_size`) with `count`."""
    return Venue.objects.restrict(request.user, "view")


@router.post("/venues", response={201: VenueOut})
def create_venue(request: HttpRequest, data: VenueIn):  # type: ignore[no-untyped-def]

    node = request.user.node  # type: ignore[union-attr]
    if data.node_code:
        node = division(request.user, data.node_code)
    values = {**data.dict(), "node": node}
    return Status(201, _guard(lambda: venues.create_venue(request.user, values)))


class TracingGateLookupIn(Schema):
    id_tail: str
    name: str = ""


class TracingGateCandidate(Schema):
    person_id: int
    name: str
    id_masked: str


class TracingGateLookupOut(Schema):
    candidates: list[TracingGateCandidate]
    more: bool


@router.post("/venues/{code}/gate-lookup", response=TracingGateLookupOut)
def gate_lookup(request: HttpRequest, code: str, data: TracingGateLookupIn):  # type: ignore[no-untyped-def]
    """The gate without a code: residents of the venue's area whose resident ID ends with
    `id_tail` (4 characters; `name` narrows); audited. Then POST /scans with `person_id`."""
    require(request.user, "add", "tracing.scan")
    venue = Venue.objects.restrict(request.user, "view").filter(code=code).first()
    if venue is None:
        raise HttpError(404, _("unknown venue: this QR code is not registered"))
    rows, more = _guard(
        lambda: venues.gate_candidates(request.user, venue, data.id_tail, data.name, request)
    )
    return {
        "candidates": [{"person_id": p.pk, "name": p.name, "id_masked": p.id_masked} for p in rows],
        "more": more,
    }


@router.post("/scans", response={201: ScanOut, 200: ScanOut})
def scan(request: HttpRequest, data: ScanIn):  # type: ignore[no-untyped-def]
    """One scan from a venue system: the scanned code is verified, the scan stored once."""
    require(request.user, "add", "tracing.scan")
    venue = venues.venue_for(request.user, data.venue_code)
    if venue is None:
        raise HttpError(404, _("unknown venue: this QR code is not registered"))
    person_id, colour = None, None
    if data.token:
        from fangkong.healthcode import actions as codes
        from fangkong.healthcode.tokens import CodeError

        try:  # the code's colour as stored now, read with the code (no second query)
            person_id, colour = codes.verify(data.token)
        except CodeError as exc:
            raise HttpError(422, str(exc)) from None
    elif data.person_id is not None:
        person_id = _guard(
            lambda: venues.gate_person(request.user, venue, data.person_id, request).pk
        )
    stored, created = venues.record_scan(
        venue,
        client_id=data.client_id,
        person_id=person_id,
        scanned_at=data.scanned_at,
        direction=data.direction,
        temperature=data.temperature,
        colour=colour,
    )
    stored.created = created  # type: ignore[attr-defined]
    return Status(201 if created else 200, stored)


def scan_lean(request: HttpRequest) -> tuple[int, dict] | None:
    """POST /scans on the lean path (issue #21, settings.FANGKONG_LEAN_FAST): the usual
    case — a live bearer token of a role that may add scans, a venue of its area, a
    client id in the canonical form, a resident's genuine code (or none), the direction
    and temperature as plain JSON values, no time given — answered (status, body)
    without django-ninja's operation, with the body `scan` gives. Anything else (a
    resident picked by gate lookup, a time sent, another type, an unknown venue, a
    forged or expired code, a value `record_scan` refuses) is None, decided before
    anything is written: the API's own view then answers it as always."""
    from fangkong.accounts.bearer import BEARER
    from fangkong.core.access import may
    from fangkong.core.middleware import PARSED
    from fangkong.healthcode import actions as codes
    from fangkong.healthcode.tokens import CodeError

    data = request.__dict__.get(PARSED)
    if type(data) is not dict or data.get("person_id") is not None or "scanned_at" in data:
        return None
    texts = (data.get("venue_code"), data.get("client_id"), data.get("token", ""),
             data.get("direction", "visit"))  # fmt: skip
    if not all(type(v) is str for v in texts):
        return None
    venue_code, client_id, token, direction = cast(tuple[str, str, str, str], texts)
    temperature = _decimal(data.get("temperature"))
    if temperature is False or not venues.UUID_TEXT.fullmatch(client_id):
        return None
    user = BEARER(request)
    if user is None or not may(user, "add", "tracing.scan"):
        return None
    request.auth = user  # type: ignore[attr-defined]  # as django-ninja sets it
    venue = venues.venue_for(user, venue_code)
    if venue is None:
        return None
    person_id, colour = None, None
    if token:
        try:
            person_id, colour = codes.verify(token)
        except CodeError:
            return None
    try:  # every refusal of record_scan comes before its one write
        stored, created = venues.record_scan(
            venue,
            client_id=client_id,
            person_id=person_id,
            direction=direction,
            temperature=temperature,
            colour=colour,
        )
    except ValidationError:
        return None
    body = {name: getattr(stored, name) for name in SCAN_OUT}
    return (201 if created else 200), {**body, "created": created}


SCAN_OUT = [name for name in ScanOut.model_fields if name != "created"]
_NUMBER = re.compile(r"-?[0-9]{1,3}(\.[0-9]{1,3})?")


def _decimal(value: Any) -> Decimal | None | bool:
    """A JSON number or numeric text as django-ninja's Decimal field reads it; None
    when absent; False for anything the lean path leaves to the API."""
    if value is None:
        return None
    if type(value) not in (str, int, float) or (
        type(value) is str and not _NUMBER.fullmatch(value)
    ):
        return False
    try:
        found = Decimal(str(value))
    except ArithmeticError:
        return False
    return found if found.is_finite() else False


class BatchTooLargeOut(Schema):
    detail: str
    limit: int


@router.post("/scans/batch", response={200: TracingBatchOut, 413: BatchTooLargeOut})
def scan_batch(request: HttpRequest, data: TracingBatchIn):  # type: ignore[no-untyped-def]
    """Many scans at once (a gate device or venue system): every good row is stored
    (once per client id), every bad one reported by its index; more than the limit
    (`venues.MAX_BATCH`) is refused whole with 413 naming it."""
    if len(data.scans) > venues.MAX_BATCH:
        exc = venues.BatchTooLarge(venues.MAX_BATCH)
        return Status(413, {"detail": str(exc), "limit": exc.limit})
    return _guard(lambda: venues.ingest_batch(request.user, data.scans))
