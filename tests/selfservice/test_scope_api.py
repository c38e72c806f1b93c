"""Staff see declarations and appeals of their own area only (404 elsewhere, pages and
API); a resident applies and appeals through the open API with an SMS code."""

import datetime as dt

from django.test import Client

from fangkong.core import clock
from fangkong.selfservice import actions
from fangkong.selfservice.models import Appeal, Declaration
from tests.conftest import HUAYUAN, ZHUJI, ZHUJI_VILLAGE
from tests.idnumbers import rid
from tests.selfservice.conftest import DAY, at, sms_code

PHONE = "13905752222"


def test_open_api_application_and_appeal_then_scoped_staff_api(make_user, auth):
    c = Client()
    with clock.frozen(at(DAY)):
        r = c.post("/api/v1/public/open/codes", {"phone": PHONE}, content_type="application/json")
        assert r.status_code == 202
        body = {
            "relation": "self",
            "name": "李娜",
            "id_number": rid("330602", "1988-09-30"),
            "phone": PHONE,
            "code": sms_code(PHONE),
            "node_code": HUAYUAN,
            "address": "花园社区5幢",
            "stays": [{"code": "4201", "left_on": "2020-02-10"}],
            "consent": True,
        }
        r = c.post("/api/v1/selfservice/open/applications", body, content_type="application/json")
        assert r.status_code == 201, r.content
        out = r.json()
        assert out["colour"] == "red" and out["green_on"] == "2020-03-04"
        assert any("2020-02-10" in reason for reason in out["reasons"])
        again = c.post(
            "/api/v1/selfservice/open/applications", body, content_type="application/json"
        )
        assert again.status_code == 422  # the code was used: the phone is unverified
        assert again.json()["detail"][0]["loc"][1] in ("code", "phone")
        r = c.post(
            "/api/v1/selfservice/open/appeals",
            {"token": out["token"], "reason": "我是在武汉转车，没有停留"},
            content_type="application/json",
        )
        assert r.status_code == 201
    appeal = Appeal.objects.get()
    declaration = Declaration.objects.get()
    local = auth(make_user("village_staff", HUAYUAN))
    other = auth(make_user("county_hq", ZHUJI))
    for url in (
        f"/api/v1/selfservice/appeals/{appeal.pk}",
        f"/api/v1/selfservice/declarations/{declaration.pk}",
    ):
        assert c.get(url, **local).status_code == 200
        assert c.get(url, **other).status_code == 404
    assert c.get("/api/v1/selfservice/appeals", **other).json()["items"] == []
    assert c.get("/api/v1/selfservice/declarations", **other).json()["items"] == []
    r = c.post(
        f"/api/v1/selfservice/appeals/{appeal.pk}/decide",
        {"decision": "upheld", "colour": "green", "reason": "查无此事"},
        content_type="application/json",
        **other,
    )
    assert r.status_code == 404
    with clock.frozen(at(DAY, 11)):
        r = c.post(
            f"/api/v1/selfservice/appeals/{appeal.pk}/decide",
            {"decision": "rejected", "reason": "铁路记录显示在武汉停留两天"},
            content_type="application/json",
            **local,
        )
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    assert r.json()["colour_after"] == "red"


def test_staff_pages_are_scoped(make_user, code_for, client):
    with clock.frozen(at(DAY)):
        out = actions.apply(
            {
                "name": "赵军",
                "id_number": rid("330681", "1990-01-15"),
                "phone": PHONE,
                "node_code": ZHUJI_VILLAGE,
                "consent": True,
                "case_contact": True,
                "case_contact_on": (DAY - dt.timedelta(days=2)).isoformat(),
            },
            code_for(PHONE),
        )
        assert out.colour == "yellow"
        appeal = actions.file_appeal(out.person, "接触的是已排除的疑似病例")
    client.force_login(make_user("village_staff", HUAYUAN))
    assert client.get(f"/selfservice/appeals/{appeal.pk}/").status_code == 404
    page = client.get("/selfservice/declarations/").content.decode()
    assert "赵军" not in page
    client.force_login(make_user("county_hq", ZHUJI))
    assert client.get(f"/selfservice/appeals/{appeal.pk}/").status_code == 200
    assert "赵" in client.get("/selfservice/declarations/").content.decode()


def test_staff_see_declarations_contradicting_stored_facts(
    make_user, make_person, code_for, client
):
    from fangkong.healthcode.models import Arrival

    number = rid("330602", "1936-11-03")
    existing = make_person("钱桂芳", "330602001004G01", id_number=number)
    Arrival.objects.create(
        person=existing, origin="武汉", risk_level="high", arrived_on=DAY, path=existing.path
    )
    with clock.frozen(at(DAY)):
        actions.apply(
            {
                "relation": "grandchild",
                "applicant_name": "钱晓",
                "name": "钱桂芳",
                "id_number": number,
                "phone": PHONE,
                "node_code": HUAYUAN,
                "consent": True,
            },
            code_for(PHONE),
        )
    client.force_login(make_user("village_staff", HUAYUAN))
    page = client.get("/selfservice/declarations/", {"contradicting": "1"}).content.decode()
    assert "钱晓" in page and "2020-02-20" in page  # the recorded arrival the declaration omits


def test_declarations_page_speaks_the_officials_language(make_user, code_for, client):
    """A declaration made in English (the resident's phone) reads in Chinese on the
    officials' page: the colour in words, the symptoms' names, the contradictions."""
    from django.utils import translation

    with clock.frozen(at(DAY)), translation.override("en"):
        actions.apply(
            {
                "relation": "self",
                "name": "孙丽",
                "id_number": rid("330602", "1979-05-02"),
                "phone": PHONE,
                "node_code": HUAYUAN,
                "consent": True,
                "symptoms": ["shortness_of_breath", "fever"],
            },
            code_for(PHONE),
        )
    declaration = Declaration.objects.get()
    assert declaration.colour == "yellow" and declaration.symptoms
    client.force_login(make_user("village_staff", HUAYUAN))
    page = client.get("/selfservice/declarations/").content.decode()
    assert "气促" in page and "发热" in page and "黄码" in page, page
    for raw in ("shortness_of_breath", ">yellow<", "fever"):
        assert raw not in page
