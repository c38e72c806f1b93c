"""Venues and scans: QR code, idempotent and time-ordered scans, unknown venue, batch
ingest, gate entry by R13."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fangkong.core import clock
from fangkong.tracing import venues
from fangkong.tracing.models import Scan, Venue
from tests.conftest import GRID_A

T = timezone.make_aware(dt.datetime(2020, 3, 5, 9))


@pytest.fixture
def venue(db, cdc, node):
    return venues.create_venue(cdc, {"name": "菜场", "kind": "market", "node": node(GRID_A)})


@pytest.fixture
def gate(db, cdc, node):
    return venues.create_venue(cdc, {"name": "东门", "kind": "gate", "node": node(GRID_A)})


def test_venue_has_a_printable_qr_code(venue):
    svg = venues.qr_svg(venue, "https://fk.example")
    assert svg.startswith("<?xml") and "<svg" in svg
    assert venues.scan_url(venue, "https://fk.example").endswith(f"/tracing/v/{venue.code}/")


def test_scans_are_stored_once_and_read_in_time_order(venue, make_person):
    person = make_person()
    ids = [uuid.uuid4() for _ in range(3)]
    with clock.frozen(T):
        # arrive out of order, one twice
        for cid, minutes in ((ids[2], 30), (ids[0], 10), (ids[1], 20), (ids[2], 30)):
            venues.record_scan(
                venue,
                client_id=cid,
                person_id=person.pk,
                scanned_at=T - dt.timedelta(minutes=60 - minutes),
            )
    stored = list(Scan.objects.filter(venue=venue))
    assert [s.client_id for s in stored] == ids
    _scan, created = venues.record_scan(venue, client_id=ids[0], person_id=person.pk)
    assert not created and Scan.objects.count() == 3


def test_unknown_venue_is_refused_with_a_clear_message(db):
    with pytest.raises(ValidationError) as err:
        venues.venue_by_code("nope")
    assert "unknown venue" in " ".join(err.value.messages)


def test_gate_entry_needs_green_and_normal_temperature(gate, make_person, make_user):
    from fangkong.healthcode import actions as codes

    person = make_person()
    with clock.frozen(T):
        ok, _c = venues.record_scan(
            gate, client_id=uuid.uuid4(), person_id=person.pk, direction="entry", temperature="36.6"
        )
        hot, _c = venues.record_scan(
            gate, client_id=uuid.uuid4(), person_id=person.pk, direction="entry", temperature="37.6"
        )
        codes.override_colour(
            make_user("county_hq", "330602"),
            person,
            colour="red",
            reason="test of the gate rule R13",
        )
        codes.recompute_persons([person.pk])
        red, _c = venues.record_scan(
            gate, client_id=uuid.uuid4(), person_id=person.pk, direction="entry", temperature="36.5"
        )
        out, _c = venues.record_scan(
            gate, client_id=uuid.uuid4(), person_id=person.pk, direction="exit"
        )
    assert ok.admitted and ok.colour == "green"
    assert not hot.admitted and "37.6" in hot.refusal
    assert not red.admitted and red.colour == "red"
    assert out.admitted and out.direction == "exit"


def test_batch_ingest_skips_duplicates_and_reports_bad_rows(venue, cdc, make_user):
    rows = [
        {
            "venue_code": venue.code,
            "client_id": str(uuid.uuid4()),
            "scanned_at": (T - dt.timedelta(minutes=i)).isoformat(),
        }
        for i in range(50)
    ]
    rows.append({"venue_code": "unknown", "client_id": str(uuid.uuid4())})
    rows.append({"venue_code": venue.code, "client_id": "not-a-uuid"})
    with clock.frozen(T):
        first = venues.ingest_batch(cdc, rows)
        again = venues.ingest_batch(cdc, rows)
    assert (first["stored"], len(first["rejected"])) == (50, 2)
    assert "unknown venue" in first["rejected"][0]["reason"]
    assert (again["stored"], again["duplicates"]) == (0, 50)
    assert Scan.objects.count() == 50


def test_batch_refuses_venues_of_another_area(venue, make_user):
    from tests.conftest import ZHUJI

    outsider = make_user("county_hq", ZHUJI)
    result = venues.ingest_batch(
        outsider, [{"venue_code": venue.code, "client_id": str(uuid.uuid4())}]
    )
    assert result["stored"] == 0 and len(result["rejected"]) == 1
    assert Venue.objects.count() == 1
