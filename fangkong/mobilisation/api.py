"""JSON API of mobilisation: organisations, units, members (masked phone),
registrations, posts, shifts, assignments (rest-rule errors as 422 naming the rule),
figures. Records of another jurisdiction are 404."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from fangkong.core import clock
from fangkong.core import listing as lists
from fangkong.core.access import invalid, record
from fangkong.core.listing import CountedPagination
from fangkong.core.schemas import RuleSetIn
from fangkong.geo.models import Division
from fangkong.mobilisation import figures, roster
from fangkong.mobilisation.actions import members, organisations, ppe, registration, rosters
from fangkong.mobilisation.choices import (
    HealthStatus,
    OrganisationKind,
    PostKind,
    RegistrationStatus,
    UnitKind,
)
from fangkong.mobilisation.models import (
    Assignment,
    Member,
    PartyOrganisation,
    Post,
    Registration,
    RestRuleSet,
    Shift,
    Unit,
)
from fangkong.people import search as people_search

router = Router(tags=["mobilisation"])

Code = Field(..., min_length=1, max_length=24)


def _u(request: HttpRequest) -> Any:
    return request.user


def _node(request: HttpRequest, code: str | None) -> Division:
    user = _u(request)
    if code:
        node = Division.objects.restrict(user, "view").filter(code=code).first()
        if node is None:
            raise Http404("no jurisdiction with this code in your area")
        return node
    if user.node_id:
        return user.node
    root = Division.objects.root()
    if root is None:
        raise Http404("no jurisdiction")
    return root


def _day(day: dt.date | None, field: str = "day") -> dt.date:
    """A day within the years a roster can concern (far dates would overflow)."""
    if day is None:
        return clock.today()
    if not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31):
        raise ValidationError({field: ["enter a day between 2000 and 2100"]})
    return day


def _opt(request: HttpRequest, model: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    obj = model.objects.restrict(_u(request), "view").filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: ["no such record in your area"]})
    return obj


# Schemas ------------------------------------------------------------------------------------


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    node_code: str = Field(..., alias="node.code")
    address: str


class UnitIn(Schema):
    name: str = Field(..., max_length=120)
    kind: UnitKind
    node_code: str = Code
    address: str = Field("", max_length=200)


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    node_code: str = Field(..., alias="node.code")
    parent_id: int | None
    unit_id: int | None
    secretary_id: int | None


class OrganisationIn(Schema):
    name: str = Field(..., max_length=120)
    kind: OrganisationKind
    node_code: str = Code
    parent_id: int | None = None
    unit_id: int | None = None
    secretary_id: int | None = None


class MemberOut(Schema):
    id: int
    name: str
    phone_masked: str
    is_party_member: bool
    is_cadre: bool
    cadre_rank: str
    is_medical: bool
    is_volunteer: bool
    skills: str
    health_status: str
    organisation_id: int | None
    unit_id: int | None
    community_code: str | None

    @staticmethod
    def resolve_community_code(obj: Member) -> str | None:
        return obj.community.code if obj.community_id else None  # type: ignore[union-attr]


class MemberIn(Schema):
    name: str = Field(..., max_length=50)
    phone: str = Field(..., max_length=20)
    is_party_member: bool = False
    is_cadre: bool = False
    cadre_rank: str = Field("", max_length=40)
    is_medical: bool = False
    is_volunteer: bool = False
    skills: str = Field("", max_length=200)
    health_status: HealthStatus = HealthStatus.HEALTHY
    organisation_id: int | None = None
    unit_id: int | None = None
    node_code: str | None = Field(None, max_length=24)


class RegistrationOut(Schema):
    id: int
    member_id: int
    member_name: str = Field(..., alias="member.name")
    community_code: str = Field(..., alias="community.code")
    status: str
    decline_reason: str
    created_at: dt.datetime
    decided_at: dt.datetime | None


class RegistrationIn(Schema):
    member_id: int
    community_code: str = Code


class DeclineIn(Schema):
    reason: str = Field(..., min_length=1, max_length=200)


class PostOut(Schema):
    id: int
    name: str
    kind: str
    node_code: str = Field(..., alias="node.code")
    required_per_shift: int
    shift_hours: int
    first_shift_hour: int
    active: bool


class PostIn(Schema):
    name: str = Field(..., max_length=120)
    kind: PostKind
    node_code: str = Code
    required_per_shift: int = Field(2, ge=1, le=50)
    shift_hours: int = Field(8, ge=1, le=24)
    first_shift_hour: int = Field(0, ge=0, le=23)
    active: bool = True


class MobilisationPlanIn(Schema):
    first_day: dt.date
    days: int = Field(7, ge=1, le=31)


class MobilisationShiftOut(Schema):
    id: int
    post_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    required: int
    assigned: int
    gap: int


class AssignmentOut(Schema):
    id: int
    member_id: int
    shift_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    broken_rules: list[dict]
    override_reason: str


class AssignmentIn(Schema):
    shift_id: int
    member_id: int
    override_reason: str = Field("", max_length=300)


class PpeIn(Schema):
    item_id: int
    warehouse_id: int
    quantity: int = Field(..., ge=1, le=100000)


class PpeOut(Schema):
    id: int
    item_name: str
    quantity: int
    ledger_entry_id: int | None


class Problem(Schema):
    detail: list[dict]


# Organisations and units ---------------------------------------------------------------------


def _under(request: HttpRequest, model: Any, node: str | None) -> Any:
    """`model`'s records of the user's area placed under `node` (default: the user's)."""
    return model.objects.restrict(_u(request)).under(_node(request, node))


def _placed(request: HttpRequest, model: Any, node: str | None) -> Any:
    """A list of records placed at nodes (units, organisations, posts), in tree order."""
    return _under(request, model, node).select_related("node").order_by("path", "pk")


def _changed(request: HttpRequest, model: Any, pk: int, body: Any, save: Any) -> Any:
    """An edit endpoint: the record of the user's area (else 404) saved from `body`."""
    return save(request, record(_u(request), model.objects, pk), body)


def _save_unit(request: HttpRequest, unit: Unit | None, body: UnitIn) -> Unit:
    return organisations.save_unit(
        _u(request),
        unit,
        name=body.name,
        kind=body.kind,
        node=_node(request, body.node_code),
        address=body.address,
    )


@lists.paged(router, "/units", UnitOut)
def list_units(request: HttpRequest, node: str | None = Query(None, max_length=24)):  # type: ignore[no-untyped-def]
    return _placed(request, Unit, node)


@router.post("/units", response={201: UnitOut})
def create_unit(request: HttpRequest, body: UnitIn):  # type: ignore[no-untyped-def]
    return Status(201, _save_unit(request, None, body))


@router.put("/units/{unit_id}", response=UnitOut)
def edit_unit(request: HttpRequest, unit_id: int, body: UnitIn):  # type: ignore[no-untyped-def]
    return _changed(request, Unit, unit_id, body, _save_unit)


@lists.paged(router, "/organisations", OrganisationOut)
def list_organisations(request: HttpRequest, node: str | None = Query(None, max_length=24)):  # type: ignore[no-untyped-def]
    return _placed(request, PartyOrganisation, node)


@router.get("/organisations/{org_id}", response=OrganisationOut)
def get_organisation(request: HttpRequest, org_id: int):  # type: ignore[no-untyped-def]
    return record(_u(request), PartyOrganisation.objects.select_related("node"), org_id)


def _save_organisation(
    request: HttpRequest, org: PartyOrganisation | None, body: OrganisationIn
) -> PartyOrganisation:
    return organisations.save_organisation(
        _u(request),
        org,
        name=body.name,
        kind=body.kind,
        node=_node(request, body.node_code),
        parent=_opt(request, PartyOrganisation, body.parent_id, "parent_id"),
        unit=_opt(request, Unit, body.unit_id, "unit_id"),
        secretary=_opt(request, Member, body.secretary_id, "secretary_id"),
    )


@router.post("/organisations", response={201: OrganisationOut})
def create_organisation(request: HttpRequest, body: OrganisationIn):  # type: ignore[no-untyped-def]
    return Status(201, _save_organisation(request, None, body))


@router.put("/organisations/{org_id}", response=OrganisationOut)
def edit_organisation(request: HttpRequest, org_id: int, body: OrganisationIn):  # type: ignore[no-untyped-def]
    return _changed(request, PartyOrganisation, org_id, body, _save_organisation)


# Members and registrations -----------------------------------------------------------------


@lists.paged(router, "/members", MemberOut)
def list_members(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    node: str | None = Query(None, max_length=24),
    q: str = Query("", max_length=50),
    after: int = Query(0, ge=0, le=2**62),
):
    """Members under `node`; `q` matches a name (search by phone with POST
    /members/search, so no number sits in a URL); paged (`page`) with `count`."""
    if people_search.personal_kind(q):
        raise HttpError(422, _("q: search by phone with POST /api/v1/mobilisation/members/search"))
    return _members(request, node, q, after)


class MemberSearchIn(Schema):
    node: str | None = Field(None, max_length=24)
    q: str = Field("", max_length=50, description="name or phone")
    after: int = Field(0, ge=0, le=2**62)


@router.post("/members/search", response=list[MemberOut])
@paginate(CountedPagination)
def search_members(request: HttpRequest, body: MemberSearchIn):  # type: ignore[no-untyped-def]
    """Members under `node` whose name contains `q`, or whose phone is `q` (blind index),
    paged (`page`) with `count`."""
    return _members(request, body.node, body.q, body.after)


def _members(request: HttpRequest, node: str | None, q: str, after: int):  # type: ignore[no-untyped-def]
    return (
        _under(request, Member, node)
        .filter(pk__gt=after)
        .search(q)
        .select_related("community")
        .order_by("pk")
    )


@router.get("/members/{member_id}", response=MemberOut)
def get_member(request: HttpRequest, member_id: int):  # type: ignore[no-untyped-def]
    return record(_u(request), Member.objects.select_related("community"), member_id)


def _save_member(request: HttpRequest, member: Member | None, body: MemberIn) -> Member:
    return members.save_member(
        _u(request),
        member,
        body.dict(),
        node=_node(request, body.node_code) if body.node_code else None,
        organisation=_opt(request, PartyOrganisation, body.organisation_id, "organisation_id"),
        unit=_opt(request, Unit, body.unit_id, "unit_id"),
    )


@router.post("/members", response={201: MemberOut})
def create_member(request: HttpRequest, body: MemberIn):  # type: ignore[no-untyped-def]
    return Status(201, _save_member(request, None, body))


@router.put("/members/{member_id}", response=MemberOut)
def edit_member(request: HttpRequest, member_id: int, body: MemberIn):  # type: ignore[no-untyped-def]
    return _changed(request, Member, member_id, body, _save_member)


# Rest rules ---------------------------------------------------------------------------------


class RestRulesIn(RuleSetIn):
    max_shift_hours: int
    max_hours_per_24h: int
    max_consecutive_days: int
    min_rest_hours: int


class RestRulesOut(RestRulesIn):
    id: int


@lists.paged(router, "/rest-rules", RestRulesOut)
def list_rest_rules(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Every dated rest rule set, newest first (city-wide configuration); paged with
    `count` (were the last 100)."""
    return RestRuleSet.objects.order_by("-effective_from", "-pk")


@router.post("/rest-rules", response={201: RestRulesOut})
def add_rest_rules(request: HttpRequest, body: RestRulesIn):  # type: ignore[no-untyped-def]
    return Status(201, rosters.add_rest_rules(_u(request), body.dict()))


@lists.paged(router, "/registrations", RegistrationOut)
def list_registrations(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    node: str | None = Query(None, max_length=24),
    status: RegistrationStatus = RegistrationStatus.PENDING,
):
    return (
        _under(request, Registration, node)
        .filter(status=status)
        .select_related("member", "community")
        .order_by("pk")
    )


@router.post("/registrations", response={201: RegistrationOut})
def create_registration(request: HttpRequest, body: RegistrationIn):  # type: ignore[no-untyped-def]
    """Staff register a member of their area at a community of their area."""
    user = _u(request)
    member = record(user, Member.objects, body.member_id, "change")
    community = registration.community_by_code(body.community_code)
    if not Division.objects.restrict(user).filter(pk=community.pk).exists():
        raise invalid("community_code", "outside your jurisdiction")
    return Status(201, registration.register(member, community, user=user))


def _registration(request: HttpRequest, reg_id: int) -> Registration:
    return record(_u(request), Registration.objects.select_related("member", "community"), reg_id)


@router.post("/registrations/{reg_id}/confirm", response=RegistrationOut)
def confirm_registration(request: HttpRequest, reg_id: int):  # type: ignore[no-untyped-def]
    return registration.confirm(_u(request), _registration(request, reg_id))


@router.post("/registrations/{reg_id}/decline", response=RegistrationOut)
def decline_registration(request: HttpRequest, reg_id: int, body: DeclineIn):  # type: ignore[no-untyped-def]
    return registration.decline(_u(request), _registration(request, reg_id), body.reason)


# Posts, shifts, assignments ----------------------------------------------------------------


@lists.paged(router, "/posts", PostOut)
def list_posts(request: HttpRequest, node: str | None = Query(None, max_length=24)):  # type: ignore[no-untyped-def]
    return _placed(request, Post, node)


@router.post("/posts", response={201: PostOut})
def create_post(request: HttpRequest, body: PostIn):  # type: ignore[no-untyped-def]
    post = rosters.save_post(
        _u(request), None, node=_node(request, body.node_code), data=body.dict()
    )
    return Status(201, post)


def _post(request: HttpRequest, post_id: int) -> Post:
    return record(_u(request), Post.objects.select_related("node"), post_id)


def _shift_out(s: Shift) -> dict:
    n = len(s.assignments.all())
    return {
        "id": s.pk,
        "post_id": s.post_id,
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "required": s.required,
        "assigned": n,
        "gap": max(s.required - n, 0),
    }


@router.get("/posts/{post_id}/shifts", response=list[MobilisationShiftOut])
def list_shifts(request: HttpRequest, post_id: int, day: dt.date | None = None):  # type: ignore[no-untyped-def]
    post = _post(request, post_id)
    return [_shift_out(s) for s in roster.day_shifts(post, _day(day))]


@router.post("/posts/{post_id}/shifts", response={201: list[MobilisationShiftOut]})
def plan_shifts(request: HttpRequest, post_id: int, body: MobilisationPlanIn):  # type: ignore[no-untyped-def]
    post = _post(request, post_id)
    made = rosters.plan_shifts(_u(request), post, _day(body.first_day, "first_day"), body.days)
    return Status(
        201,
        [
            {
                **{"id": s.pk, "post_id": post.pk, "starts_at": s.starts_at, "ends_at": s.ends_at},
                "required": s.required,
                "assigned": 0,
                "gap": s.required,
            }
            for s in Shift.objects.filter(post=post, starts_at__in=[m.starts_at for m in made])
        ],
    )


@lists.paged(router, "/assignments", AssignmentOut)
def list_assignments(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    shift_id: int | None = None,
    member_id: int | None = None,
):
    qs = Assignment.objects.restrict(_u(request))
    if shift_id is not None:
        qs = qs.filter(shift_id=shift_id)
    if member_id is not None:
        qs = qs.filter(member_id=member_id)
    return qs.order_by("starts_at", "pk")


@router.post("/assignments", response={201: AssignmentOut, 422: Problem})
def create_assignment(request: HttpRequest, body: AssignmentIn):  # type: ignore[no-untyped-def]
    """Put a member on a shift. A broken rest rule answers 422 with one entry per rule
    (`rule`, `msg`, `overridable`); send `override_reason` to assign anyway."""
    user = _u(request)
    shift = record(user, Shift.objects.select_related("post"), body.shift_id)
    member = record(user, Member.objects, body.member_id)
    try:
        a = rosters.assign(user, shift, member, body.override_reason)
    except rosters.RestRuleError as exc:
        return Status(
            422,
            {
                "detail": [
                    {
                        "loc": ["body", "override_reason"],
                        "rule": b.rule,
                        "msg": b.message,
                        "overridable": b.overridable,
                    }
                    for b in exc.broken
                ]
            },
        )
    return Status(201, a)


@router.delete("/assignments/{assignment_id}", response={204: None})
def delete_assignment(request: HttpRequest, assignment_id: int):  # type: ignore[no-untyped-def]
    a = record(_u(request), Assignment.objects, assignment_id)
    rosters.unassign(_u(request), a)
    return Status(204, None)


@router.post("/assignments/{assignment_id}/ppe", response={201: list[PpeOut]})
def issue_ppe(request: HttpRequest, assignment_id: int, body: PpeIn):  # type: ignore[no-untyped-def]
    from fangkong.supplies.models import Item, Warehouse

    user = _u(request)
    a = record(user, Assignment.objects.select_related("shift__post"), assignment_id)
    item = Item.objects.filter(pk=body.item_id).first()
    if item is None:
        raise invalid("item_id", "no such item")
    house = Warehouse.objects.restrict(user, "issue").filter(pk=body.warehouse_id).first()
    if house is None:
        raise invalid("warehouse_id", "no warehouse you may issue from")
    return Status(201, ppe.issue_ppe(user, a, item, body.quantity, house))


@router.get("/figures", response=dict[str, int])
def get_figures(  # type: ignore[no-untyped-def]
    request: HttpRequest, node: str | None = Query(None, max_length=24), day: dt.date | None = None
):
    if not _u(request).may("mobilisation.member", "view"):
        return {}
    n = _node(request, node)
    return figures.compute(n.path, _day(day))
