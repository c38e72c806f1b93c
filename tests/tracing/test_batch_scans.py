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
    assert (body["received"], body["stored"], body["duplicates"]) == (20, 16, 0), body
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
        assert f"DELETE FROM {venues.STAGE}" in inserts[0]
    else:
        assert inserts  # bulk_create with ignore_conflicts
    # a second batch in the same connection starts from an empty stage
    with clock.frozen(T):
        second = venues.ingest_batch(staff, [row(venue, 60)])
    assert (second["stored"], second["duplicates"]) == (1, 0)
    assert Scan.objects.count() == 51


def test_on_postgresql_the_rows_go_in_one_copy_and_the_persons_in_one_query(
    staff, venue, make_person, monkeypatch
):
    people = [make_person(), make_person()]
    copies = []
    real = venues.copy_lines
    monkeypatch.setattr(venues, "copy_lines", lambda rows: copies.append(len(rows)) or real(rows))
    rows = [row(venue, i, person_id=people[i % 2].pk) for i in range(30)]
    with clock.frozen(T), CaptureQueriesContext(connection) as queries:
        result = venues.ingest_batch(staff, rows)
    assert result["stored"] == 30
    person_reads = [q["sql"] for q in queries.captured_queries if "people_person" in q["sql"]]
    assert len(person_reads) == 1
    if connection.vendor == "postgresql":
        assert "= ANY(" in person_reads[0]
        assert copies == [30]  # one COPY of the whole batch
    assert Scan.objects.filter(person_id=people[1].pk).count() == 15


def test_each_bad_field_is_named_in_its_row(client, staff, venue, make_person):
    """Every check of a row says which field is wrong; the good rows around are stored."""
    person = make_person()
    bad = [
        {**row(venue), "person_id": "abc"},
        {**row(venue), "person_id": [1]},
        {**row(venue), "person_id": "9" * 30},  # digits beyond 64 bits, as text
        {**row(venue), "scanned_at": "yesterday"},
        {**row(venue), "scanned_at": (T + dt.timedelta(hours=1)).isoformat()},
        {**row(venue), "temperature": "hot"},
        {**row(venue), "temperature": "hot"},  # the same bad reading again (kept per batch)
        {**row(venue), "temperature": {"c": 36}},
        {**row(venue), "direction": 7},
        {**row(venue), "venue_code": ["x"]},
        {**row(venue), "client_id": None},
        None,
        [row(venue)],
        "scan",
    ]
    good = [
        row(venue, 1, person_id=person.pk),
        row(venue, 2, person_id=str(person.pk)),  # digits as text
        row(venue, 3, person_id=float(person.pk), temperature=36.6),
        row(venue, 4, temperature="36.6"),
    ]
    with clock.frozen(T):
        r = post(client, {"scans": good + bad}, {**bearer(staff), "HTTP_ACCEPT_LANGUAGE": "en"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["stored"], body["duplicates"]) == (4, 0), body
    reasons = [x["reason"] for x in body["rejected"]]
    assert [x["row"] for x in body["rejected"]] == list(range(4, 4 + len(bad)))
    fields = [reason.split(":")[0] for reason in reasons]
    assert fields == [
        "person_id",
        "person_id",
        "person_id",
        "scanned_at",
        "scanned_at",
        "temperature",
        "temperature",
        "temperature",
        "direction",
        "venue_code",
        "client_id",
        "scans",
        "scans",
        "scans",
    ]
    assert "whole number" in reasons[0] and "no such person" in reasons[2]
    assert "future" in reasons[4] and reasons[5] == reasons[6]
    assert Scan.objects.filter(person_id=person.pk).count() == 3
    assert sorted(str(t) for t in Scan.objects.values_list("temperature", flat=True)) == [
        "36.6",
        "36.6",
        "None",
        "None",
    ]


@pytest.mark.parametrize(
    ("language", "reason"),
    [("zh-hans", "person_id：不是整数"), ("en", "person_id: not a whole number")],
)
def test_a_reason_is_in_the_callers_language(client, staff, venue, language, reason):
    with clock.frozen(T):
        r = post(
            client,
            {"scans": [{**row(venue), "person_id": "abc"}]},
            {**bearer(staff), "HTTP_ACCEPT_LANGUAGE": language},
        )
    assert r.json()["rejected"] == [{"row": 0, "reason": reason}]


def test_client_ids_are_one_whatever_their_spelling(staff, venue):
    """An upper-case or brace-wrapped UUID is the same client id as its canonical text:
    stored once, the first spelling winning."""
    cid = uuid.uuid4()
    first = {**row(venue, 5), "client_id": str(cid).upper()}
    second = {**row(venue, 4), "client_id": "{%s}" % cid}
    third = {**row(venue, 3), "client_id": str(cid)}
    with clock.frozen(T):
        result = venues.ingest_batch(staff, [first, second, third])
        again = venues.ingest_batch(staff, [{**row(venue, 2), "client_id": cid.hex}])
    assert (result["stored"], result["duplicates"]) == (1, 2)
    assert (again["stored"], again["duplicates"]) == (0, 1)
    assert Scan.objects.get().scanned_at == T - dt.timedelta(minutes=5)


def test_times_without_an_offset_are_local_and_text_is_stored_as_sent(staff, venue):
    """A naive time is Shaoxing time (as for single scans); a colour with the characters
    COPY's text format escapes (tab, newline, backslash) is stored as sent."""
    naive = {**row(venue), "scanned_at": "2020-03-05T08:30:00", "colour": "a\tb\\"}
    zulu = {**row(venue), "scanned_at": "2020-03-05T00:40:00Z", "colour": "x\ny"}
    none = {**row(venue), "scanned_at": None, "direction": None}
    with clock.frozen(T):
        result = venues.ingest_batch(staff, [naive, zulu, none])
    assert result["stored"] == 3, result
    by_cid = {str(s.client_id): s for s in Scan.objects.all()}
    assert by_cid[naive["client_id"]].scanned_at == T - dt.timedelta(minutes=30)
    assert by_cid[naive["client_id"]].colour == "a\tb\\"
    assert by_cid[zulu["client_id"]].scanned_at == T - dt.timedelta(minutes=20)
    assert by_cid[zulu["client_id"]].colour == "x\ny"
    assert by_cid[none["client_id"]].scanned_at == T
    assert by_cid[none["client_id"]].direction == "visit"


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        (b'{"scans": [', 400, "JSON"),
        (b'{"scans": [{"venue_code": "x",}]}', 400, "30"),
        (b"\xff\xfe{}", 400, "JSON"),
        (b'[{"venue_code": "x"}]', 422, "scans"),
        (b'{"scans": 5}', 422, "list"),
        (b'{"scans": {"venue_code": "x"}}', 422, "list"),
        (b"{}", 422, "scans"),
    ],
)
def test_a_body_that_is_not_a_batch_is_refused_naming_the_problem(
    client, staff, venue, body, status, says
):
    with clock.frozen(T):
        r = client.post(URL, body, content_type="application/json", **bearer(staff))
    assert r.status_code == status, r.content
    assert says in r.text
    assert Scan.objects.count() == 0


def test_the_documented_body_lists_the_fields_of_a_row():
    """The rows are not parsed by a model, but the OpenAPI document still states them."""
    from fangkong.api import api

    doc = api.get_openapi_schema()
    body = doc["paths"][URL]["post"]["requestBody"]["content"]["application/json"]["schema"]
    name = body["$ref"].rsplit("/", 1)[-1]
    items = doc["components"]["schemas"][name]["properties"]["scans"]["items"]
    assert items["required"] == ["venue_code", "client_id"]
    assert set(items["properties"]) == {
        "venue_code",
        "client_id",
        "scanned_at",
        "person_id",
        "direction",
        "temperature",
        "colour",
    }
