"""Pages and API of the health code; each refuses (404) another jurisdiction."""

import datetime as dt
import uuid

import pytest

from fangkong.core import clock
from fangkong.healthcode import actions, tokens
from fangkong.healthcode.models import CodeOverride, HealthCode
from tests.conftest import GRID_A, ZHUJI
from tests.healthcode.conftest import T
from tests.kit import bearer as auth

API = "/api/v1/healthcode"
pytestmark = pytest.mark.usefixtures("gate_morning")


@pytest.fixture
def other(make_user):
    return make_user("county_hq", ZHUJI)


@pytest.fixture
def person(make_person):
    return make_person("码主")


def test_staff_pages_and_refusal(client, hq, other, person):
    client.force_login(hq)
    assert client.get("/healthcode/").status_code == 200
    page = client.get(f"/healthcode/persons/{person.pk}/")
    assert page.status_code == 200 and "/healthcode/me/" in page.content.decode()
    client.force_login(other)
    assert client.get(f"/healthcode/persons/{person.pk}/").status_code == 404
    assert client.post(f"/healthcode/persons/{person.pk}/", {"form": "override"}).status_code == 404
    assert person.name not in client.get("/healthcode/").content.decode()


def test_override_needs_a_written_reason_and_is_audited(client, hq, person):
    from auditlog.models import LogEntry

    client.force_login(hq)
    url = f"/healthcode/persons/{person.pk}/"
    client.post(url, {"form": "override", "colour": "red", "reason": "short"})
    assert not CodeOverride.objects.exists()
    client.post(
        url, {"form": "override", "colour": "red", "reason": "positive test reported by Hangzhou"}
    )
    assert HealthCode.objects.get(person=person).colour == "red"
    assert LogEntry.objects.get_for_model(CodeOverride).filter(actor=hq).exists()
    found = CodeOverride.objects.get()
    client.post(url, {"form": "end_override", "override": found.pk})
    assert HealthCode.objects.get(person=person).colour == "green"


def test_resident_page_shows_colour_qr_and_takes_the_daily_checkin(client, person):
    url = f"/healthcode/me/{tokens.personal_token(person.pk)}/"
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and 'data-colour="green"' in body and "<svg" in body
    token = body.split('data-token="')[1].split('"')[0]
    assert actions.verify(token) == (person.pk, "green")
    r = client.post(url, {"client_id": str(uuid.uuid4()), "temperature": "38.2"})
    assert 'data-colour="yellow"' in r.content.decode()
    assert client.get(url + "?part=qr").status_code == 200
    assert client.get("/healthcode/me/forged/").status_code == 404


def test_api_code_verify_override_arrival_and_refusal(client, hq, other, person, node):
    from fangkong.tracing import venues

    h, o = auth(hq), auth(other)
    venue = venues.create_venue(hq, {"name": "门", "kind": "gate", "node": node(GRID_A)})

    def post(url, data, headers):
        return client.post(url, data, content_type="application/json", **headers)

    assert client.get(f"{API}/persons/{person.pk}", **h).json()["colour"] == "green"
    assert client.get(f"{API}/persons/{person.pk}", **o).status_code == 404
    token = tokens.qr_token(person.pk)
    ok = post(f"{API}/verify", {"token": token, "venue_code": venue.code}, h)
    assert ok.status_code == 200 and ok.json()["colour"] == "green"
    assert post(f"{API}/verify", {"token": token, "venue_code": venue.code}, o).status_code == 404
    forged = post(f"{API}/verify", {"token": token[:-3] + "abc", "venue_code": venue.code}, h)
    assert forged.status_code == 422 and forged.json()["detail"]
    with clock.frozen(T + dt.timedelta(minutes=5)):
        expired = post(f"{API}/verify", {"token": token, "venue_code": venue.code}, h)
    assert expired.status_code == 422 and expired.json()["detail"] != forged.json()["detail"]
    arrival = {"origin": "武汉", "risk_level": "high", "arrived_on": "2020-03-04"}
    assert post(f"{API}/persons/{person.pk}/arrivals", arrival, o).status_code == 404
    assert post(f"{API}/persons/{person.pk}/arrivals", arrival, h).json()["colour"] == "red"
    ov = {"colour": "green", "reason": "arrival record was a data entry error"}
    assert post(f"{API}/persons/{person.pk}/override", ov, o).status_code == 404
    assert post(f"{API}/persons/{person.pk}/override", {**ov, "reason": ""}, h).status_code == 422
    r = post(f"{API}/persons/{person.pk}/override", ov, h)
    assert r.status_code == 201 and r.json()["overridden"] and r.json()["history"]
    assert post(f"{API}/recompute", {}, h).status_code == 202
    worker = auth(_worker(hq))
    assert post(f"{API}/persons/{person.pk}/override", ov, worker).status_code == 403


def _worker(hq):
    from fangkong.accounts.models import User
    from fangkong.geo.models import Division

    return User.objects.create_user(
        username="gw-hc",
        password="pw-for-tests-1",
        role="grid_worker",
        node=Division.objects.get(code=GRID_A),
    )
