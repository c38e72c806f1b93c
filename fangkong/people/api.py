import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from fangkong.people import actions
from fangkong.people.filters import filtered_persons
from fangkong.people.models import Person
from fangkong.people.pagination import keyset_page

router = Router(tags=["persons"])


class PersonOut(Schema):
    id: int
    name: str
    sex: str
    birth_date: dt.date | None
    id_masked: str
    phone_masked: str
    doc_type: str
    doc_masked: str
    address: str
    node_code: str
    node_name: str
    household_id: int | None
    registered_residence: str
    occupation: str
    workplace: str
    tags: list[str]
    version: int
    merged_into_id: int | None

    @staticmethod
    def resolve_node_code(obj: Person) -> str:
        return obj.node.code

    @staticmethod
    def resolve_node_name(obj: Person) -> str:
        return obj.node.name

    @staticmethod
    def resolve_tags(obj: Person) -> list[str]:
        return obj.tag_list


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
    return get_object_or_404(
        Person.objects.restrict(request.user, action).select_related("node"), pk=pk
    )


@router.get("/", response=PersonPage)
def list_persons(request: HttpRequest, params: Query[ListParams]):  # type: ignore[no-untyped-def]
    """Persons in the caller's subtree; `q` matches name, pinyin initials, exact
    resident ID or exact phone. Pages by `after` (the last id of the previous page)."""
    qs = filtered_persons(request.user, params.dict()).select_related("node")
    page = keyset_page(qs, params.after, params.size)
    return {"items": page.items, "next_after": page.next_after, "has_more": page.has_more}


@router.post("/", response={201: PersonOut, 409: Conflict})
def create_person(request: HttpRequest, body: PersonIn):  # type: ignore[no-untyped-def]
    if not request.user.may("people.person", "add"):  # type: ignore[union-attr]
        raise PermissionDenied(_("your role may not register persons"))
    data = body.dict()
    confirm = data.pop("confirm_similar")
    try:
        person, similar = actions.register_person(request.user, data, confirm_similar=confirm)
    except actions.DuplicatePerson as exc:
        return 409, {"detail": "resident ID already registered", "existing_id": exc.existing.pk}
    if person.pk is None:
        return 409, {
            "detail": "a person with the same name and phone exists; "
            "send confirm_similar=true to register anyway",
            "similar_ids": [p.pk for p in similar],
        }
    return 201, person


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
        return 409, {"detail": "resident ID already registered", "existing_id": exc.existing.pk}


@router.post("/{pk}/reveal/{field}", response=RevealOut)
def reveal(request: HttpRequest, pk: int, field: str):  # type: ignore[no-untyped-def]
    """The full resident ID, phone or document number; needs the reveal permission and
    leaves an audit entry. POST so the value never sits in a URL or a cache."""
    person = _get(request, pk)
    if field not in ("id_number", "phone", "doc_number"):
        raise HttpError(404, "no such field")
    return {"field": field, "value": actions.reveal(request.user, person, field, request)}


@router.post("/{pk}/merge", response=PersonOut)
def merge(request: HttpRequest, pk: int, body: MergeIn):  # type: ignore[no-untyped-def]
    """Merge `absorbed_id` into this person."""
    survivor = _get(request, pk, "merge")
    absorbed = _get(request, body.absorbed_id, "merge")
    return actions.merge_persons(request.user, survivor, absorbed)
