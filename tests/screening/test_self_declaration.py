"""The anonymous self-declaration page (issue #16, M6): the phone is verified by an SMS
code, each client is limited per hour, and a declaration about a person already in the
registry changes nothing until staff of the person's area accept it."""

import datetime as dt
import re

import pytest
from django.core.cache import cache, caches

from fangkong.core.sms import OutboxGateway
from fangkong.screening.models import DeclarationReview, ScreeningSubject, ScreeningTask
from fangkong.screening.public import DECLARATIONS_PER_CLIENT
from tests.conftest import GRID_A, HUAYUAN, ZHUJI_VILLAGE
from tests.idnumbers import rid

pytestmark = pytest.mark.django_db
URL = "/screening/declare/"
PHONE = "13600000001"


@pytest.fixture(autouse=True)
def fresh():
    cache.clear()
    caches["shared"].clear()
    OutboxGateway.outbox.clear()


def form(**extra):
    return {
        "name": "林一",
        "phone": PHONE,
        "origin": "湖北省武汉市",
        "arrival_date": "2026-11-28",
        "address": "越城区塔山街道花园社区9幢",
        **extra,
    }


def declare(client, data):
    r = client.post(URL, {**data, "send_code": "1"})
    assert r.status_code == 200 and 'id="code-sent"' in r.text, r.text
    code = re.search(r"\d{6}", OutboxGateway.last_to(data["phone"]).text).group()
    return client.post(URL, {**data, "code": code})


def test_no_declaration_without_the_sms_code(client, tree):
    r = client.post(URL, form())
    assert r.status_code == 200 and 'id="declared"' not in r.text
    r = client.post(URL, form(code="123456"))
    assert 'id="declared"' not in r.text
    assert not ScreeningSubject.objects.filter(name="林一").exists()
    r = declare(client, form())
    assert 'id="declared"' in r.text
    assert ScreeningTask.objects.filter(subject__name="林一", node__code=HUAYUAN).exists()


def test_declarations_limited_per_client(client, tree):
    for n in range(DECLARATIONS_PER_CLIENT):
        client.post(URL, form(phone=f"1360000{n:04d}", code="000000"))
    r = client.post(URL, form(code="000000"))
    assert r.status_code == 429


def test_a_declaration_about_a_registered_person_waits_for_review(
    client, tree, make_person, make_user
):
    number = rid("330602", dt.date(1948, 3, 9))
    person = make_person(name="周桂英", id_number=number, node_code=GRID_A)
    # A stranger who knows her ID declares her as arriving from a key area.
    r = declare(client, form(name="周桂英", id_number=number))
    assert 'id="declared"' in r.text
    assert not ScreeningSubject.objects.filter(person=person).exists()
    review = DeclarationReview.objects.get()
    assert review.person == person and review.status == "pending"
    assert number not in bytes(review.row_enc).decode("latin-1")

    outsider = make_user("village_staff", ZHUJI_VILLAGE)
    client.force_login(outsider)
    assert "周桂英" not in client.get("/screening/declarations/").text
    url = f"/screening/declarations/{review.pk}/review/"
    assert client.post(url, {"decision": "accept"}).status_code == 404

    staff = make_user("village_staff", HUAYUAN)
    client.force_login(staff)
    page = client.get("/screening/declarations/")
    assert "周桂英" in page.text and number not in page.text
    assert client.post(url, {"decision": "accept"}).status_code == 302
    review.refresh_from_db()
    assert review.status == "accepted" and review.reviewed_by == staff
    assert ScreeningSubject.objects.filter(person=person, origin="湖北省武汉市").exists()


def test_review_queue_over_the_api(client, tree, make_person, make_user):
    number = rid("330602", dt.date(1951, 12, 1))
    person = make_person(name="陈阿大", id_number=number, node_code=GRID_A)
    declare(client, form(name="陈阿大", id_number=number))
    review = DeclarationReview.objects.get()

    def bearer(user):
        r = client.post(
            "/api/v1/auth/token",
            {"username": user.username, "password": "pw-for-tests-1"},
            content_type="application/json",
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {r.json()['token']}"}

    outsider = bearer(make_user("county_hq", "330681"))
    assert client.get("/api/v1/screening/declarations", **outsider).json()["count"] == 0
    r = client.post(
        f"/api/v1/screening/declarations/{review.pk}/review",
        {"accept": False},
        content_type="application/json",
        **outsider,
    )
    assert r.status_code == 404
    town = bearer(make_user("town_hq", "330602001"))
    listed = client.get("/api/v1/screening/declarations", **town).json()["items"]
    assert [d["id"] for d in listed] == [review.pk] and number not in str(listed)
    r = client.post(
        f"/api/v1/screening/declarations/{review.pk}/review",
        {"accept": False},
        content_type="application/json",
        **town,
    )
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    assert not ScreeningSubject.objects.filter(person=person).exists()
