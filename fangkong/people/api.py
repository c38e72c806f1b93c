import datetime as dt

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from fangkong.core import audit
from fangkong.core.access import record, require
from fangkong.core.querysets import can_access
from fangkong.people import actions, search
from fangkong.people.filters import filtered_persons
from fangkong.people.models import Person
from fangkong.people.pagination import keyset_page

router = Router(tags=["persons"])


class PersonOut(Schema):
    id: int
    name: str
    sex: str
    birth_date: dt.date | None = Field(
        None, description="only for a person without a resident ID (masking policy)"
    )
    age: int | None = Field(
        None, description="years by birth year (this year minus the birth year); 0 = under 2"
    )
    id_masked: str
    phone_masked: str
    doc_type: str
    doc_masked: str
    address: str
    node_code: str = Field(..., alias="node.code")
    node_name: str = Field(..., alias="node.name")
    household_id: int | None
    registered_residence: str
    occupation: str
    workplace: str
    tags: list[str] = Field(..., alias="tag_list")
    version: int
    merged_into_id: int | None

    @staticmethod
    def resolve_birth_date(obj: Person) -> dt.date | None:
        return obj.shown_birth_date

    @staticmethod
    def resolve_age(obj: Person) -> int | None:
        return obj.shown_age


class PersonPage(Schema):
    items: list[PersonOut]
    next_after: int | None
    has_more: bool


class PersonIn(Schema):
    name: str
    node_code: str
    sex: str = ""
    birth_date: dt.date | None = None
    id_number: str = ""
    doc_type: str = ""
    doc_number: str = ""
    phone: str = ""
    address: str = ""
    household_number: str = ""
    registered_residence: str = ""
    occupation: str = ""
    workplace: str = ""
    tags: list[str] = []
    confirm_similar: bool = False


class PersonPatch(Schema):
    version: int
    name: str | None = None
    node_code: str | None = None
    sex: str | None = None
    birth_date: dt.date | None = None
    id_number: str | None = None
    doc_type: str | None = None
    doc_number: str | None = None
    phone: str | None = None
    address: str | None = None
    household_number: str | None = None
    registered_residence: str | None = None
    occupation: str | None = None
    workplace: str | None = None
    tags: list[str] | None = None


class Conflict(Schema):
    detail: str
    existing_id: int | None = None
    similar_ids: list[int] = []


class ListParams(Schema):
    q: str = ""
    node: str = ""
    sex: str = ""
    tag: str = ""
    after: int | None = None
    size: int = settings.PAGE_SIZE


class RevealOut(Schema):
    field: str
    value: str


class MergeIn(Schema):
    absorbed_id: int


def _get(request: HttpRequest, pk: int, action: str = "view") -> Person:
    return record(request.user, Person.objects.select_related("node"), pk, action)


def _page(request: HttpRequest, params: dict) -> dict:
    after = params.pop("after", None)
    size = params.pop("size", settings.PAGE_SIZE)
    qs = filtered_persons(request.user, params).select_related("node")
    page = keyset_page(qs, after, size)
    audit.record_bulk_read(
        request.user,
        "people.person",
        {**search.audit_filters(params), "after": after, "api": True},
        len(page.items),
        request,
    )
    return {"items": page.items, "next_after": page.next_after, "has_more": page.has_more}


@router.get("/", response=PersonPage)
def list_persons(request: HttpRequest, params: Query[ListParams]):  # type: ignore[no-untyped-def]
    """Persons in the caller's subtree; `q` matches name or pinyin initials (search by
    resident ID or phone with POST /persons/search, so no number sits in a URL). Pages by
    `after` (the last id of the previous page). Every page is audited."""
    data = params.dict()
    if search.personal_kind(data["q"]):
        raise HttpError(
            422, _("q: search by resident ID or phone with POST /api/v1/persons/search")
        )
    return _page(request, data)


class SearchIn(Schema):
    q: str = Field("", max_length=50, description="name, initials, resident ID or phone")
    node: str = ""
    sex: str = ""
    tag: str = ""
    after: int | None = None
    size: int = settings.PAGE_SIZE


@router.post("/search", response=PersonPage)
def search_persons(request: HttpRequest, body: SearchIn):  # type: ignore[no-untyped-def]
    """The person list searched by a term in the body (resident IDs and phones match
    exactly, by blind index); the audit log keeps the term's blind index, never the term."""
    return _page(request, body.dict())


@router.post("/", response={201: PersonOut, 409: Conflict})
def create_person(request: HttpRequest, body: PersonIn):  # type: ignore[no-untyped-def]
    """Register a person. A resident ID or a name and phone already registered answers
    409 with the ids of the records the caller may see; a record beyond the caller's
    jurisdiction is only said to exist elsewhere (ask the town), without ids."""
    require(request.user, "add", "people.person", message=_("your role may not register persons"))
    data = body.dict()
    confirm = data.pop("confirm_similar")
    try:
        person, similar = actions.register_person(request.user, data, confirm_similar=confirm)
    except actions.DuplicatePerson as exc:
        return 409, _duplicate(request, exc)
    if person.pk is None:
        mine, elsewhere = actions.within_reach(request.user, similar)
        detail = (
            "a person with the same name and phone exists; "
            "send confirm_similar=true to register anyway"
        )
        if elsewhere:
            detail = actions.similar_elsewhere_message() + "; " + detail
        return 409, {"detail": detail, "similar_ids": [p.pk for p in mine]}
    return 201, person


def _duplicate(request: HttpRequest, exc: actions.DuplicatePerson) -> dict:
    if can_access(request.user, exc.existing):
        return {"detail": "resident ID already registered", "existing_id": exc.existing.pk}
    return {"detail": actions.id_elsewhere_message(), "existing_id": None}


@router.get("/{pk}", response=PersonOut)
def get_person(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    person = _get(request, pk)
    actions.record_view(request.user, person, request)
    return person


@router.patch("/{pk}", response={200: PersonOut, 409: Conflict})
def update_person(request: HttpRequest, pk: int, body: PersonPatch):  # type: ignore[no-untyped-def]
    person = _get(request, pk, "change")
    data = body.dict(exclude_unset=True)
    version = data.pop("version")
    try:
        return 200, actions.update_person(request.user, person, data, version)
    except actions.DuplicatePerson as exc:
        return 409, _duplicate(request, exc)


@router.post("/{pk}/reveal/{field}", response=RevealOut)
def reveal(request: HttpRequest, pk: int, field: str, response: HttpResponse):  # type: ignore[no-untyped-def]
    """The full resident ID, phone or document number; needs the reveal permission and
    leaves an audit entry. POST and `Cache-Control: no-store`, so the value never sits in
    a URL or a cache."""
    person = _get(request, pk)
    if field not in ("id_number", "phone", "doc_number"):
        raise HttpError(404, _("no such field"))
    value = actions.reveal(request.user, person, field, request)
    add_never_cache_headers(response)
    return {"field": field, "value": value}


@router.post("/{pk}/merge", response=PersonOut)
def merge(request: HttpRequest, pk: int, body: MergeIn):  # type: ignore[no-untyped-def]
    """Merge `absorbed_id` into this person."""
    survivor = _get(request, pk, "merge")
    absorbed = _get(request, body.absorbed_id, "merge")
    return actions.merge_persons(request.user, survivor, absorbed)
