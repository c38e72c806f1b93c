import datetime as dt

import pytest

from fangkong.command.models import Directive, DirectiveReceipt, Submission
from fangkong.core import clock
from tests.command.conftest import DAY0, at
from tests.conftest import HUAYUAN, TASHAN

pytestmark = pytest.mark.django_db
API = "/api/v1/command"


def post(client, url, data, h):
    return client.post(url, data, content_type="application/json", **h)


def test_issue_directive_and_follow_coverage(client, auth, county_hq, village_staff):
    h = auth(county_hq)
    with clock.frozen(at(DAY0, 9)):
        r = post(
            client,
            f"{API}/directives",
            {
                "node_code": "330602",
                "title": "通知",
                "text": "排查",
                "deadline": "2020-02-11T18:00:00+08:00",
                "levels": ["village"],
                "feedback_required": True,
            },
            h,
        )
        assert r.status_code == 201, r.content
        pk = r.json()["id"]
        hv = auth(village_staff)
        inbox = client.get(f"{API}/receipts", **hv).json()["items"]
        assert [x["node_code"] for x in inbox] == [HUAYUAN]
        assert client.get(f"{API}/directives/{pk}", **hv).status_code == 200
        rid = inbox[0]["id"]
        assert post(client, f"{API}/receipts/{rid}/acknowledge", {}, hv).status_code == 200
        bad = post(client, f"{API}/receipts/{rid}/report", {"feedback": " "}, hv)
        assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "feedback"]
        assert (
            post(client, f"{API}/receipts/{rid}/report", {"feedback": "完成"}, hv).status_code
            == 200
        )
    cov = client.get(f"{API}/directives/{pk}/coverage", **h).json()
    assert cov["total"]["acknowledged"] == 1 and cov["total"]["reported"] == 1
    assert cov["total"]["received"] >= 1
    assert cov["by_level"]["village"]["total"] == cov["total"]["total"]
    with clock.frozen(at(DAY0 + dt.timedelta(days=2), 9)):
        swept = post(client, f"{API}/sweeps/escalate", {}, h).json()
    assert swept["escalated"] == cov["total"]["total"] - 1
    town = auth(
        county_hq.__class__.objects.create_user(
            "t1",
            password="x-pw-12345",
            role="town_hq",
            node=DirectiveReceipt.objects.get(directive_id=pk, node__code=HUAYUAN).node.parent,
        )
    )
    escalated = client.get(f"{API}/receipts?escalated=true", **town).json()["items"]
    assert escalated and all(x["escalated_to_code"] == TASHAN for x in escalated)
    # Every pending recipient, page by page (the list was cut at 200 before).
    lagging, page = [], 1
    while True:
        lag = client.get(f"{API}/directives/{pk}/laggards", {"page": page}, **h).json()
        lagging += [x["node_code"] for x in lag["items"]]
        if not lag["items"] or len(lagging) >= lag["count"]:
            break
        page += 1
    pending = DirectiveReceipt.objects.filter(directive_id=pk).pending().count()
    assert lag["count"] == len(lagging) == len(set(lagging)) == pending > 200
    assert HUAYUAN not in lagging


def test_directive_without_recipients_refused_naming_the_field(client, auth, county_hq):
    with clock.frozen(at(DAY0, 9)):
        r = post(
            client,
            f"{API}/directives",
            {
                "node_code": "330602",
                "title": "通知",
                "text": "x",
                "deadline": "2020-02-11T18:00:00+08:00",
            },
            auth(county_hq),
        )
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "recipients"]
    assert not Directive.objects.exists()


def test_outsider_lists_nothing_and_may_not_open_a_meeting(client, auth, directive, zhuji_hq):
    """The routes naming a record in their path: tests/test_scoping_every_route.py."""
    h = auth(zhuji_hq)
    assert client.get(f"{API}/directives", **h).json() == {"items": [], "count": 0}
    assert (
        post(client, f"{API}/meetings", {"node_code": "330602", "day": str(DAY0)}, h).status_code
        == 404
    )
    assert (
        post(
            client, f"{API}/targets", {"node_code": "330602", "name": "x", "indicators": []}, h
        ).status_code
        == 404
    )


def test_reports_through_the_api_with_lock(client, auth, template, make_user):
    town = make_user("town_hq", TASHAN)
    h = auth(town)
    url = f"{API}/report-templates/{template.pk}/submissions"
    assert [t["id"] for t in client.get(f"{API}/report-templates", **h).json()] == [template.pk]
    with clock.frozen(at(DAY0, 16)):
        r = post(
            client, url, {"node_code": TASHAN, "period": str(DAY0), "data": {"排查人数": 5}}, h
        )
    assert r.status_code == 201 and r.json()["on_time"] and r.json()["completeness"] == 0.5
    with clock.frozen(at(DAY0 + dt.timedelta(days=3), 9)):
        r = post(
            client,
            url,
            {"node_code": TASHAN, "period": str(DAY0 + dt.timedelta(days=1)), "data": {}},
            h,
        )
        assert r.status_code == 422
        assert (
            r.json()["detail"][0]["loc"] == ["body", "period"]
            and "locked" in r.json()["detail"][0]["msg"]
        )
        rates = client.get(
            f"{API}/report-templates/{template.pk}/rates", **auth(template.created_by)
        ).json()
    assert Submission.objects.count() == 1
    assert rates["total"]["actual"] == 1 and rates["total"]["on_time"] == 1
    assert len(rates["periods"]) == 3


def test_levels_targets_task_forces_meetings(client, auth, city_hq, county_hq):
    hc = auth(city_hq)
    assert len(client.get(f"{API}/response-levels", **hc).json()) == 3
    assert (
        post(
            client, f"{API}/response-levels", {"effective_from": "2020-05-02", "grade": "IV"}, hc
        ).status_code
        == 201
    )
    assert (
        post(
            client,
            f"{API}/response-levels",
            {"effective_from": "2020-05-02", "grade": "IV"},
            auth(county_hq),
        ).status_code
        == 403
    )
    h = auth(county_hq)
    t = post(
        client,
        f"{API}/targets",
        {
            "node_code": "330602",
            "name": "两确保",
            "indicators": [{"name": "新增", "goal": 0, "direction": "at_most"}],
        },
        h,
    )
    assert t.status_code == 201
    ind = t.json()["indicators"][0]["id"]
    with clock.frozen(at(DAY0, 9)):
        assert (
            post(
                client, f"{API}/indicators/{ind}/values", {"day": str(DAY0), "value": 1}, h
            ).status_code
            == 201
        )
    tf = post(
        client,
        f"{API}/task-forces",
        {
            "node_code": "330602",
            "name": "专班",
            "leader_id": county_hq.pk,
            "responsibilities": "救治",
        },
        h,
    )
    assert (
        tf.status_code == 201
        and client.get(f"{API}/task-forces", **h).json()["items"][0]["name"] == "专班"
    )
    cl = post(
        client, f"{API}/checklists", {"name": "三清", "level": "village", "items": ["a", "b"]}, h
    ).json()
    assert post(
        client,
        f"{API}/checklists/{cl['id']}/marks",
        {"node_code": HUAYUAN, "item": 0, "done": True},
        h,
    ).json() == {"item": 0, "done": True}
    m = post(client, f"{API}/meetings", {"node_code": "330602", "day": str(DAY0)}, h).json()
    d = post(
        client,
        f"{API}/meetings/{m['id']}/decisions",
        {"text": "加强", "owner_id": county_hq.pk, "deadline": str(DAY0)},
        h,
    )
    assert d.status_code == 201
    closed = post(client, f"{API}/decisions/{d.json()['id']}/close", {"outcome": "完成"}, h).json()
    assert closed["status"] == "done"
