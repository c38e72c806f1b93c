"""Every list page and list endpoint reads in a number of queries that does not grow
with its rows: the same page with 3 rows and with 28 rows makes the same number of
queries (an N+1 shows as 25 more). No count is written down, so a list may change what
it shows without touching this test; only a per-row query fails it.

The lists are found, not listed: a page is a list when its view calls
`lists.paginate(…)` (core/listing.py), an endpoint when its answer is a counted page
(`items` and `count`). The rows come from the list-page cases of
tests/core/test_list_pages.py (one row builder per list) and a few more here; a list
found without a row builder is named in UNBUILT with its reason, so a new list fails
`test_every_list_is_built_or_listed` until it has one."""

from __future__ import annotations

import functools
import inspect
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fangkong.core import listing
from tests.core import test_list_pages as pages
from tests.core.test_list_pages import API_CASES, CASES, Case
from tests.kit import bearer

pytestmark = pytest.mark.django_db
FEW, MANY = 3, 28  # the row builders date one row a day of February 2020


@functools.cache
def list_pages() -> frozenset[str]:
    """Param-less pages whose view pages a list with `lists.paginate`."""
    from django.urls import URLResolver, get_resolver

    def walk(patterns: Any, prefix: str = ""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern), p

    found = set()
    for route, pattern in walk(get_resolver().url_patterns):
        if "<" in route or route.startswith(("admin/", "api/v1/")):
            continue
        try:
            source = inspect.getsource(inspect.unwrap(pattern.callback))
        except (OSError, TypeError):
            continue
        if "paginate(" in source:
            found.add("/" + route)
    return frozenset(found)


@functools.cache
def list_endpoints() -> frozenset[str]:
    """GET operations of the API whose answer is a counted page."""
    from fangkong.api import api

    spec = api.get_openapi_schema()
    schemas = spec["components"]["schemas"]
    found = set()
    for path, ops in spec["paths"].items():
        responses = ops.get("get", {}).get("responses", {})
        schema = responses.get(200, responses.get("200", {}))
        schema = schema.get("content", {}).get("application/json", {}).get("schema", {})
        if "$ref" in schema:
            schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
        if {"items", "count"} <= set(schema.get("properties", {})):
            found.add(path)
    return frozenset(found)


def _node(code: str) -> Any:
    from fangkong.geo.models import Division

    return Division.objects.get(code=code)


def question(user: Any, i: int) -> Any:
    from fangkong.public import actions

    return actions.ask_question(_node("330602001004"), "community", f"问题{i}：垃圾多久清运？")


def organisation(user: Any, i: int) -> Any:
    from fangkong.mobilisation.models import PartyOrganisation

    return PartyOrganisation.objects.create(name=f"支部{i}", kind="branch", node=_node("330602"))


def member(user: Any, i: int) -> Any:
    from fangkong.accounts.models import User
    from fangkong.mobilisation.actions import members as members_actions

    system = User(is_superuser=True, is_active=True)
    data = {"name": f"党员{i}", "phone": f"1380000{i:04d}"}
    return members_actions.save_member(system, None, data, node=_node("330602001004"))


def venue(user: Any, i: int) -> Any:
    from fangkong.accounts.models import User
    from fangkong.tracing import venues

    system = User(is_superuser=True, is_active=True)
    data = {"name": f"卡口{i}", "kind": "gate", "node": _node("330602001004G01")}
    return venues.create_venue(system, data)


def plan(user: Any, i: int) -> Any:
    import datetime as dt

    from fangkong.supervision import actions

    day = dt.date(2020, 2, 1 + i)
    return actions.create_plan(
        user, _node("330602"), title=f"督查{i}", starts_on=day, ends_on=day, topics=["screening"]
    )


def _warehouse_and_item() -> tuple[Any, Any]:
    from fangkong.supplies.models import Item, Warehouse
    from tests.supplies.conftest import ensure_catalogue

    ensure_catalogue()
    warehouse, _ = Warehouse.objects.get_or_create(
        name="越城区物资储备库", kind="county", node=_node("330602")
    )
    return warehouse, Item.objects.get(standard="N95")


def supply_request(user: Any, i: int) -> Any:
    from fangkong.accounts.models import User
    from fangkong.supplies.actions import requests as requests_actions

    warehouse, item = _warehouse_and_item()
    system = User(is_superuser=True, is_active=True)
    return requests_actions.submit_request(
        system,
        requester_node=_node("330602001"),
        requester_kind="medical",
        requester_name=f"医院{i}",
        warehouse=warehouse,
        item=item,
        quantity=5,
    )


def donation(user: Any, i: int) -> Any:
    from fangkong.accounts.models import User
    from fangkong.supplies.actions import donations as donations_actions

    warehouse, item = _warehouse_and_item()
    system = User(is_superuser=True, is_active=True)
    return donations_actions.record_donation(
        system, warehouse, f"企业{i}", [{"item": item, "quantity": 3}]
    )


def companion_run(user: Any, i: int) -> Any:
    from tests.companions.test_lists import _run

    return _run(i, _node("330602"))


# Lists of tests/core/test_list_pages.py's cases, and more with row builders of their own.
PAGES = {case.url: case for case in CASES.values()} | {
    "/public/staff/questions/": Case("city_hq", "3306", "", question),
    "/mobilisation/organisations/": Case("city_hq", "3306", "", organisation),
    "/mobilisation/members/": Case("city_hq", "3306", "", member),
    "/tracing/venues/": Case("city_hq", "3306", "", venue),
    "/supervision/plans/": Case("discipline", "330602", "", plan),
    "/supplies/requests/": Case("supplies", "330602", "", supply_request),
    "/supplies/donations/": Case("supplies", "330602", "", donation),
    # shows category codes, so not in the list-page cases (which fail on Latin words)
    "/care/rules/": Case("city_hq", "3306", "", pages.care_rules),
    "/companions/": Case("county_hq", "330602", "", companion_run),
}
ENDPOINTS = {case.url: case for case in API_CASES.values()} | {
    "/api/v1/public/questions": Case("city_hq", "3306", "", question),
    "/api/v1/mobilisation/organisations": Case("city_hq", "3306", "", organisation),
    "/api/v1/mobilisation/units": Case("city_hq", "3306", "", pages.unit),
    "/api/v1/mobilisation/posts": Case("city_hq", "3306", "", pages.post),
    "/api/v1/observation/sites": Case("city_hq", "3306", "", pages.site),
    "/api/v1/command/meetings": Case("city_hq", "3306", "", pages.meeting),
    "/api/v1/care/deeds": Case("city_hq", "3306", "", pages.deed),
    "/api/v1/tracing/venues": Case("city_hq", "3306", "", venue),
    "/api/v1/supplies/requests": Case("supplies", "330602", "", supply_request),
    "/api/v1/supplies/donations": Case("supplies", "330602", "", donation),
}

# Lists found without a row builder yet: each is named so that the gap is seen; give it
# a case in tests/core/test_list_pages.py (or here) and remove the line.
UNBUILT = (
    dict.fromkeys(
        [
            "/screening/today/",
            "/screening/exceptions/",
            "/screening/handovers/",
            "/screening/progress/",
            "/screening/declarations/",
            "/observation/",
            "/observation/tasks/",
            "/clinical/lab/",
            "/clinical/clusters/",
            "/command/",
            "/command/directives/",
            "/command/receipts/",
            "/tracing/",
            "/tracing/chains/",
            "/healthcode/",
            "/care/difficulties/",
            "/selfservice/declarations/",
            "/selfservice/appeals/",
            "/public/staff/applications/",
            "/supervision/",
            "/supervision/inspections/",
            "/supervision/tasks/",
            "/supervision/commendations/",
            "/supervision/cases/",
            "/mobilisation/registrations/",
            "/exchange/",
            "/exchange/partners/",
            "/exchange/cards/",
            "/audit/",
            "/api/v1/jurisdictions/search",
            "/api/v1/screening/tasks",
            "/api/v1/screening/exceptions",
            "/api/v1/screening/declarations",
            "/api/v1/observation/periods/{pk}/checkins",
            "/api/v1/observation/tasks",
            "/api/v1/observation/referrals",
            "/api/v1/companions/runs",
            "/api/v1/command/targets",
            "/api/v1/command/task-forces",
            "/api/v1/command/directives",
            "/api/v1/command/receipts",
            "/api/v1/command/report-templates/{pk}/submissions",
            "/api/v1/briefing/briefings",
            "/api/v1/supplies/prices",
            "/api/v1/supplies/markets/{pk}/prices",
            "/api/v1/clinical/visits",
            "/api/v1/clinical/cases",
            "/api/v1/clinical/clusters",
            "/api/v1/tracing/chains",
            "/api/v1/public/applications",
            "/api/v1/mobilisation/registrations",
            "/api/v1/mobilisation/assignments",
            "/api/v1/selfservice/declarations",
            "/api/v1/selfservice/appeals",
        ],
        "no row builder yet (kit, #22)",
    )
    | dict.fromkeys(
        [
            "/api/v1/auth/tokens",
            "/api/v1/public/open/answers",
            "/public/answers/",
            "/public/knowledge/",
            "/public/resumed/",
            "/screening/lists/",
            "/supplies/",
            "/supplies/prices/",
        ],
        "paged in #17 (lists2) after the kit was written; no row builder yet",
    )
    | dict.fromkeys(
        ["/api/v1/healthcode/persons/{person_id}/history"],
        "one record's list (a path parameter); paged in tests/healthcode/test_history_lists.py",
    )
    | dict.fromkeys(
        ["/api/v1/notices/directives/{pk}/undelivered"],
        "one directive's list (a path parameter); paged in tests/notify/test_directives.py",
    )
    | dict.fromkeys(
        [
            "/api/v1/supervision/inspections",
            "/api/v1/supervision/rectifications",
            "/api/v1/supervision/commendations",
            "/api/v1/supervision/cases",
        ],
        "paged in #17 (were the first 200); no row builder yet",
    )
    | dict.fromkeys(
        ["/public/care/mine/"],
        "needs a phone verified in the session; paged in tests/care/test_lists.py",
    )
)


def test_every_list_is_built_or_listed():
    found = list_pages() | list_endpoints()
    unlisted = found - set(PAGES) - set(ENDPOINTS) - set(UNBUILT)
    assert not unlisted, f"lists without a row builder: {sorted(unlisted)}"
    stale = set(UNBUILT) - found
    assert not stale, f"listed lists that are gone: {sorted(stale)}"
    assert not set(UNBUILT) & (set(PAGES) | set(ENDPOINTS))


def _queries(fetch) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = fetch()
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


def _counts(case: Case, make_user, fetch_as) -> tuple[int, int]:
    user = make_user(case.role, case.node)
    fetch = fetch_as(user)
    for i in range(FEW):
        case.make(user, i)
    fetch()  # the first request fills the per-process caches (rule sets, the tree)
    few = _queries(fetch)
    for i in range(FEW, MANY):
        case.make(user, i)
    fetch()  # again: making rows may empty a cache (a new token forgets the cached ones)
    return few, _queries(fetch)


@pytest.mark.parametrize("url", sorted(PAGES))
def test_list_page_queries_do_not_grow_with_rows(url, client, make_user, monkeypatch):
    monkeypatch.setattr(listing, "PER_PAGE", 50)

    def fetch_as(user):
        client.force_login(user)
        return lambda: client.get(url)

    few, many = _counts(PAGES[url], make_user, fetch_as)
    assert few == many, f"{url}: {few} queries with {FEW} rows, {many} with {MANY}"


@pytest.mark.parametrize("url", sorted(ENDPOINTS))
def test_list_endpoint_queries_do_not_grow_with_rows(url, client, make_user):
    def fetch_as(user):
        headers = bearer(user)
        return lambda: client.get(url, {"page_size": 50}, **headers)

    few, many = _counts(ENDPOINTS[url], make_user, fetch_as)
    assert few == many, f"{url}: {few} queries with {FEW} rows, {many} with {MANY}"
