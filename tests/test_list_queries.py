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
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fangkong.core import listing
from tests import kit
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


def question(user: Any, i: int) -> Any:
    from fangkong.public import actions

    return actions.ask_question(
        kit.division("330602001004"), "community", f"问题{i}：垃圾多久清运？"
    )


def organisation(user: Any, i: int) -> Any:
    from fangkong.mobilisation.models import PartyOrganisation

    return PartyOrganisation.objects.create(
        name=f"支部{i}", kind="branch", node=kit.division("330602")
    )


def member(user: Any, i: int) -> Any:
    from fangkong.mobilisation.actions import members as members_actions

    system = kit.system_user()
    data = {"name": f"党员{i}", "phone": f"1380000{i:04d}"}
    return members_actions.save_member(system, None, data, node=kit.division("330602001004"))


def venue(user: Any, i: int) -> Any:
    from fangkong.tracing import venues

    system = kit.system_user()
    data = {"name": f"卡口{i}", "kind": "gate", "node": kit.division("330602001004G01")}
    return venues.create_venue(system, data)


def plan(user: Any, i: int) -> Any:
    import datetime as dt

    from fangkong.supervision import actions

    day = dt.date(2020, 2, 1 + i)
    return actions.create_plan(
        user,
        kit.division("330602"),
        title=f"督查{i}",
        starts_on=day,
        ends_on=day,
        topics=["screening"],
    )


def _warehouse_and_item() -> tuple[Any, Any]:
    from fangkong.supplies.models import Item, Warehouse
    from tests.supplies.conftest import ensure_catalogue

    ensure_catalogue()
    warehouse, _ = Warehouse.objects.get_or_create(
        name="越城区物资储备库", kind="county", node=kit.division("330602")
    )
    return warehouse, Item.objects.get(standard="N95")


def ledger_entry(user: Any, i: int) -> Any:
    """A receipt into the county warehouse (its ledger lists one row per movement)."""
    from fangkong.supplies.actions import ledger

    warehouse, item = _warehouse_and_item()
    return ledger.receive(user, warehouse, item, 10, source="purchase", batch_code=f"B{i:03d}")


def supply_request(user: Any, i: int) -> Any:
    from fangkong.supplies.actions import requests as requests_actions

    warehouse, item = _warehouse_and_item()
    system = kit.system_user()
    return requests_actions.submit_request(
        system,
        requester_node=kit.division("330602001"),
        requester_kind="medical",
        requester_name=f"医院{i}",
        warehouse=warehouse,
        item=item,
        quantity=5,
    )


def donation(user: Any, i: int) -> Any:
    from fangkong.supplies.actions import donations as donations_actions

    warehouse, item = _warehouse_and_item()
    system = kit.system_user()
    return donations_actions.record_donation(
        system, warehouse, f"企业{i}", [{"item": item, "quantity": 3}]
    )


def rows(make: Any) -> Any:
    """A row builder from a record builder of tests/kit.py (`make(i)`)."""
    return lambda user, i: make(i)


def answered(user: Any, i: int) -> Any:
    """A question answered and published (the public answers)."""
    from fangkong.core import clock
    from fangkong.public.models import Question

    asked = question(user, i)
    Question.objects.filter(pk=asked.pk).update(
        answer="每周两次", answered_at=clock.now(), published=True
    )
    return asked


def published_article(user: Any, i: int) -> Any:
    from fangkong.public.models import Article

    return Article.objects.create(
        node=kit.division("3306"), title=f"知识{i}", body="…", author=user, published=True
    )


def refusal(user: Any, i: int) -> Any:
    """A message refused at the exchange's door (the partners page lists them)."""
    from fangkong.exchange.models import Refusal

    root = kit.division("3306")
    return Refusal.objects.create(
        claimed_sender="330100", channel="http", reason=f"签名无效{i}", path=root.path
    )


def own_token(user: Any, i: int) -> Any:
    """Another API token of the caller (the tokens list is the caller's own)."""
    return bearer(user)


# Lists of tests/core/test_list_pages.py's cases, and more with row builders of their own.
PAGES = {case.url: case for case in CASES.values()} | {
    "/public/staff/questions/": Case("city_hq", "3306", "", question),
    "/mobilisation/organisations/": Case("city_hq", "3306", "", organisation),
    "/mobilisation/members/": Case("city_hq", "3306", "", member),
    "/tracing/venues/": Case("city_hq", "3306", "", venue),
    "/supervision/plans/": Case("discipline", "330602", "", plan),
    "/supplies/requests/": Case("supplies", "330602", "", supply_request),
    "/supplies/donations/": Case("supplies", "330602", "", donation),
    "/screening/today/": Case("grid_worker", kit.GRID_A, "", rows(kit.screening_task)),
    "/screening/exceptions/": Case("town_hq", kit.TASHAN, "", rows(kit.screening_exception)),
    "/screening/declarations/": Case(
        "village_staff", kit.HUAYUAN, "", rows(kit.declaration_review)
    ),
    "/screening/lists/": Case("county_hq", kit.YUECHENG, "", rows(kit.pushed_list)),
    "/observation/": Case("county_hq", kit.YUECHENG, "", pages.site),  # its sites
    "/observation/tasks/": Case("county_hq", kit.YUECHENG, "", rows(kit.missed_checkin_task)),
    "/clinical/lab/": Case("medical", kit.YUECHENG, "", rows(kit.sample)),
    "/clinical/clusters/": Case("medical", kit.YUECHENG, "", rows(kit.cluster)),
    "/tracing/": Case("county_hq", kit.YUECHENG, "", rows(kit.index_case)),
    "/tracing/chains/": Case("county_hq", kit.YUECHENG, "", rows(kit.chain)),
    "/selfservice/declarations/": Case("county_hq", kit.YUECHENG, "", rows(kit.self_declaration)),
    "/selfservice/appeals/": Case("county_hq", kit.YUECHENG, "", rows(kit.appeal)),
    "/exchange/": Case("county_hq", kit.YUECHENG, "", rows(kit.handover_request)),
    "/command/directives/": Case("county_hq", kit.YUECHENG, "", rows(kit.directive)),
    "/command/receipts/": Case("town_hq", kit.TASHAN, "", rows(kit.directive)),
    "/mobilisation/registrations/": Case("village_staff", kit.HUAYUAN, "", rows(kit.registration)),
    "/care/difficulties/": Case("village_staff", kit.HUAYUAN, "", rows(kit.difficulty)),
    "/public/staff/applications/": Case(
        "county_hq", kit.YUECHENG, "", rows(kit.resume_application)
    ),
    "/supervision/inspections/": Case("discipline", kit.YUECHENG, "", rows(kit.inspection)),
    "/supervision/tasks/": Case("discipline", kit.YUECHENG, "", rows(kit.rectification)),
    "/supplies/": Case("supplies", "330602", "", supply_request),  # its open requests
    "/supplies/prices/": Case("supplies", kit.YUECHENG, "", rows(kit.price_report)),
    "/screening/handovers/": Case("county_hq", kit.YUECHENG, "", rows(kit.handover)),
    "/public/answers/": Case("city_hq", "3306", "", answered),
    "/public/knowledge/": Case("city_hq", "3306", "", published_article),
    "/exchange/partners/": Case("city_hq", "3306", "", refusal),
    "/screening/progress/": Case("grid_worker", kit.GRID_A, "", rows(kit.screening_task)),
    "/command/": Case("county_hq", kit.YUECHENG, "", rows(kit.target)),  # its targets
    "/companions/": Case("county_hq", "330602", "", rows(kit.companion_run)),
    # the seeded rule sets' notes are English, so not in the list-page cases; paged in
    # tests/briefing/test_risk_rules.py
    "/briefing/risk-rules/": Case("city_hq", "3306", "", pages.risk_rules),
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
    "/api/v1/screening/tasks": Case("town_hq", kit.TASHAN, "", rows(kit.screening_task)),
    "/api/v1/screening/exceptions": Case("town_hq", kit.TASHAN, "", rows(kit.screening_exception)),
    "/api/v1/screening/declarations": Case(
        "village_staff", kit.HUAYUAN, "", rows(kit.declaration_review)
    ),
    "/api/v1/observation/tasks": Case("county_hq", kit.YUECHENG, "", rows(kit.missed_checkin_task)),
    "/api/v1/observation/referrals": Case("county_hq", kit.YUECHENG, "", rows(kit.referral)),
    "/api/v1/companions/runs": Case("county_hq", kit.YUECHENG, "", rows(kit.companion_run)),
    "/api/v1/command/targets": Case("county_hq", kit.YUECHENG, "", rows(kit.target)),
    "/api/v1/clinical/visits": Case("medical", kit.YUECHENG, "", rows(kit.clinic_visit)),
    "/api/v1/clinical/cases": Case("medical", kit.YUECHENG, "", rows(kit.suspected_case)),
    "/api/v1/clinical/clusters": Case("medical", kit.YUECHENG, "", rows(kit.cluster)),
    "/api/v1/tracing/chains": Case("county_hq", kit.YUECHENG, "", rows(kit.chain)),
    "/api/v1/mobilisation/assignments": Case(
        "village_staff", kit.HUAYUAN, "", rows(kit.assignment)
    ),
    "/api/v1/selfservice/declarations": Case(
        "county_hq", kit.YUECHENG, "", rows(kit.self_declaration)
    ),
    "/api/v1/selfservice/appeals": Case("county_hq", kit.YUECHENG, "", rows(kit.appeal)),
    "/api/v1/command/directives": Case("county_hq", kit.YUECHENG, "", rows(kit.directive)),
    "/api/v1/command/receipts": Case("town_hq", kit.TASHAN, "", rows(kit.directive)),
    "/api/v1/command/task-forces": Case("county_hq", kit.YUECHENG, "", rows(kit.task_force)),
    "/api/v1/mobilisation/registrations": Case(
        "village_staff", kit.HUAYUAN, "", rows(kit.registration)
    ),
    "/api/v1/public/applications": Case(
        "county_hq", kit.YUECHENG, "", rows(kit.resume_application)
    ),
    "/api/v1/observation/periods/{pk}/checkins": Case(
        "county_hq", kit.YUECHENG, "", rows(kit.checkin)
    ),
    "/api/v1/observation/sites/{pk}/awaiting": Case(
        "county_hq", kit.YUECHENG, "", rows(kit.sent_to_site)
    ),
    "/api/v1/screening/handovers": Case("county_hq", kit.YUECHENG, "", rows(kit.handover)),
    "/api/v1/supplies/markets/{pk}/prices": Case(
        "supplies", kit.YUECHENG, "", rows(kit.price_report)
    ),
    "/api/v1/supplies/prices": Case("supplies", kit.YUECHENG, "", rows(kit.price_report)),
    "/api/v1/auth/tokens": Case("grid_worker", kit.GRID_A, "", own_token),
    "/api/v1/public/open/answers": Case("city_hq", "3306", "", answered),
    "/api/v1/briefing/briefings": Case("county_hq", kit.YUECHENG, "", rows(kit.briefing)),
}

# Lists under a parent (`{pk}` in the path): the parent of a row the builder made.
PARENTS = {
    "/api/v1/observation/periods/{pk}/checkins": lambda row: row.period_id,
    "/api/v1/observation/sites/{pk}/awaiting": lambda row: row.sent_to_id,
    "/api/v1/supplies/markets/{pk}/prices": lambda row: row.market_id,
}

# Lists whose rows are made above but that need more than a login: query parameters
# (a search finds nothing without a word) and a phone verified in the session.
PARAMS = {"/api/v1/jurisdictions/search": {"q": "测试网格"}}
CARE_PHONE, MEMBER_PHONE = "13912340000", "13800009999"


def care_reporter(client: Any) -> None:
    """The session of a reporter who verified CARE_PHONE (care/pages._remember)."""
    import datetime as dt

    from fangkong.care import actions, pages
    from fangkong.core import clock

    until = clock.now() + dt.timedelta(minutes=10)
    session = client.session
    session[pages.SESSION_KEY] = {
        "index": actions.phone_index(CARE_PHONE),
        "until": until.isoformat(),
    }
    session.save()


def member_phone(client: Any) -> None:
    """The session of the member who verified MEMBER_PHONE (mobilisation/phone._remember)."""
    import base64

    from fangkong.core import clock, crypto
    from fangkong.mobilisation import phone

    token = base64.b64encode(crypto.encrypt(MEMBER_PHONE, phone.FIELD)).decode()
    session = client.session
    session[phone.SESSION_KEY] = {"p": token, "at": clock.now().isoformat()}
    session.save()


SESSIONS = {"/public/care/mine/": care_reporter, "/mobilisation/m/me/": member_phone}

PAGES |= {
    "/healthcode/": Case("county_hq", kit.YUECHENG, "", rows(kit.health_code)),
    "/supervision/": Case("town_hq", kit.TASHAN, "", rows(kit.overdue_rectification)),
    "/supervision/commendations/": Case("organisation", kit.YUECHENG, "", rows(kit.commendation)),
    "/supervision/cases/": Case("organisation", kit.YUECHENG, "", rows(kit.accountability_case)),
    "/exchange/cards/": Case("cdc", kit.YUECHENG, "", rows(kit.suspected_case)),
    "/audit/": Case("discipline", kit.YUECHENG, "", lambda user, i: kit.audit_entry(i, by=user)),
    "/public/resumed/": Case("county_hq", kit.YUECHENG, "", rows(kit.approval_batch)),
    "/public/care/mine/": Case(
        "village_staff", kit.HUAYUAN, "", lambda user, i: kit.difficulty(i, phone=CARE_PHONE)
    ),
    "/mobilisation/m/me/": Case(
        "village_staff",
        kit.HUAYUAN,
        "",
        lambda user, i: kit.member_registration(i, phone=MEMBER_PHONE),
    ),
}
ENDPOINTS |= {
    "/api/v1/healthcode/persons/{person_id}/history": Case(
        "county_hq", kit.YUECHENG, "", rows(kit.code_change)
    ),
    "/api/v1/notices/directives/{pk}/undelivered": Case(
        "county_hq", kit.YUECHENG, "", rows(kit.undelivered_notice)
    ),
    "/api/v1/supervision/inspections": Case("discipline", kit.YUECHENG, "", rows(kit.inspection)),
    "/api/v1/supervision/rectifications": Case(
        "discipline", kit.YUECHENG, "", rows(kit.rectification)
    ),
    "/api/v1/supervision/commendations": Case(
        "organisation", kit.YUECHENG, "", rows(kit.commendation)
    ),
    "/api/v1/supervision/cases": Case(
        "organisation", kit.YUECHENG, "", rows(kit.accountability_case)
    ),
    "/api/v1/jurisdictions/search": Case("county_hq", kit.YUECHENG, "", rows(kit.grid)),
    "/api/v1/exchange/cards": Case("cdc", kit.YUECHENG, "", rows(kit.suspected_case)),
    "/api/v1/command/directives/{pk}/laggards": Case(
        "county_hq", kit.YUECHENG, "", rows(kit.laggard)
    ),
    "/api/v1/supplies/warehouses/{pk}/ledger": Case("supplies", "330602", "", ledger_entry),
    "/api/v1/command/report-templates/{pk}/submissions": Case(
        "county_hq", kit.YUECHENG, "", rows(kit.submission)
    ),
}
PARENTS |= {
    "/api/v1/healthcode/persons/{person_id}/history": lambda row: row.person_id,
    "/api/v1/notices/directives/{pk}/undelivered": lambda row: int(row.notice.key.split(":")[1]),
    "/api/v1/command/report-templates/{pk}/submissions": lambda row: row.template_id,
    "/api/v1/supplies/warehouses/{pk}/ledger": lambda row: row.warehouse_id,
    "/api/v1/command/directives/{pk}/laggards": lambda row: row.directive_id,
}

# Lists found without a row builder: each is named with the reason it has none, so that
# the gap is seen; a new list fails `test_every_list_is_built_or_listed` until it has one.
UNBUILT: dict[str, str] = {}


def test_every_list_is_built_or_listed():
    found = list_pages() | list_endpoints()
    unlisted = found - set(PAGES) - set(ENDPOINTS) - set(UNBUILT)
    assert not unlisted, f"lists without a row builder: {sorted(unlisted)}"
    stale = set(UNBUILT) - found
    assert not stale, f"listed lists that are gone: {sorted(stale)}"
    assert not set(UNBUILT) & (set(PAGES) | set(ENDPOINTS))


def _shown(response: Any) -> int:
    """How many rows the list says it holds: an endpoint's `count`, a page's totals
    (`data-total`, summed over the lists of a page that shows several)."""
    if response.get("Content-Type", "").startswith("application/json"):
        return response.json()["count"]
    return sum(int(n) for n in re.findall(r'data-total="(\d+)"', response.content.decode()))


def _queries(fetch) -> tuple[int, int]:
    """(queries, rows shown) of one request."""
    with CaptureQueriesContext(connection) as ctx:
        response = fetch()
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries), _shown(response)


def _counts(case: Case, url: str, make_user, fetch_as) -> tuple[int, int]:
    user = make_user(case.role, case.node)
    made = [case.make(user, i) for i in range(FEW)]
    path = (
        url.replace("{person_id}", "{pk}").format(pk=PARENTS[url](made[0]))
        if url in PARENTS
        else url
    )
    fetch = fetch_as(user, path)
    fetch()  # the first request fills the per-process caches (rule sets, the tree)
    few, rows_few = _queries(fetch)
    for i in range(FEW, MANY):
        case.make(user, i)
    fetch()  # again: making rows may empty a cache (a new token forgets the cached ones)
    many, rows_many = _queries(fetch)
    # The rows made are the list's own: a list that showed none would count nothing.
    assert rows_many - rows_few >= MANY - FEW, f"{rows_few} rows shown, then {rows_many}"
    return few, many


@pytest.mark.parametrize("url", sorted(PAGES))
def test_list_page_queries_do_not_grow_with_rows(url, client, make_user, monkeypatch):
    monkeypatch.setattr(listing, "PER_PAGE", 50)

    def fetch_as(user, path):
        client.force_login(user)
        if url in SESSIONS:
            SESSIONS[url](client)
        return lambda: client.get(path)

    few, many = _counts(PAGES[url], url, make_user, fetch_as)
    assert few == many, f"{url}: {few} queries with {FEW} rows, {many} with {MANY}"


@pytest.mark.parametrize("url", sorted(ENDPOINTS))
def test_list_endpoint_queries_do_not_grow_with_rows(url, client, make_user):
    def fetch_as(user, path):
        headers = bearer(user)
        return lambda: client.get(path, {"page_size": 50, **PARAMS.get(url, {})}, **headers)

    few, many = _counts(ENDPOINTS[url], url, make_user, fetch_as)
    assert few == many, f"{url}: {few} queries with {FEW} rows, {many} with {MANY}"
