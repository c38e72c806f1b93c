import datetime as dt

import pytest

from fangkong.core import clock
from fangkong.core.sms import OutboxGateway
from fangkong.public import actions, returns
from fangkong.public.models import Bulletin, PublishedBulletin, Question
from tests.conftest import HUAYUAN, TASHAN
from tests.public.conftest import DAY0, at

pytestmark = pytest.mark.django_db
API = "/api/v1/public"


def post(client, url, data, h=None):
    return client.post(url, data, content_type="application/json", **(h or {}))


def test_bulletin_draft_refusal_edit_publish_and_open_read(client, auth, county_hq, zhuji_hq):
    h, hz = auth(county_hq), auth(zhuji_hq)
    body = {
        "node_code": "330602",
        "day": DAY0.isoformat(),
        "figures": [{"code": "330602001", "new": 1, "total": 3}],
    }
    with clock.frozen(at(DAY0, 20)):
        assert post(client, f"{API}/bulletins", body, hz).status_code == 404
        r = post(client, f"{API}/bulletins", body, h)
        assert r.status_code == 201, r.content
        pk = r.json()["id"]
        assert r.json()["figures"][0]["name"]
        bad = client.put(
            f"{API}/bulletins/{pk}",
            {"title": "t", "text": "电话13912345678"},
            content_type="application/json",
            **h,
        )
        assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "text"]
        for method, url in [
            ("get", f"{API}/bulletins/{pk}"),
            ("post", f"{API}/bulletins/{pk}/publish"),
        ]:
            assert getattr(client, method)(url, **hz).status_code == 404
        assert client.get(f"{API}/bulletins", **hz).json() == {"items": [], "count": 0}
        outsider_edit = client.put(
            f"{API}/bulletins/{pk}",
            {"title": "t", "text": "x"},
            content_type="application/json",
            **hz,
        )
        assert outsider_edit.status_code == 404
        assert post(client, f"{API}/bulletins/{pk}/publish", {}, h).json()["status"] == "published"
    assert (
        client.get(f"{API}/open/bulletin?node_code=330602").json()["title"]
        == Bulletin.objects.get().title
    )
    assert client.get(f"{API}/open/bulletins?node_code=330602").json()["count"] == 1
    assert client.get(f"{API}/open/bulletin").status_code == 404


def test_open_question_with_code_then_staff_answer_and_refusal(
    client, auth, village_staff, zhuji_hq
):
    phone = "13612345678"
    with clock.frozen(at(DAY0, 9)):
        assert post(client, f"{API}/open/codes", {"phone": phone}).status_code == 202
        code = OutboxGateway.last_to(phone).text.split("是")[1][:6]
        unverified = post(
            client,
            f"{API}/open/questions",
            {
                "node_code": HUAYUAN,
                "department": "health",
                "text": "社区有没有送菜服务？",
                "phone": phone,
                "code": "999999",
            },
        )
        assert unverified.status_code == 422
        r = post(
            client,
            f"{API}/open/questions",
            {
                "node_code": HUAYUAN,
                "department": "health",
                "text": "社区有没有送菜服务？",
                "phone": phone,
                "code": code,
            },
        )
        assert r.status_code == 201
    q = Question.objects.get()
    assert r.json()["ticket"] == q.ticket
    h, hz = auth(village_staff), auth(zhuji_hq)
    got = client.get(f"{API}/questions", **h).json()["items"]
    assert [x["ticket"] for x in got] == [q.ticket] and got[0]["phone_masked"] == "136****5678"
    assert phone not in str(got)
    assert client.get(f"{API}/questions", **hz).json() == {"items": [], "count": 0}
    assert client.get(f"{API}/questions/{q.pk}", **hz).status_code == 404
    assert post(client, f"{API}/questions/{q.pk}/answer", {"answer": "x"}, hz).status_code == 404
    with clock.frozen(at(DAY0, 10)):
        r = post(client, f"{API}/questions/{q.pk}/answer", {"answer": "有，每周二、五。"}, h)
    assert r.status_code == 200
    assert (
        client.get(f"{API}/open/answers?q=送菜").json()["items"][0]["answer"] == "有，每周二、五。"
    )
    assert post(client, f"{API}/sweeps/escalate", {}, h).status_code == 403


def test_open_endpoints_rate_limited(client):
    for _ in range(10):
        post(client, f"{API}/open/codes", {"phone": "13612345678"})
    r = post(client, f"{API}/open/codes", {"phone": "13612345678"})
    assert r.status_code == 429 and "频繁" in r.json()["detail"] or "Too many" in r.json()["detail"]


def test_rumours_articles_and_refusal(client, auth, county_hq, zhuji_hq):
    h, hz = auth(county_hq), auth(zhuji_hq)
    assert (
        post(client, f"{API}/rumours?node_code=330602", {"text": "吃大蒜能防病毒"}, hz).status_code
        == 404
    )
    r = post(client, f"{API}/rumours?node_code=330602", {"text": "吃大蒜能防病毒"}, h)
    pk = r.json()["id"]
    assert (
        post(client, f"{API}/rumours/{pk}/clarify", {"clarification": "无科学依据"}, h).status_code
        == 422
    )
    assert (
        post(
            client, f"{API}/rumours/{pk}/clarify", {"clarification": "x", "sources": "y"}, hz
        ).status_code
        == 404
    )
    ok = post(
        client,
        f"{API}/rumours/{pk}/clarify",
        {"clarification": "无科学依据", "sources": "国家卫健委"},
        h,
    )
    assert ok.json()["status"] == "clarified"
    assert client.get(f"{API}/rumours", **hz).json() == {"items": [], "count": 0}
    assert (
        post(
            client, f"{API}/articles?node_code=330681", {"title": "洗手", "body": "七步洗手法"}, h
        ).status_code
        == 404
    )
    assert (
        post(
            client, f"{API}/articles?node_code=330602", {"title": "洗手", "body": "七步洗手法"}, h
        ).status_code
        == 201
    )
    assert client.get(f"{API}/articles", **hz).json() == {"items": [], "count": 0}
    assert client.get(f"{API}/articles", **h).json()["count"] == 1


def test_applications_schools_gatherings_and_refusal(
    client, auth, village_staff, town_hq, zhuji_hq
):
    h, ht, hz = auth(village_staff), auth(town_hq), auth(zhuji_hq)
    body = {
        "node_code": HUAYUAN,
        "company": "塔山食品厂",
        "credit_code": "91330602MA2DDDDD1A",
        "contact_name": "赵",
        "contingency_plan": "预案",
        "resume_date": "2020-02-20",
        "employees": [{"name": "甲", "phone": "13900000001"}, {"name": "乙"}],
    }
    with clock.frozen(at(DAY0, 9)):
        assert post(client, f"{API}/applications", body, hz).status_code == 404
        app = post(client, f"{API}/applications", body, h).json()
        pk = app["id"]
        assert app["approval_level"] == "town" and app["declared"] == 0
        assert post(client, f"{API}/applications/{pk}/submit", {}, h).status_code == 422
        from fangkong.public.models import WorkApplication

        for e in WorkApplication.objects.get().employees.all():
            returns.declare_health(e.token, 36.4, False, False)
        for url in [f"{API}/applications/{pk}", f"{API}/applications/{pk}/employees"]:
            assert client.get(url, **hz).status_code == 404
        for url in ["submit", "decide", "inspect"]:
            assert (
                post(
                    client,
                    f"{API}/applications/{pk}/{url}",
                    {"approve": True, "passed": True, "note": "n"},
                    hz,
                ).status_code
                == 404
            )
        assert (
            post(client, f"{API}/applications/{pk}/submit", {}, h).json()["status"] == "submitted"
        )
        assert (
            post(client, f"{API}/applications/{pk}/decide", {"approve": True}, ht).json()["status"]
            == "approved"
        )
        assert post(client, f"{API}/batches", {"node_code": TASHAN}, hz).status_code == 404
        batch = post(client, f"{API}/batches", {"node_code": TASHAN}, ht)
        assert batch.status_code == 201 and batch.json()["companies"] == ["塔山食品厂"]
    assert client.get(f"{API}/applications", **hz).json() == {"items": [], "count": 0}
    assert [a["company"] for a in client.get(f"{API}/applications", **h).json()["items"]] == [
        "塔山食品厂"
    ]

    school = {
        "node_code": HUAYUAN,
        "school": "华园幼儿园",
        "return_date": "2020-03-02",
        "classes": 6,
        "students": 150,
        "staff": 20,
        "staff_declared": 20,
        "contingency_plan": "预案",
        "checklist": ["plan", "isolation_room", "temperature", "disinfection", "masks", "drill"],
    }
    assert post(client, f"{API}/schools", school, hz).status_code == 404
    spk = post(client, f"{API}/schools", school, h).json()["id"]
    assert post(client, f"{API}/schools/{spk}/decide", {"approve": True}, hz).status_code == 404
    assert (
        post(client, f"{API}/schools/{spk}/decide", {"approve": True}, ht).json()["status"]
        == "approved"
    )
    assert client.get(f"{API}/schools", **hz).json() == {"items": [], "count": 0}

    g = {
        "node_code": HUAYUAN,
        "kind": "banquet",
        "source": "inspection",
        "planned_on": "2020-02-12",
        "organiser": "某户",
        "venue": "农家乐",
        "guests": 30,
    }
    assert post(client, f"{API}/gatherings", g, hz).status_code == 404
    gpk = post(client, f"{API}/gatherings", g, h).json()["id"]
    assert (
        post(client, f"{API}/gatherings/{gpk}/handle", {"handling": "stopped"}, hz).status_code
        == 404
    )
    assert (
        post(client, f"{API}/gatherings/{gpk}/handle", {"handling": "bogus"}, h).status_code == 422
    )
    assert (
        post(client, f"{API}/gatherings/{gpk}/handle", {"handling": "stopped"}, h).json()[
            "handling"
        ]
        == "stopped"
    )
    assert (
        post(client, f"{API}/gatherings/{gpk}/follow-up", {"follow_up": "x"}, hz).status_code == 404
    )
    assert (
        post(client, f"{API}/gatherings/{gpk}/follow-up", {"follow_up": "已解散"}, h).json()[
            "follow_up"
        ]
        == "已解散"
    )
    assert client.get(f"{API}/gatherings", **hz).json() == {"items": [], "count": 0}


def test_bulletin_figures_from_the_districts_briefings(city_hq, node):
    from fangkong.briefing.models import Briefing, BriefingRules

    rules = BriefingRules.objects.first()
    Briefing.objects.create(
        node=node("330602"),
        day=DAY0,
        cutoff_at=at(DAY0, 24 - 1),
        status="done",
        rules=rules,
        data={"cases": {"confirmed": {"new": 7, "cumulative": 9}}},
    )
    with clock.frozen(at(DAY0, 20)):
        b = actions.draft_bulletin(city_hq, node("3306"), DAY0)
    by = {f["code"]: f for f in b.figures}
    assert (by["330602"]["new"], by["330602"]["total"]) == (7, 9)
    assert "新增确诊病例7例" in b.text
    assert not PublishedBulletin.objects.exists()
    assert dt.date(2020, 2, 10) == b.day
