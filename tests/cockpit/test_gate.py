"""The gate without a code: the keeper types the last four characters of the resident
ID, picks the resident from the area's matches, and sees the verdict in colour, word and
shape; the lookup is audited and scoped to the venue's area."""

import uuid

import pytest
from auditlog.models import LogEntry

from tests.conftest import GRID_A, GRID_Z
from tests.idnumbers import rid

pytestmark = pytest.mark.django_db


@pytest.fixture
def gate(grid_worker):
    from fangkong.tracing import venues

    return venues.create_venue(
        grid_worker, {"name": "府山小区东门", "kind": "gate", "node": grid_worker.node}
    )


@pytest.fixture
def residents(make_person, make_user):
    from fangkong.healthcode import actions as codes

    green = make_person("林芳", GRID_A, id_number=rid("330602", "1985-03-12", 41))
    red = make_person("赵磊", GRID_A, id_number=rid("330602", "1979-11-02", 73))
    elsewhere = make_person("林海", GRID_Z, id_number=rid("330681", "1990-06-30", 41))
    hq = make_user("county_hq", "330602")
    codes.override_colour(hq, red, colour="red", reason="确诊病例的密切接触者")
    codes.recompute_persons([green.pk, red.pk, elsewhere.pk])
    return green, red, elsewhere


def tail(person) -> str:
    return person.id_masked[-4:]


def test_fallback_finds_the_resident_and_lets_a_green_code_in(client, grid_worker, gate, residents):
    from fangkong.tracing.models import Scan

    green, _red, elsewhere = residents
    client.force_login(grid_worker)
    page = client.get(f"/tracing/venues/{gate.pk}/gate/").content.decode()
    assert 'id="gate-tail-form"' in page and 'id="scanner"' in page
    response = client.post(f"/tracing/venues/{gate.pk}/gate/id-tail/", {"id_tail": tail(green)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "林芳" in page and green.id_masked in page
    assert "林海" not in page  # same tail, another county: not this gate's area
    listed = LogEntry.objects.filter(changes_text__startswith="gate:").latest("pk")
    assert listed.actor == grid_worker and listed.additional_data["filters"]["id_tail"] == tail(
        green
    )
    response = client.post(
        f"/tracing/venues/{gate.pk}/gate/pick/",
        {"person": green.pk, "direction": "entry", "temperature": "36.6",
         "client_id": str(uuid.uuid4())},
    )  # fmt: skip
    page = response.content.decode()
    assert 'data-colour="green"' in page and "绿码" in page and "●" in page
    assert "放行" in page and "不得" not in page
    scan = Scan.objects.get(person=green)
    assert scan.admitted and scan.venue_id == gate.pk
    assert elsewhere.pk != scan.person_id


def test_fallback_stops_a_red_code_in_words_and_shape(client, grid_worker, gate, residents):
    _green, red, _elsewhere = residents
    client.force_login(grid_worker)
    response = client.post(
        f"/tracing/venues/{gate.pk}/gate/pick/",
        {"person": red.pk, "direction": "entry", "client_id": str(uuid.uuid4())},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert 'data-colour="red"' in page and "红码" in page and "■" in page
    assert "禁止通行" in page and 'data-admitted="no"' in page


def test_fallback_refuses_a_malformed_tail_and_a_resident_of_another_area(
    client, grid_worker, gate, residents
):
    _green, _red, elsewhere = residents
    client.force_login(grid_worker)
    response = client.post(f"/tracing/venues/{gate.pk}/gate/id-tail/", {"id_tail": "12a4"})
    assert response.status_code == 422
    assert "后 4 位" in response.content.decode()
    response = client.post(
        f"/tracing/venues/{gate.pk}/gate/pick/",
        {"person": elsewhere.pk, "direction": "entry", "client_id": str(uuid.uuid4())},
    )
    assert response.status_code == 422
    assert 'data-colour="' not in response.content.decode()


def test_api_lookup_then_scan_with_the_picked_resident(client, grid_worker, gate, residents):
    import datetime as dt

    from fangkong.accounts.models import ApiToken
    from fangkong.core import clock

    green, _red, _elsewhere = residents
    raw = ApiToken.new_raw()
    ApiToken.objects.create(
        user=grid_worker, digest=ApiToken.hash(raw), expires_at=clock.now() + dt.timedelta(days=1)
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    body = client.post(
        f"/api/v1/tracing/venues/{gate.code}/gate-lookup",
        {"id_tail": tail(green)},
        content_type="application/json",
        **auth,
    ).json()
    assert [c["name"] for c in body["candidates"]] == ["林芳"] and body["more"] is False
    scan = client.post(
        "/api/v1/tracing/scans",
        {"venue_code": gate.code, "client_id": str(uuid.uuid4()),
         "person_id": body["candidates"][0]["person_id"], "direction": "entry"},
        content_type="application/json",
        **auth,
    )  # fmt: skip
    assert scan.status_code == 201 and scan.json()["colour"] == "green"
