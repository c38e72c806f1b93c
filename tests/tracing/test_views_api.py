"""Pages and API of tracing: each works for the area's staff and refuses (404) a user
of another jurisdiction."""

import datetime as dt
import uuid

import pytest

from fangkong.tracing import actions, venues
from fangkong.tracing.chains import build_chains
from fangkong.tracing.models import Contact, Scan
from tests.conftest import GRID_A, YUECHENG
from tests.kit import bearer as auth

D = dt.date
API = "/api/v1/tracing"


@pytest.fixture
def hq(make_user):
    return make_user("county_hq", YUECHENG)


@pytest.fixture
def world(db, hq, index_case, make_person, node, frozen_on):
    frozen_on(D(2020, 3, 5))
    a = index_case()
    b = index_case(name="病例乙", onset=D(2020, 3, 3), isolated=D(2020, 3, 4))
    contact = actions.add_contact(
        hq,
        a,
        {"person": make_person("密接"), "setting": "household", "first_exposure": D(2020, 3, 1)},
    )
    actions.record_transmission(hq, a, b, exposure_date=D(2020, 3, 1), setting="household")
    build_chains()
    venue = venues.create_venue(hq, {"name": "东门", "kind": "gate", "node": node(GRID_A)})
    return {"case": a, "contact": contact, "chain": a.chains.get(), "venue": venue}


def pages(w):
    return [
        f"/tracing/cases/{w['case'].pk}/",
        f"/tracing/contacts/{w['contact'].pk}/",
        f"/tracing/chains/{w['chain'].pk}/",
        f"/tracing/venues/{w['venue'].pk}/",
        f"/tracing/venues/{w['venue'].pk}/qr.svg",
        f"/tracing/venues/{w['venue'].pk}/gate/",
    ]


def test_pages_work_for_the_area(client, hq, world):
    client.force_login(hq)
    for url in ["/tracing/", "/tracing/chains/", "/tracing/venues/", *pages(world)]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "echarts" in client.get(pages(world)[2]).content.decode()
    home = client.get("/").content.decode()
    assert "/tracing/chains/" in home and "/tracing/venues/" in home and "/healthcode/" in home
    assert client.get("/geo/").status_code == 200  # the browser with our columns
    assert b"<svg" in client.get(pages(world)[4]).content


def test_pages_refuse_another_jurisdiction(client, zhuji_hq, world):
    client.force_login(zhuji_hq)
    for url in pages(world):
        assert client.get(url).status_code == 404, url
    response = client.post(f"/tracing/contacts/{world['contact'].pk}/confirm/")
    assert response.status_code == 404
    assert world["case"].label not in client.get("/tracing/").content.decode()
    assert "东门" not in client.get("/tracing/venues/").content.decode()


def test_add_and_confirm_contact_through_the_pages(client, hq, world, make_person):
    client.force_login(hq)
    url = f"/tracing/cases/{world['case'].pk}/"
    bad = client.post(
        url,
        {
            "name": "某",
            "setting": "household",
            "first_exposure": "2020-03-02",
            "last_exposure": "2020-03-01",
        },
    )
    assert bad.status_code == 422
    good = client.post(
        url,
        {
            "name": "某",
            "setting": "household",
            "first_exposure": "2020-03-01",
            "last_exposure": "2020-03-02",
            "address": "越城区某路1号",
            "phone": "13905750001",
        },
    )
    assert good.status_code == 302
    contact = Contact.objects.get(name="某")
    response = client.post(f"/tracing/contacts/{contact.pk}/confirm/")
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.status == "confirmed"


def test_public_scan_page(client, world, make_person):
    from fangkong.healthcode.public import COOKIE
    from fangkong.healthcode.tokens import personal_token

    assert client.get("/tracing/v/unknown/").status_code == 404
    url = f"/tracing/v/{world['venue'].code}/"
    assert "health code" in client.get(url, HTTP_COOKIE="django_language=en").content.decode()
    person = make_person("扫码人")
    client.cookies[COOKIE] = personal_token(person.pk)
    first = client.get(url)
    assert first.status_code == 302 and "cid=" in first["Location"]
    page = client.get(first["Location"])
    assert page.status_code == 200 and 'data-colour="green"' in page.content.decode()
    client.get(first["Location"])  # reload: the same client id, stored once
    assert Scan.objects.filter(person=person).count() == 1


def test_api_flow_and_refusal(client, hq, zhuji_hq, world, make_person):
    h, o = auth(hq), auth(zhuji_hq)
    case, contact, venue = world["case"], world["contact"], world["venue"]
    person = make_person("接口人")

    def post(url, data, headers):
        return client.post(url, data, content_type="application/json", **headers)

    assert client.get(f"{API}/cases", **h).json()["items"][0]["id"] in (case.pk, case.pk + 1)
    assert client.get(f"{API}/cases", **o).json() == {"items": [], "count": 0}
    r = post(f"{API}/cases", {"person_id": person.pk, "onset_date": "2020-03-02"}, h)
    assert r.status_code == 201
    assert (
        post(f"{API}/cases", {"person_id": person.pk, "onset_date": "2020-03-02"}, o).status_code
        == 404
    )
    assert client.get(f"{API}/cases/{case.pk}/contacts", **h).status_code == 200
    assert client.get(f"{API}/cases/{case.pk}/contacts", **o).status_code == 404
    body = {
        "name": "张",
        "setting": "workplace",
        "first_exposure": "2020-03-01",
        "proximity_m": "0.5",
    }
    r = post(f"{API}/cases/{case.pk}/contacts", body, h)
    assert r.status_code == 201 and r.json()["category"] == "close"
    assert post(f"{API}/cases/{case.pk}/contacts", body, o).status_code == 404
    bad = post(f"{API}/cases/{case.pk}/contacts", {**body, "last_exposure": "2020-02-01"}, h)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "last_exposure"]
    assert client.get(f"{API}/contacts/{contact.pk}", **o).status_code == 404
    assert post(f"{API}/contacts/{contact.pk}/confirm", {}, o).status_code == 404
    assert post(f"{API}/contacts/{contact.pk}/confirm", {}, h).json()["status"] == "confirmed"
    sec = {"name": "次", "setting": "workplace", "first_exposure": "2020-03-02"}
    assert post(f"{API}/contacts/{contact.pk}/secondary", sec, o).status_code == 404
    assert post(f"{API}/contacts/{contact.pk}/secondary", sec, h).json()["category"] == "secondary"
    assert client.get(f"{API}/chains", **h).json()["count"] >= 1
    assert client.get(f"{API}/chains", **o).json() == {"items": [], "count": 0}
    assert post(f"{API}/chains/compute", {}, h).status_code == 202
    assert client.get(f"{API}/venues", **o).json() == {"items": [], "count": 0}
    assert (
        post(f"{API}/venues", {"name": "店", "kind": "shop", "node_code": GRID_A}, h).status_code
        == 201
    )
    assert (
        post(f"{API}/venues", {"name": "店", "kind": "shop", "node_code": GRID_A}, o).status_code
        == 404
    )
    scan = {"venue_code": venue.code, "client_id": str(uuid.uuid4())}
    assert post(f"{API}/scans", scan, h).status_code == 201
    assert post(f"{API}/scans", scan, h).status_code == 200  # the same client id again
    assert post(f"{API}/scans", {**scan, "client_id": str(uuid.uuid4())}, o).status_code == 404
    unknown = post(f"{API}/scans", {**scan, "venue_code": "nope"}, h)
    assert unknown.status_code == 404 and unknown.json()["detail"]
    forged = post(f"{API}/scans", {**scan, "client_id": str(uuid.uuid4()), "token": "1:x:y"}, h)
    assert forged.status_code == 422
    batch = {
        "scans": [{"venue_code": venue.code, "client_id": str(uuid.uuid4())} for _ in range(5)]
    }
    assert post(f"{API}/scans/batch", batch, h).json()["stored"] == 5
    assert post(f"{API}/scans/batch", batch, o).json()["stored"] == 0


def test_scan_batch_with_an_unknown_person_names_the_field(client, hq, world, make_person):
    """An unknown person id in a batch was a 500 (foreign key); now the row is rejected
    with the field named and the other rows are stored (issue #16 item 7)."""
    h = auth(hq)
    known = make_person("扫码人")
    code = world["venue"].code
    batch = {
        "scans": [
            {"venue_code": code, "client_id": str(uuid.uuid4()), "person_id": known.pk},
            {"venue_code": code, "client_id": str(uuid.uuid4()), "person_id": 987654321},
        ]
    }
    r = client.post(f"{API}/scans/batch", batch, content_type="application/json", **h)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["stored"] == 1 and body["rejected"][0]["row"] == 1
    assert "person_id" in body["rejected"][0]["reason"]
