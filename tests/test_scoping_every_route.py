"""Every page and every API route that names a stored object (an id, a code, a token)
answers 404 to a user of another county, for an object of Yuecheng.

The routes are not listed by hand: the page routes come from Django's URL resolver,
walked recursively, the API routes from the NinjaAPI's routers. Each route is grouped
under its resource (the path before its first parameter, `supplies/warehouses`), and a
builder of that resource makes one object in Yuecheng and names the role that would be
allowed to see it. The test then signs in as that role in Zhuji and requests every route
of the resource: a page with GET (POST for a form's action), an API route with its method
and a body that passes the schema (so the view, not the validator, answers).

A resource without a builder is listed in UNBUILT or NOT_SCOPED with its reason; a new
route under a new resource fails `test_every_route_is_built_or_listed` until someone
adds a builder here or lists it with a reason. There is no silent skipping.

The 404 is the scope's, not a broken route: the same role in Yuecheng reads the object
on every GET route, and a user of Yuecheng with the permission is not refused with 404
on every route that takes only POST (the role or body it needs is named in CONTROL_ROLE
and CONTROL_BODY).

This test replaces the hand-written "another county gets 404 on every page/endpoint"
tests of supplies, command, supervision, care, public and clinical."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests import kit
from tests.clinical.conftest import clinic, doctor, suspected, visit  # noqa: F401
from tests.command.conftest import directive, template  # noqa: F401
from tests.conftest import GRID_A, HUAYUAN, TASHAN, YUECHENG, ZHUJI, ZHUJI_VILLAGE
from tests.kit import bearer
from tests.observation.conftest import site, site_doctor, start  # noqa: F401
from tests.public.test_views import records  # noqa: F401
from tests.supervision.conftest import (  # noqa: F401
    cadre,
    frozen,
    inspector,
    plan,
    recorded_finding,
    schedule,
    team,
    teammate,
)
from tests.supplies.conftest import county_wh, items, n95  # noqa: F401

pytestmark = pytest.mark.django_db
DAY0 = dt.date(2020, 2, 10)
ZHUJI_TOWN = ZHUJI_VILLAGE[:9]


# ---------------------------------------------------------------- the routes


@dataclass(frozen=True)
class Route:
    kind: str  # "page" or "api"
    method: str  # GET, POST, PUT, DELETE
    path: str  # with {name} placeholders
    params: tuple[str, ...]

    @property
    def resource(self) -> str:
        return self.path.split("{")[0].strip("/").removeprefix("api/v1/")


def _pattern_path(route: str) -> tuple[str, tuple[str, ...]]:
    params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route), params


def page_routes() -> Iterator[Route]:
    from django.urls import URLResolver, get_resolver

    def walk(patterns: Any, prefix: str = "") -> Iterator[str]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern)

    for route in walk(get_resolver().url_patterns):
        if "<" not in route or route.startswith(("admin/", "api/v1/")):
            continue
        path, params = _pattern_path(route)
        yield Route("page", "GET", path, params)
        yield Route("page", "POST", path, params)


def api_routes() -> Iterator[Route]:
    from fangkong.api import api

    for prefix, router in api._routers:
        for sub, view in router.path_operations.items():
            path = "/api/v1" + re.sub(r"\{(?:\w+:)?(\w+)\}", r"{\1}", prefix + sub)
            params = tuple(re.findall(r"\{(\w+)\}", path))
            if not params:
                continue
            for op in view.operations:
                for method in op.methods:
                    yield Route("api", method, path, params)


def every_route() -> list[Route]:
    return [*page_routes(), *api_routes()]


# ---------------------------------------------------------------- request bodies


@functools.cache
def _schema() -> dict:
    from fangkong.api import api

    return api.get_openapi_schema()


def _example(node: dict, schemas: dict) -> Any:
    """The smallest value the schema accepts (required fields only)."""
    if "$ref" in node:
        return _example(schemas[node["$ref"].rsplit("/", 1)[1]], schemas)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in node:
            options = [o for o in node[key] if o.get("type") != "null"] or node[key]
            return _example(options[0], schemas)
    if "enum" in node:
        return node["enum"][0]
    if "default" in node:
        return node["default"]
    kind = node.get("type")
    if kind == "object":
        props = node.get("properties", {})
        return {name: _example(props[name], schemas) for name in node.get("required", [])}
    if kind == "array":
        return [_example(node["items"], schemas)] if node.get("minItems") else []
    return _scalar(node)


SCALARS = {
    "integer": 1,
    "number": 1,
    "boolean": False,
    "date": "2020-02-10",
    "date-time": "2020-02-10T09:00:00+08:00",
    "uuid": "00000000-0000-4000-8000-000000000000",
}


def _scalar(node: dict) -> Any:
    if node.get("type") in ("integer", "number"):
        return max(1, node.get("minimum", 1))
    found = SCALARS.get(node.get("format", ""), SCALARS.get(node.get("type", "")))
    return "x" * max(1, node.get("minLength", 1)) if found is None else found


def _upload() -> Any:
    from tests.care.conftest import upload

    return upload()


def api_body(route: Route) -> tuple[str, Any]:
    """(content type, body) of a valid request to an API route."""
    spec = _schema()
    op = spec["paths"][route.path][route.method.lower()]
    content = op.get("requestBody", {}).get("content", {})
    schemas = spec.get("components", {}).get("schemas", {})
    if "application/json" in content:
        return "application/json", _example(content["application/json"]["schema"], schemas)
    if "multipart/form-data" in content:
        form = content["multipart/form-data"]["schema"]
        form = schemas[form["$ref"].rsplit("/", 1)[1]] if "$ref" in form else form
        return "multipart", {name: _upload() for name in form.get("required", [])}
    return "application/json", None


# ---------------------------------------------------------------- the builders


@dataclass
class Target:
    """One object of Yuecheng and who would see it: the route's parameters (the first
    one takes `id`), the role allowed to read it and that role's node in Zhuji."""

    id: Any
    role: str
    away: str = ZHUJI
    extra: dict[str, Any] = field(default_factory=dict)
    home: str = YUECHENG  # the same role's node in Yuecheng (the control)


Builder = Callable[[Any, Any], Target]  # (request, make_user) -> Target
BUILDERS: dict[str, Builder] = {}


def builds(*resources: str) -> Callable[[Builder], Builder]:
    def register(fn: Builder) -> Builder:
        for resource in resources:
            BUILDERS[resource] = fn
        return fn

    return register


def fx(request: Any, name: str) -> Any:
    return request.getfixturevalue(name)


@builds("geo", "screening/progress", "jurisdictions")
def yuecheng_node(request, make_user):
    return Target(YUECHENG, "county_hq")


@builds("briefing", "briefing/briefings")
def briefing(request, make_user):
    from fangkong.briefing import compute

    compute.compute(fx(request, "node")(YUECHENG), DAY0)
    return Target(YUECHENG, "county_hq", extra={"day": DAY0.isoformat()})


@builds("people", "persons", "healthcode/persons")
def person(request, make_user):
    return Target(fx(request, "make_person")("张伟"), "county_hq", extra={"field": "id_number"})


@builds("supplies/warehouses")
def warehouse(request, make_user):
    return Target(
        fx(request, "county_wh"),
        "supplies",
        extra={"verb": "receive", "item_id": fx(request, "n95").pk},
    )


def _supply_request(request, make_user):
    from fangkong.supplies.actions import requests as requests_actions

    wh, item = fx(request, "county_wh"), fx(request, "n95")
    hospital = make_user("medical", TASHAN)
    return requests_actions.submit_request(
        hospital,
        requester_node=hospital.node,
        requester_kind="medical",
        requester_name="塔山医院",
        warehouse=wh,
        item=item,
        quantity=5,
    )


@builds("supplies/requests")
def supply_request(request, make_user):
    return Target(_supply_request(request, make_user), "supplies", extra={"verb": "approve"})


@builds("supplies/donations")
def donation(request, make_user):
    from fangkong.supplies.actions import donations as donations_actions

    officer = make_user("supplies", YUECHENG)
    wh, item = fx(request, "county_wh"), fx(request, "n95")
    return Target(
        donations_actions.record_donation(officer, wh, "某企业", [{"item": item, "quantity": 3}]),
        "supplies",
    )


@builds("supplies/markets")
def market(request, make_user):
    from fangkong.supplies.models import Market

    node = fx(request, "node")
    return Target(
        Market.objects.create(name="塔山农贸市场", kind="market", node=node(TASHAN)), "supplies"
    )


@builds("command/directives", "notices/directives")
def directive_(request, make_user):
    return Target(fx(request, "directive"), "county_hq")


@builds("command/receipts")
def receipt(request, make_user):
    return Target(fx(request, "directive").receipts.first(), "county_hq")


def _meeting(request):
    from fangkong.command import actions

    hq = fx(request, "county_hq")
    return actions.open_meeting(hq, hq.node, DAY0)


@builds("command/meetings")
def meeting(request, make_user):
    return Target(_meeting(request), "county_hq")


@builds("command/decisions")
def decision(request, make_user):
    from fangkong.command import actions

    hq = fx(request, "county_hq")
    return Target(actions.record_decision(hq, _meeting(request), "x", hq, DAY0), "county_hq")


@builds("command/reports", "command/report-templates")
def report_template(request, make_user):
    return Target(fx(request, "template"), "county_hq")


@builds("supervision/plans")
def inspection_plan(request, make_user):
    return Target(fx(request, "plan"), "discipline")


@builds("supervision/inspections")
def inspection(request, make_user):
    return Target(fx(request, "recorded_finding").inspection, "discipline")


@builds("supervision/findings")
def finding(request, make_user):
    return Target(fx(request, "recorded_finding"), "discipline")


@builds("supervision/photos")
def finding_photo(request, make_user):
    from fangkong.supervision import actions
    from tests.supervision.test_api import png

    f = fx(request, "recorded_finding")
    return Target(actions.add_photo(fx(request, "inspector"), f, png()), "discipline")


@builds("supervision/rectifications", "supervision/tasks")
def rectification(request, make_user):
    from fangkong.supervision import actions

    f, node = fx(request, "recorded_finding"), fx(request, "node")
    task = actions.assign_rectification(
        fx(request, "inspector"), f, owner_node=node(HUAYUAN), requirement="安排值守"
    )
    return Target(task, "discipline")


@builds("supervision/cadres")
def cadre_(request, make_user):
    return Target(fx(request, "cadre"), "discipline")


def _care_staff(make_user):
    from tests.care.conftest import ensure_categories

    ensure_categories()
    return make_user("village_staff", HUAYUAN)


@builds("care/difficulties")
def difficulty(request, make_user):
    from fangkong.care import actions

    staff = _care_staff(make_user)
    d = actions.report_difficulty(
        staff,
        phone="13912345678",
        reporter_name="王芳",
        category="medical",
        description="需要配药帮助",
        node=staff.node,
    )
    return Target(d, "village_staff", away=ZHUJI_VILLAGE)


@builds("care/deeds")
def deed(request, make_user):
    from tests.care.conftest import upload

    d = kit.deed(_care_staff(make_user), photos=[upload()])
    return Target(d, "village_staff", away=ZHUJI_VILLAGE, extra={"photo_pk": d.photos.get().pk})


def _public_builder(name: str, *resources: str) -> None:
    """The records of tests/public/test_views.py (one of each kind, in Huayuan)."""

    def build(request, make_user):
        return Target(fx(request, "records")[name], "county_hq")

    builds(*resources)(build)


for _name, _plural in [
    ("bulletin", "bulletins"),
    ("rumour", "rumours"),
    ("question", "questions"),
    ("application", "applications"),
    ("school", "schools"),
    ("gathering", "gatherings"),
]:
    _public_builder(_name, f"public/{_plural}", f"public/staff/{_plural}")


@builds("clinical/visits")
def clinical_visit(request, make_user):
    return Target(fx(request, "visit")(), "medical", extra={"verb": "findings"})


@builds("clinical/cases")
def clinical_case(request, make_user):
    return Target(fx(request, "suspected")(), "medical", extra={"verb": "classify"})


@builds("clinical/facilities")
def facility(request, make_user):
    return Target(fx(request, "clinic"), "medical")


@builds("observation/sites")
def quarantine_site(request, make_user):
    return Target(fx(request, "site"), "county_hq")


@builds("observation/periods")
def period(request, make_user):
    quarantine = fx(request, "site")
    room = quarantine.rooms.order_by("number").first()
    extra = {"verb": "release", "site_id": quarantine.pk, "room_id": room.pk}
    return Target(fx(request, "start")(), "county_hq", extra=extra)


@builds("mobilisation/units")
def unit(request, make_user):
    from fangkong.mobilisation.models import Unit

    node = fx(request, "node")
    return Target(
        Unit.objects.create(name="单位", kind="office", node=node(YUECHENG)), "organisation"
    )


@builds("mobilisation/organisations")
def organisation(request, make_user):
    from fangkong.mobilisation.models import PartyOrganisation

    node = fx(request, "node")
    org = PartyOrganisation.objects.create(name="花园社区党支部", kind="branch", node=node(HUAYUAN))
    return Target(org, "organisation")


def _member(request):
    from fangkong.mobilisation.actions import members as members_actions
    from fangkong.mobilisation.actions import registration as registration_actions

    system, node = fx(request, "system"), fx(request, "node")
    member = members_actions.save_member(
        system, None, {"name": "李明", "phone": "13800000001"}, node=node(HUAYUAN)
    )
    return member, registration_actions.register(member, node(HUAYUAN))


@builds("mobilisation/members")
def member(request, make_user):
    return Target(_member(request)[0], "organisation")


@builds("mobilisation/registrations")
def registration(request, make_user):
    return Target(_member(request)[1], "village_staff", away=ZHUJI_VILLAGE)


@builds("mobilisation/posts")
def post(request, make_user):
    from fangkong.mobilisation.models import Post

    node = fx(request, "node")
    return Target(
        Post.objects.create(name="卡口", kind="checkpoint", node=node(HUAYUAN)),
        "village_staff",
        away=ZHUJI_VILLAGE,
    )


@builds("tracing/venues")
def venue(request, make_user):
    from fangkong.tracing import venues

    staff, node = make_user("village_staff", HUAYUAN), fx(request, "node")
    v = venues.create_venue(staff, {"name": "东门卡口", "kind": "gate", "node": node(GRID_A)})
    return Target(v, "village_staff", away=ZHUJI_VILLAGE)


@builds("screening/tasks")
def screening_task(request, make_user):
    return Target(kit.screening_task(), "town_hq", away=ZHUJI_TOWN, home=TASHAN)


@builds("screening/handovers")
def screening_handover(request, make_user):
    return Target(kit.handover(), "town_hq", away=ZHUJI_TOWN, home=TASHAN)


@builds("screening/exceptions")
def screening_exception(request, make_user):
    return Target(kit.screening_exception(), "town_hq", away=ZHUJI_TOWN, home=TASHAN)


@builds("screening/declarations")
def declaration_review(request, make_user):
    return Target(kit.declaration_review(), "village_staff", away=ZHUJI_VILLAGE, home=HUAYUAN)


@builds("screening/aliases")
def address_alias(request, make_user):
    return Target(kit.address_alias(), "town_hq", away=ZHUJI_TOWN, home=TASHAN)


@builds("screening/lists")
def pushed_list(request, make_user):
    return Target(kit.pushed_list(), "county_hq")


@builds("observation/tasks")
def missed_checkin_task(request, make_user):
    return Target(kit.missed_checkin_task(), "county_hq")


@builds("observation/referrals")
def referral(request, make_user):
    return Target(kit.referral(), "county_hq")


def _kit_builder(resource: str, make: Callable[[], Any], role: str, **extra: Any) -> None:
    """A resource whose record comes from tests/kit.py, seen by `role` of Yuecheng."""
    builds(resource)(lambda request, make_user: Target(make(), role, extra=extra))


_kit_builder("tracing/contacts", kit.contact, "county_hq", verb="confirm")
for _resource, _make, _role in [
    ("clinical/samples", kit.sample, "medical"),
    ("clinical/transfers", kit.transfer, "medical"),
    ("clinical/clusters", kit.cluster, "medical"),
    ("tracing/cases", kit.index_case, "county_hq"),
    ("tracing/chains", kit.chain, "county_hq"),
    ("command/indicators", kit.indicator, "county_hq"),
    ("mobilisation/assignments", kit.assignment, "village_staff"),
    ("selfservice/declarations", kit.self_declaration, "county_hq"),
    ("selfservice/appeals", kit.appeal, "county_hq"),
    ("exchange", kit.handover_request, "county_hq"),
    ("exchange/requests", kit.handover_request, "county_hq"),
    ("companions/runs", kit.companion_run, "county_hq"),
    ("companions/candidates", kit.companion_candidate, "county_hq"),
]:
    _kit_builder(_resource, _make, _role)


@builds("offline/orphans")
def orphan_visit(request, make_user):
    return Target(kit.orphan_visit(), "village_staff", away=ZHUJI_VILLAGE, home=HUAYUAN)


@builds("cockpit/call")
def call(request, make_user):
    from fangkong.people.actions import register_person

    who, _similar = register_person(
        kit.system_user(),
        {"name": "孙丽", "phone": "13905751234", "node_code": GRID_A},
        confirm_similar=True,
    )
    return Target(who, "village_staff", away=ZHUJI_VILLAGE, home=HUAYUAN)


# Resources whose routes are open by design to whoever holds the link or code (the
# holder is not a staff user of any county, so there is no other county to refuse), are
# their owner's own, or are one for the whole city.
NOT_SCOPED = {
    "observation/c": "a resident's check-in link: the token is the credential",
    "observation/self": "the API twin of the check-in link (token)",
    "observation/certificates": "anyone may verify a release certificate by its code",
    "observation/verify": "the page that verifies a release certificate by its code",
    "healthcode/me": "a resident's own health code link (token)",
    "public/code/mine": "a self-service code result link (token)",
    "public/declare": "a resident's declaration link (token)",
    "public/day": "the published bulletin of a day, public",
    "public/care/deeds": "published deeds, public",
    "public/care/mine": "a resident rates the help they asked for (session of the phone)",
    "care/open/deeds": "published deeds, public API",
    "care/open/difficulties": "a resident rates their own request (phone-verified)",
    "tracing/v": "a venue's public scan page: anyone scanning its QR code",
    "observation/lists": "the name of a list (a slug), not a stored object",
    "supplies/excel": "the kind of export (a slug), not a stored object",
    "exchange/cards/export.": "the export format, not a stored object",
    "supervision/checklists": "a topic of the city-wide checklist (one per city)",
    "auth/tokens": "the caller's own tokens (filtered by owner, not by county)",
    "auth/accounts": "accounts are managed by the city's administrators only",
    "jobs": "a background job is shown to the user who started it (owner, not county)",
    "notices": "a notice is its recipient's own (owner, not county)",
    "command/checklists": "a city-wide list of measures; a mark names its node in the body",
    "riskareas": "areas elsewhere in the country: one list for the city, kept by headquarters",
    "exchange/partners": "a partner city is the city's configuration; its file holds only "
    "the caller's subtree's requests",
}

# Resources with a stored object in a county but no builder yet: each is a gap of this
# test, named so that it is seen; write a builder above and remove the line.
UNBUILT: dict[str, str] = {}

# Routes of a built resource whose answer is not the object's scope (named one by one).
ROUTE_EXCEPTIONS: dict[tuple[str, str], str] = {}

# GET routes the control (the same role in Yuecheng) does not read, with the reason: the
# outsider's 404 is still asserted.
NO_CONTROL = {
    "/briefing/{code}/{day}/pdf/": "the PDF needs the CJK fonts (tests/briefing renders it)",
    "/observation/periods/{pk}/certificate.pdf": "a released period's PDF, CJK fonts",
    "/command/directives/{pk}/attachment/": "the directive built here has no attachment",
    "/screening/lists/{pk}/rerun/": "POST only: a GET answers 404 to everyone",
}


def _expert_team() -> dict[str, Any]:
    from fangkong.clinical.models import ExpertTeam

    experts = ExpertTeam.objects.create(facility=kit.designated_hospital(), name="专家组")
    return {"team_id": experts.pk}


# POST-only routes whose control needs more than the builder's role and the schema's
# smallest body: the role the route's permission names, or a body naming a stored object
# of Yuecheng (the smallest one names object 1 or none, and is refused with 404).
CONTROL_ROLE = {
    "/clinical/clusters/{pk}/report/": "cdc",
    "/api/v1/clinical/clusters/{pk}/report": "cdc",
    "/observation/referrals/{pk}/resolve/": "cdc",
    "/api/v1/observation/referrals/{pk}/resolve": "cdc",
}
CONTROL_BODY: dict[str, Callable[[Target], dict[str, Any]]] = {
    "/api/v1/clinical/cases/{pk}/transfers": lambda target: {
        "to_facility_id": kit.designated_hospital().pk,
        "bed_kind": "icu",
    },
    "/api/v1/clinical/cases/{pk}/experts": lambda target: _expert_team(),
    # Bodies naming another object of the same county (the schema's example ids exist on
    # SQLite by chance, not on PostgreSQL whose sequences run on between tests).
    "/api/v1/clinical/transfers/{pk}/bed": lambda target: {
        "ward_id": kit.designated_hospital().wards.get(kind="icu").pk
    },
    "/api/v1/command/meetings/{pk}/decisions": lambda target: {
        "owner_id": kit.account("county_hq", YUECHENG).pk
    },
    "/api/v1/persons/{pk}/merge": lambda target: {"absorbed_id": kit.person(97).pk},
    "/api/v1/observation/periods/{pk}/send": lambda target: {"site_id": target.extra["site_id"]},
    "/api/v1/observation/periods/{pk}/admit": lambda target: {"room_id": target.extra["room_id"]},
    "/api/v1/supplies/warehouses/{pk}/movements": lambda target: {
        "kind": "receipt",
        "item_id": target.extra["item_id"],
        "quantity": 5,
    },
}


@functools.cache
def routes_by_resource() -> dict[str, list[Route]]:
    grouped: dict[str, list[Route]] = {}
    for route in every_route():
        grouped.setdefault(route.resource, []).append(route)
    return grouped


def test_every_route_is_built_or_listed():
    resources = set(routes_by_resource())
    unlisted = resources - set(BUILDERS) - set(NOT_SCOPED) - set(UNBUILT)
    assert not unlisted, f"routes with an id and no builder: {sorted(unlisted)}"
    stale = (set(BUILDERS) | set(NOT_SCOPED) | set(UNBUILT)) - resources
    assert not stale, f"listed resources that no route has any more: {sorted(stale)}"
    assert not set(BUILDERS) & (set(NOT_SCOPED) | set(UNBUILT))
    paths = {route.path for route in every_route()}
    assert not set(NO_CONTROL) - paths and not {p for _m, p in ROUTE_EXCEPTIONS} - paths


def _url(route: Route, target: Target) -> str:
    values = {**target.extra}
    first = route.params[0]
    values[first] = getattr(target.id, "pk", target.id)
    if first == "code" and hasattr(target.id, "code"):  # a venue is named by its QR code
        values[first] = target.id.code
    return route.path.format(**values)


def _call(client, route: Route, url: str, headers: dict) -> Any:
    if route.kind == "page":
        return client.get(url) if route.method == "GET" else client.post(url, {})
    content_type, body = api_body(route)
    method = getattr(client, route.method.lower())
    if content_type == "multipart":
        return method(url, body, **headers)
    if body is None:
        return method(url, **headers)
    return method(url, body, content_type="application/json", **headers)


def _control(client, routes: list[Route], target: Target, insider) -> tuple[list[str], set[str]]:
    """The same role in Yuecheng reads the object on every GET route: the 404 the
    outsider meets is the scope's, not a wrong id, verb or day of this test. Answers what
    was wrong and the pages that take only POST (their GET answered 405)."""
    client.force_login(insider)
    headers = bearer(insider)
    wrong, post_pages = [], set()
    for route in routes:
        if route.method != "GET" or route.path in NO_CONTROL:
            continue
        url = _url(route, target)
        status = _call(client, route, url, headers).status_code
        if status == 405 and route.kind == "page":
            post_pages.add(route.path)
        elif status in (403, 404) or (status == 405 and route.kind == "api"):
            wrong.append(f"control: {route.method} {url} → {status}")
    return wrong, post_pages


def _only_post(routes: list[Route], post_pages: set[str]) -> list[Route]:
    """The POST routes of paths that take nothing else: an API path with no other
    operation, a page whose GET the control was refused (405) or that is listed so."""
    methods: dict[str, set[str]] = {}
    for route in routes:
        methods.setdefault(route.path, set()).add(route.method)
    return [
        route
        for route in routes
        if route.method == "POST"
        and (
            (route.kind == "api" and methods[route.path] == {"POST"})
            or route.path in post_pages
            or NO_CONTROL.get(route.path, "").startswith("POST only")
        )
    ]


def _post_control(client, routes: list[Route], target: Target, make_user) -> list[str]:
    """A user of Yuecheng with the permission is not refused with 404 on the POST-only
    routes (an answer about the body or the object's state is fine): the outsider's 404
    there is the scope's too. Run after the outsider, whose requests changed nothing."""
    wrong = []
    for route in routes:
        insider = make_user(CONTROL_ROLE.get(route.path, target.role), target.home)
        client.force_login(insider)
        url = _url(route, target)
        if route.path in CONTROL_BODY:
            body = {**api_body(route)[1], **CONTROL_BODY[route.path](target)}
            status = client.post(url, body, content_type="application/json", **bearer(insider))
        else:
            status = _call(client, route, url, bearer(insider))
        if status.status_code == 404:
            wrong.append(f"control: POST {url} → 404 {status.content[:200]!r}")
    return wrong


@pytest.mark.parametrize("resource", sorted(BUILDERS))
def test_another_county_gets_404(resource, request, client, make_user):
    target = BUILDERS[resource](request, make_user)
    routes = [
        route
        for route in routes_by_resource()[resource]
        if (route.method, route.path) not in ROUTE_EXCEPTIONS
    ]
    insider = make_user(target.role, target.home)
    wrong, post_pages = _control(client, routes, target, insider)
    outsider = make_user(target.role, target.away)
    client.force_login(outsider)
    headers = bearer(outsider)
    refused = set()  # page paths that answered 404 to GET or POST
    for route in routes:
        url = _url(route, target)
        response = _call(client, route, url, headers)
        status = response.status_code
        if status == 404:
            refused.add(route.path)
        elif not (status == 405 and route.kind == "page"):  # a page offers GET or POST
            wrong.append(f"{route.method} {url} → {status} {response.content[:200]!r}")
    silent = {route.path for route in routes} - refused
    wrong += _post_control(client, _only_post(routes, post_pages), target, make_user)
    assert not wrong and not silent, (wrong, silent)
