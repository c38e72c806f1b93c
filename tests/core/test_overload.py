"""Shedding under overload (issue #21, "Bad input"): past FANGKONG_MAX_INFLIGHT hot
requests in one process, the next is answered at once with 503 and Retry-After, having
done nothing (a batch is never half-written); pages are not counted; a place is given
back however the request ends. Deterministic: the count is held by the test, not reached
by timing."""

import uuid

import pytest
from django.db import OperationalError

from fangkong.core import overload
from fangkong.tracing import venues
from fangkong.tracing.models import Scan
from tests.conftest import GRID_A, YUECHENG
from tests.core.test_lean_path import bearer

pytestmark = pytest.mark.django_db
URL = "/api/v1/tracing/scans/batch"


@pytest.fixture
def held(settings):
    """Hold the process's places as concurrent requests would; give them back after."""
    settings.FANGKONG_MAX_INFLIGHT = 2
    taken = []

    def hold(n: int) -> None:
        for _ in range(n):
            assert overload.HOT.enter()
            taken.append(1)

    yield hold
    for _ in taken:
        overload.HOT.leave()


@pytest.fixture
def keeper(make_user):
    return make_user("county_hq", YUECHENG)


@pytest.fixture
def venue(keeper, node):
    return venues.create_venue(keeper, {"name": "菜场", "kind": "market", "node": node(GRID_A)})


def batch(venue, n=3):
    return {"scans": [{"venue_code": venue.code, "client_id": str(uuid.uuid4())} for _ in range(n)]}


def test_past_the_bound_a_batch_is_refused_at_once_and_nothing_written(client, keeper, venue, held):
    _raw, headers = bearer(keeper)
    held(2)
    r = client.post(URL, batch(venue), content_type="application/json", **headers)
    assert r.status_code == 503
    assert r["Retry-After"] == "2" and r.json()["retry_after"] == 2
    assert "2" in r.json()["detail"] and r["Content-Language"] == "zh-hans"
    assert Scan.objects.count() == 0
    english = client.post(
        URL, batch(venue), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **headers
    )
    assert english.json()["detail"] == "The server is busy. Please send this again in 2 seconds."
    overload.HOT.leave()  # one request ends: the next one is served
    try:
        ok = client.post(URL, batch(venue), content_type="application/json", **headers)
    finally:
        overload.HOT.enter()
    assert ok.status_code == 200 and ok.json()["stored"] == 3
    assert overload.HOT.count == 2  # the served request gave its place back


def test_pages_and_session_calls_are_not_shed(client, make_user, held):
    held(2)
    user = make_user("grid_worker", GRID_A)
    client.force_login(user)
    assert client.get("/").status_code == 200
    _raw, headers = bearer(user)  # with the session cookie: the full chain
    assert client.get("/api/v1/auth/tokens", **headers).status_code == 200
    client.logout()
    assert client.get("/api/v1/auth/tokens", **headers).status_code == 503  # lean: counted


def test_the_bound_is_a_setting_and_zero_turns_it_off(client, keeper, venue, held, settings):
    _raw, headers = bearer(keeper)
    held(2)
    settings.FANGKONG_RETRY_AFTER = 5
    r = client.post(URL, batch(venue), content_type="application/json", **headers)
    assert (r.status_code, r["Retry-After"]) == (503, "5")
    settings.FANGKONG_MAX_INFLIGHT = 0
    assert (
        client.post(URL, batch(venue), content_type="application/json", **headers).json()["stored"]
        == 3
    )


def test_a_place_is_given_back_when_the_request_fails(client, keeper, venue, monkeypatch):
    _raw, headers = bearer(keeper)
    before = overload.HOT.count

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(venues, "ingest_batch", broken)
    client.raise_request_exception = False
    r = client.post(URL, batch(venue), content_type="application/json", **headers)
    assert r.status_code == 500
    assert overload.HOT.count == before


def test_no_free_database_connection_is_a_503_not_a_server_error(
    client, keeper, venue, monkeypatch
):
    """The pool's timeout (every pooled connection busy) is overload too: the same
    answer, at once, and nothing written."""
    from psycopg_pool import PoolTimeout

    _raw, headers = bearer(keeper)

    def exhausted(*args, **kwargs):
        raise OperationalError("couldn't get a connection") from PoolTimeout("timeout")

    monkeypatch.setattr(venues, "write_batch", exhausted)
    r = client.post(URL, batch(venue), content_type="application/json", **headers)
    assert r.status_code == 503 and r["Retry-After"] == "2"
    assert Scan.objects.count() == 0
