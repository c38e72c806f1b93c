"""The gate's hot path (issue #21 item 1): verification and single scans read the venue,
the code and the rule set through prepared statements that scope exactly as `restrict`
does, and answer as before — 404 for a venue unknown or outside the caller's area
(before the token's own problems), 422 for a forged or expired code."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fangkong.core import clock, prepared
from fangkong.core.querysets import scope_prefix
from fangkong.healthcode import actions, tokens
from fangkong.healthcode.models import CodeRules
from fangkong.tracing import venues
from fangkong.tracing.models import TracingRules, Venue
from tests.conftest import GRID_A, ZHUJI
from tests.healthcode.conftest import T
from tests.kit import bearer

pytestmark = pytest.mark.usefixtures("gate_morning")


@pytest.fixture
def venue(hq, node):
    return venues.create_venue(hq, {"name": "东门", "kind": "gate", "node": node(GRID_A)})


def post(client, url, data, headers):
    return client.post(url, data, content_type="application/json", **headers)


def test_scope_prefix_is_what_restrict_keeps(hq, make_user, venue):
    from fangkong.accounts.models import User

    other, nobody = make_user("county_hq", ZHUJI), User(role="county_hq", is_active=True)
    for user in (hq, other, nobody, User(is_superuser=True)):
        prefix = scope_prefix(user, Venue)
        kept = list(Venue.objects.restrict(user))
        by_prefix = [] if prefix is None else list(Venue.objects.under(prefix))
        assert kept == by_prefix, user
    assert venues.venue_for(hq, venue.code) == venue
    assert venues.venue_for(other, venue.code) is None
    assert venues.venue_for(hq, "no-such-code") is None


def test_like_prefix_escapes_wildcards():
    assert prepared.like_prefix("33_06%\\") == "33\\_06\\%\\\\%"


def test_verify_answers_as_before(client, hq, make_user, make_person, venue):
    person = make_person("码主")
    h, other = bearer(hq), bearer(make_user("county_hq", ZHUJI))
    token = tokens.qr_token(person.pk)
    url = "/api/v1/healthcode/verify"
    ok = post(client, url, {"token": token, "venue_code": venue.code}, h)
    assert ok.status_code == 200
    assert ok.json() == {"colour": "green", "name": "码*", "venue": "东门"}
    forged = token[:-3] + "abc"
    # the venue first: unknown or outside the area is 404 whatever the token
    for code, headers in ((venue.code, other), ("nope", h)):
        for t in (token, forged):
            r = post(client, url, {"token": t, "venue_code": code}, headers)
            assert r.status_code == 404 and r.json()["detail"]
    assert post(client, url, {"token": forged, "venue_code": venue.code}, h).status_code == 422
    with clock.frozen(T + dt.timedelta(minutes=5)):
        late = post(client, url, {"token": token, "venue_code": venue.code}, h)
    assert late.status_code == 422
    # bad input keeps the schema's answers, naming the field
    missing = post(client, url, {"venue_code": venue.code}, h)
    assert missing.status_code == 422 and "token" in missing.json()["detail"][0]["loc"]


def test_verify_is_one_statement_with_the_rule_sets_life(hq, make_person, venue):
    person = make_person("码主")
    token = tokens.qr_token(person.pk, seconds=600)
    actions.recompute_persons([person.pk])
    with CaptureQueriesContext(connection) as seen:
        assert actions.verify_at(hq, venue.code, token) == ("东门", person.pk, "green", "码主")
    assert len(seen.captured_queries) == 1
    # the life of a code is the rule set's: 120 s by default, 600 s once the set says so
    with clock.frozen(T + dt.timedelta(seconds=300)):
        with pytest.raises(tokens.CodeError):
            actions.verify_at(hq, venue.code, token)
        CodeRules.objects.create(effective_from=clock.today(), qr_seconds=600)
        assert actions.verify_at(hq, venue.code, token)[2] == "green"


def _in_force_by_the_orm(day):
    stored = TracingRules.objects.all()
    found = stored.filter(effective_from__lte=day).order_by("-effective_from").first()
    return found or stored.order_by("effective_from").first()


def test_rule_set_in_force_as_before(hq):
    day = clock.today()
    TracingRules.objects.create(effective_from=day + dt.timedelta(days=2))
    TracingRules.objects.create(effective_from=day + dt.timedelta(days=5))
    for offset in (-400, -1, 0, 2, 3, 5, 9):
        when = day + dt.timedelta(days=offset)
        assert TracingRules.in_force(when) == _in_force_by_the_orm(when), offset
    assert TracingRules.in_force(timezone.now() + dt.timedelta(days=9)).effective_from == (
        day + dt.timedelta(days=5)
    )
    TracingRules.objects.all().delete()
    assert TracingRules.in_force(day).pk is None  # none stored: the published defaults


def test_single_scan_scoped_as_before(client, hq, make_user, venue):
    url = "/api/v1/tracing/scans"
    body = {"venue_code": venue.code, "client_id": str(uuid.uuid4())}
    other = bearer(make_user("county_hq", ZHUJI))
    assert post(client, url, body, other).status_code == 404
    h = bearer(hq)
    first = post(client, url, body, h)
    assert first.status_code == 201 and first.json()["venue_id"] == venue.pk
    assert post(client, url, body, h).status_code == 200  # the same client id again


def test_lean_verify_answers_byte_for_byte_as_the_api(client, hq, make_person, venue, monkeypatch):
    """The lean path's verification (FANGKONG_LEAN_FAST) gives the API's bytes and
    headers; whatever it does not answer itself goes to the API's view unchanged."""
    from fangkong.healthcode import api as healthcode_api

    person = make_person("码主")
    token = tokens.qr_token(person.pk)
    body = {"token": token, "venue_code": venue.code}
    h = bearer(hq)
    answered = []
    original = healthcode_api.verify_lean
    monkeypatch.setattr(
        healthcode_api,
        "verify_lean",
        lambda request: answered.append(original(request)) or answered[-1],
    )
    from django.urls import clear_url_caches

    clear_url_caches()  # the lean handler imports the function anew
    lean = post(client, "/api/v1/healthcode/verify", body, h)
    assert answered and answered[-1] is not None
    client.cookies["sessionid"] = "x"  # a session cookie: the full chain, django-ninja
    full = post(client, "/api/v1/healthcode/verify", body, h)
    del client.cookies["sessionid"]
    assert (lean.status_code, lean.content) == (full.status_code, full.content)
    assert lean["Content-Type"] == full["Content-Type"] == "application/json; charset=utf-8"
    # handed over: a number for a string, no token, another area: the API's answers
    for data in ({**body, "token": 5}, {"venue_code": venue.code}, {**body, "venue_code": "x"}):
        answered.clear()
        r = post(client, "/api/v1/healthcode/verify", data, h)
        assert answered == [None] and r.status_code in (404, 422) and r.json()["detail"]
    answered.clear()
    assert post(client, "/api/v1/healthcode/verify", body, {}).status_code == 401


def test_lean_scan_answers_as_the_api_and_hands_over_the_rest(
    client, hq, make_person, venue, monkeypatch
):
    """The lean path's single scan (FANGKONG_LEAN_FAST) answers what django-ninja's
    view answers; whatever it leaves is handed over before anything is written, and the
    API's view then answers it (one scan stored per client id either way)."""
    from django.urls import clear_url_caches

    from fangkong.tracing import api as tracing_api
    from fangkong.tracing.models import Scan

    person = make_person("扫码人")
    url, h = "/api/v1/tracing/scans", bearer(hq)
    answered = []
    original = tracing_api.scan_lean
    monkeypatch.setattr(
        tracing_api, "scan_lean", lambda request: answered.append(original(request)) or answered[-1]
    )
    clear_url_caches()  # the lean handler imports the function anew

    def full(data):  # a session cookie: the full chain and django-ninja's operation
        client.cookies["sessionid"] = "x"
        try:
            return post(client, url, data, h)
        finally:
            del client.cookies["sessionid"]

    for extra in ({}, {"temperature": 36.6}, {"temperature": "37.5"}, {"direction": "exit"}):
        bodies = [
            {
                "venue_code": venue.code,
                "client_id": str(uuid.uuid4()),
                "token": tokens.qr_token(person.pk),
                **extra,
            }  # fmt: skip
            for _ in range(2)
        ]
        answered.clear()
        lean = post(client, url, bodies[0], h)
        assert answered[-1] is not None and lean.status_code == 201, lean.content
        ninja = full(bodies[1])
        assert ninja.status_code == 201
        assert {**lean.json(), "id": 0} == {**ninja.json(), "id": 0}
        # the same client id again, each way: the stored scan, the same bytes
        answered.clear()
        replay = post(client, url, bodies[0], h)
        assert answered[-1] is not None and replay.status_code == 200
        assert replay.content == full(bodies[0]).content
        assert Scan.objects.filter(client_id=bodies[0]["client_id"]).count() == 1
    assert lean.json()["colour"] == "green" and lean.json()["admitted"] is True  # an exit
    # handed over before any write: a gate-lookup pick, a time, a forged code, another
    # venue, a temperature out of range, a number for a string — the API's answers
    handed = [
        ({"person_id": person.pk}, 201),
        ({"scanned_at": (T - dt.timedelta(hours=1)).isoformat()}, 201),
        ({"token": "forged"}, 422),
        ({"venue_code": "nowhere"}, 404),
        ({"temperature": "45.0"}, 422),
        ({"direction": 5}, 422),
    ]
    for extra, status in handed:
        body = {"venue_code": venue.code, "client_id": str(uuid.uuid4()), **extra}
        answered.clear()
        r = post(client, url, body, h)
        assert answered == [None] and r.status_code == status, (extra, r.content)
        assert Scan.objects.filter(client_id=body["client_id"]).count() == (status == 201)
    answered.clear()
    assert (
        post(
            client, url, {"venue_code": venue.code, "client_id": str(uuid.uuid4())}, {}
        ).status_code
        == 401
    )
