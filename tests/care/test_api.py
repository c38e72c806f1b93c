"""The care API: the phone report, own reports and rating, the staff flow, deeds with
photos, review, commendation and the open list of published deeds."""

import datetime as dt

import pytest

from fangkong.care.models import Deed, Difficulty
from fangkong.core import clock
from tests.care.conftest import PHONE, T0, code_for, image_bytes
from tests.conftest import HUAYUAN, TASHAN

pytestmark = pytest.mark.django_db
API = "/api/v1/care"
TEXT = "志愿者们每天为居家观察的家庭代购生活物资、配送药品，风雨无阻。"


def post(client, url, data, h=None):
    return client.post(url, data, content_type="application/json", **(h or {}))


def test_open_report_mine_and_rating_with_staff_flow(client, auth, staff):
    h = auth(staff)
    with clock.frozen(T0):
        body = {
            "reporter_name": "王芳",
            "phone": PHONE,
            "code": code_for(PHONE),
            "category": "necessities",
            "description": "家里米面油快用完了",
            "node_code": HUAYUAN,
        }
        r = post(client, f"{API}/open/difficulties", body)
        assert r.status_code == 201, r.content
        pk = r.json()["id"]
        assert r.json()["state"] == "open"
        assert post(client, f"{API}/open/difficulties", body).status_code == 422  # code used
        assert post(client, f"{API}/open/difficulties", {**body, "category": ""}).status_code == 422
        r = post(client, f"{API}/difficulties/{pk}/owner", {"owner_id": staff.pk}, h)
        assert r.json()["owner_id"] == staff.pk
        assert post(client, f"{API}/difficulties/{pk}/take", {}, h).json()["status"] == "in_hand"
        bad = post(client, f"{API}/difficulties/{pk}/solve", {"solution": "x"}, h)
        assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "solution"]
        r = post(client, f"{API}/difficulties/{pk}/solve", {"solution": "志愿者已送去米面油"}, h)
        assert r.json()["state"] == "solved"
        mine = post(client, f"{API}/open/mine", {"phone": PHONE, "code": code_for(PHONE)})
        assert mine.status_code == 200 and [i["id"] for i in mine.json()["items"]] == [pk]
        token = mine.json()["token"]
        rate = {"token": token, "rating": 4, "comment": "及时"}
        assert post(client, f"{API}/open/difficulties/{pk}/rating", rate).json()["rating"] == 4
        again = post(client, f"{API}/open/difficulties/{pk}/rating", rate)
        assert again.status_code == 422
        forged = post(client, f"{API}/open/difficulties/{pk}/rating", {**rate, "token": "x:y:z"})
        assert forged.status_code == 403
    assert Difficulty.objects.get().rating == 4


def test_staff_report_on_behalf_levels_and_escalation(client, auth, staff, county_hq):
    with clock.frozen(T0):
        body = {
            "reporter_name": "赵强",
            "phone": PHONE,
            "relation": "self",
            "category": "transport",
            "description": "上下班往返卡口距离远",
            "node_code": HUAYUAN,
        }
        r = post(client, f"{API}/difficulties", body, auth(staff))
        assert r.status_code == 201 and r.json()["phone_masked"] == "139****5678"
        assert PHONE not in r.content.decode()
    with clock.frozen(T0 + dt.timedelta(days=5)):
        h = auth(county_hq)
        got = client.get(f"{API}/difficulties?state=escalated", **h).json()
        assert [d["escalated_to"] for d in got["items"]] == [TASHAN] and got["count"] == 1
        levels = client.get(f"{API}/levels?node_code=330602", **h).json()
        row = next(x for x in levels if x["code"] == TASHAN)
        assert (row["open"], row["overdue"], row["solved"]) == (1, 1, 0)
    assert client.get(f"{API}/categories", **h).json()[0]["code"] == "childcare"


def test_deed_submit_photos_review_commend_and_open_list(client, auth, staff, org, make_member):
    member = make_member()
    hs, ho = auth(staff), auth(org)
    body = {
        "node_code": HUAYUAN,
        "title": "跑腿小分队",
        "text": TEXT,
        "hero_name": member.name,
        "member_id": member.pk,
    }
    bad = post(client, f"{API}/deeds", {**body, "text": TEXT + "330602199001011234"}, hs)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "text"]
    r = post(client, f"{API}/deeds", body, hs)
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("a.png", image_bytes(), "image/png")
    r = client.post(f"{API}/deeds/{pk}/photos", {"photos": [photo]}, **hs)
    assert r.status_code == 201 and r.json()["photos"][0]["content_type"] == "image/png"
    junk = SimpleUploadedFile("a.png", b"junk", "image/png")
    r = client.post(f"{API}/deeds/{pk}/photos", {"photos": [junk]}, **hs)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "photos"]
    assert client.get(f"{API}/open/deeds").json() == []
    r = post(client, f"{API}/deeds/{pk}/review", {"decision": "return", "reason": "补充细节"}, ho)
    assert r.json()["status"] == "returned"
    r = client.put(
        f"{API}/deeds/{pk}",
        {"title": "跑腿小分队", "text": TEXT + "！", "hero_name": member.name},
        content_type="application/json",
        **hs,
    )
    assert r.json()["status"] == "submitted"
    assert post(client, f"{API}/deeds/{pk}/review", {"decision": "publish"}, ho).status_code == 200
    commend = {
        "title": "抗疫先进个人",
        "reason": "跑腿代购",
        "decided_by": "organisation_department",
        "decided_on": "2020-02-20",
    }
    r = post(client, f"{API}/deeds/{pk}/commend", commend, ho)
    assert r.status_code == 200 and r.json()["commendation_id"]
    listed = client.get(f"{API}/open/deeds?area={HUAYUAN}").json()
    assert [d["id"] for d in listed] == [pk]
    url = listed[0]["photo_urls"][0]
    assert client.get(url).status_code == 200
    assert client.get(f"{API}/open/deeds/{pk}").json()["title"] == "跑腿小分队"
    assert client.get(f"{API}/deeds?status=published", **hs).json()["items"][0]["id"] == pk
    assert Deed.objects.get().commendation.member == member
