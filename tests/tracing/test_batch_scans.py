"""Batch scans at COPY speed (issue #21 item 2): on PostgreSQL the rows go through COPY
into a staging table and one set-based merge, on SQLite through bulk_create; on both a
bad row is reported by its index while the others are stored, a client id twice in a
batch (or already stored) is stored once, and a batch over the limit is a 413 naming
the limit. Run on both databases (DATABASE_URL)."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fangkong.core import clock
from fangkong.tracing import venues
from fangkong.tracing.models import Scan
from tests.conftest import GRID_A, YUECHENG

T = timezone.make_aware(dt.datetime(2020, 3, 5, 9))
URL = "/api/v1/tracing/scans/batch"


def bearer(user):
    from fangkong.accounts.models import ApiToken

    raw = ApiToken.new_raw()
    ApiToken.objects.create(
        user=user, digest=ApiToken.hash(raw), expires_at=clock.now() + dt.timedelta(days=3650)
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def staff(make_user):
    return make_user("county_hq", YUECHENG)


@pytest.fixture
def venue(db, staff, node):
    return venues.create_venue(staff, {"name": "菜场", "kind": "market", "node": node(GRID_A)})


def row(venue, minutes=1, **extra):
    return {
        "venue_code": venue.code,
        "client_id": str(uuid.uuid4()),
        "scanned_at": (T - dt.timedelta(minutes=minutes)).isoformat(),
        **extra,
    }


def post(client, body, headers):
    return client.post(URL, body, content_type="application/json", **headers)


def test_one_bad_row_is_reported_by_index_and_the_others_stored(client, staff, venue):
    person_rows = [row(venue, i) for i in range(20)]
    bad = {
        3: {**row(venue), "client_id": "not-a-uuid"},
        7: {**row(venue), "temperature": "51.0"},
        11: {**row(venue), "direction": "sideways"},
        15: {**row(venue), "venue_code": "nope"},
    }
    for index, value in bad.items():
        person_rows[index] = value
    with clock.frozen(T):
        r = post(client, {"scans": person_rows}, bearer(staff))
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["received"], body["stored"], body["duplicates"]) == (20, 16, 0)
    assert [x["row"] for x in body["rejected"]] == [3, 7, 11, 15]
    reasons = {x["row"]: x["reason"] for x in body["rejected"]}
    assert "UUID" in reasons[3] and "43" in reasons[7]
    assert Scan.objects.count() == 16
    good = {x["client_id"] for i, x in enumerate(person_rows) if i not in bad}
    assert {str(c) for c in Scan.objects.values_list("client_id", flat=True)} == good


def test_a_client_id_twice_in_a_batch_or_again_later_is_stored_once(staff, venue, make_person):
    person = make_person()
    first = row(venue, 5, person_id=person.pk, temperature="36.6", colour="green")
    twin = {**first, "scanned_at": (T - dt.timedelta(minutes=1)).isoformat()}
    with clock.frozen(T):
        result = venues.ingest_batch(staff, [first, twin, row(venue, 2)])
        again = venues.ingest_batch(staff, [first, row(venue, 3)])
    assert (result["stored"], result["duplicates"], result["rejected"]) == (2, 1, [])
    assert (again["stored"], again["duplicates"]) == (1, 1)
    stored = Scan.objects.get(client_id=first["client_id"])
    # the first of the twins wins, with every column as sent
    assert stored.scanned_at == T - dt.timedelta(minutes=5)
    assert stored.person_id == person.pk and str(stored.temperature) == "36.6"
    assert (stored.colour, stored.direction, stored.path) == ("green", "visit", venue.path)
    assert stored.received_at == T and stored.admitted


def test_a_batch_over_the_limit_is_413_with_the_limit(client, staff, venue, monkeypatch):
    monkeypatch.setattr(venues, "MAX_BATCH", 5)
    headers = bearer(staff)
    with clock.frozen(T):
        r = post(client, {"scans": [row(venue, i) for i in range(6)]}, headers)
        assert r.status_code == 413, r.content
        assert r.json()["limit"] == 5 and "5" in r.json()["detail"]
        assert Scan.objects.count() == 0  # nothing of a refused batch is written
        ok = post(client, {"scans": [row(venue, i) for i in range(5)]}, headers)
    assert ok.status_code == 200 and ok.json()["stored"] == 5
    with pytest.raises(venues.BatchTooLarge):
        venues.ingest_batch(staff, [row(venue, i) for i in range(6)])


def test_the_default_limit_fits_in_one_request_body(settings):
    """A batch at the limit, every field filled, is under the body size the server takes."""
    full = {
        "venue_code": "V" * 12,
        "client_id": str(uuid.uuid4()),
        "scanned_at": T.isoformat(),
        "person_id": 10**12,
        "direction": "entry",
        "temperature": "36.6",
        "colour": "yellow",
    }
    import json

    size = len(json.dumps({"scans": [full] * venues.MAX_BATCH}))
    assert size < settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_the_merge_is_one_statement_after_copy_on_postgresql(staff, venue):
    rows = [row(venue, i) for i in range(50)]
    with clock.frozen(T), CaptureQueriesContext(connection) as queries:
        result = venues.ingest_batch(staff, rows)
    assert result["stored"] == 50
    sql = [q["sql"] for q in queries.captured_queries]
    inserts = [s for s in sql if s.startswith("INSERT") or s.startswith("WITH")]
    inserts = [s for s in inserts if "tracing_scan" in s]
    if connection.vendor == "postgresql":
        assert len(inserts) == 1 and "ON CONFLICT (client_id) DO NOTHING" in inserts[0]
        assert "DELETE FROM tracing_scan_stage" in inserts[0] and "DISTINCT ON" in inserts[0]
    else:
        assert inserts  # bulk_create with ignore_conflicts
    # a second batch in the same connection starts from an empty stage
    with clock.frozen(T):
        second = venues.ingest_batch(staff, [row(venue, 60)])
    assert (second["stored"], second["duplicates"]) == (1, 0)
    assert Scan.objects.count() == 51
