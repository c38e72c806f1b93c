"""The API: registration confirmed, assignment refused with a 422 naming the rest rule
and accepted with an override reason, figures; bad input 422 with the field named;
every record endpoint a 404 for a caller of another jurisdiction."""

import datetime as dt

import pytest

from fangkong.core import clock
from fangkong.mobilisation.actions import organisations, rosters
from tests.conftest import HUAYUAN, YUECHENG, ZHUJI
from tests.kit import bearer_en as auth
from tests.mobilisation.conftest import shifts_of

pytestmark = pytest.mark.django_db
API = "/api/v1/mobilisation"


def post(client, url, data, h):
    return client.post(url, data, content_type="application/json", **h)


def test_registration_and_assignment_flow(client, staff, orgdept, checkpoint, make_member):
    h = auth(orgdept)
    r = post(
        client,
        f"{API}/members",
        {
            "name": "陶然",
            "phone": "13511112222",
            "is_cadre": True,
            "cadre_rank": "副处",
            "node_code": YUECHENG,
        },
        h,
    )
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["phone_masked"] == "135****2222" and "phone" not in body
    mid = body["id"]
    r = post(client, f"{API}/registrations", {"member_id": mid, "community_code": HUAYUAN}, h)
    assert r.status_code == 201 and r.json()["status"] == "pending"
    reg = r.json()["id"]
    hs = auth(staff)
    r = client.get(f"{API}/registrations", **hs)
    assert [x["id"] for x in r.json()["items"]] == [reg]
    r = post(client, f"{API}/registrations/{reg}/confirm", {}, hs)
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    r = post(client, f"{API}/registrations", {"member_id": mid, "community_code": HUAYUAN}, h)
    assert r.status_code == 422 and "already registered" in str(r.json())
    s = shifts_of(checkpoint)
    r = post(client, f"{API}/assignments", {"shift_id": s[0].pk, "member_id": mid}, hs)
    assert r.status_code == 201
    r = post(client, f"{API}/assignments", {"shift_id": s[1].pk, "member_id": mid}, hs)
    assert r.status_code == 422
    rules = {d["rule"] for d in r.json()["detail"]}
    assert rules == {"min_rest_hours", "max_hours_per_24h"}
    assert all(d["loc"] == ["body", "override_reason"] and d["msg"] for d in r.json()["detail"])
    r = post(
        client,
        f"{API}/assignments",
        {"shift_id": s[1].pk, "member_id": mid, "override_reason": "缺人顶岗"},
        hs,
    )
    assert r.status_code == 201 and r.json()["override_reason"] == "缺人顶岗"
    assert {x["rule"] for x in r.json()["broken_rules"]} == rules
    r = client.get(f"{API}/posts/{checkpoint.pk}/shifts?day=2020-02-10", **hs)
    assert [x["assigned"] for x in r.json()][:2] == [1, 1]
    r = client.get(f"{API}/figures", **hs)
    assert r.json()["registered_confirmed"] == 1 and r.json()["overrides"] == 1
    a = r = client.get(f"{API}/assignments?member_id={mid}", **hs).json()["items"]
    assert client.delete(f"{API}/assignments/{a[0]['id']}", **hs).status_code == 204


def test_bad_input_is_422_with_the_field(client, staff, orgdept, checkpoint):
    h = auth(orgdept)
    r = post(client, f"{API}/members", {"name": "x", "phone": "12345", "node_code": YUECHENG}, h)
    assert r.status_code == 422 and "phone" in str(r.json())
    r = post(
        client, f"{API}/organisations", {"name": "x", "kind": "nope", "node_code": YUECHENG}, h
    )
    assert r.status_code == 422
    r = post(
        client,
        f"{API}/posts",
        {"name": "x", "kind": "gate", "node_code": HUAYUAN, "shift_hours": 30},
        auth(staff),
    )
    assert r.status_code == 422
    r = post(
        client,
        f"{API}/posts/{checkpoint.pk}/shifts",
        {"first_day": "2020-02-20", "days": 99},
        auth(staff),
    )
    assert r.status_code == 422


def test_create_organisation_unit_post_and_plan(client, orgdept, staff):
    h = auth(orgdept)
    r = post(
        client, f"{API}/units", {"name": "区教育局", "kind": "office", "node_code": YUECHENG}, h
    )
    assert r.status_code == 201
    r = post(
        client,
        f"{API}/organisations",
        {
            "name": "区教育局党支部",
            "kind": "branch",
            "node_code": YUECHENG,
            "unit_id": r.json()["id"],
        },
        h,
    )
    assert r.status_code == 201
    oid, uid = r.json()["id"], r.json()["unit_id"]
    assert client.get(f"{API}/organisations/{oid}", **h).status_code == 200
    assert [o["id"] for o in client.get(f"{API}/organisations", **h).json()["items"]] == [oid]
    edit = {"name": "区教育局机关党委", "kind": "committee", "node_code": YUECHENG, "unit_id": uid}
    r = client.put(f"{API}/organisations/{oid}", edit, content_type="application/json", **h)
    assert r.status_code == 200 and r.json()["name"] == "区教育局机关党委"
    r = client.put(
        f"{API}/organisations/{oid}",
        {**edit, "parent_id": oid},
        content_type="application/json",
        **h,
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "parent"
    r = client.put(
        f"{API}/units/{uid}",
        {"name": "越城区教育体育局", "kind": "office", "node_code": YUECHENG},
        content_type="application/json",
        **h,
    )
    assert r.status_code == 200 and r.json()["name"] == "越城区教育体育局"
    hs = auth(staff)
    r = post(
        client,
        f"{API}/posts",
        {
            "name": "东门",
            "kind": "gate",
            "node_code": HUAYUAN,
            "shift_hours": 12,
            "required_per_shift": 1,
        },
        hs,
    )
    assert r.status_code == 201
    pid = r.json()["id"]
    r = post(client, f"{API}/posts/{pid}/shifts", {"first_day": "2020-02-11", "days": 2}, hs)
    assert r.status_code == 201 and len(r.json()) == 4
    assert client.get(f"{API}/posts", **hs).json()["count"] == 1


def test_another_jurisdiction_gets_404(
    client, zhuji_staff, zhuji_orgdept, staff, checkpoint, make_member, system, node
):
    m = make_member(confirmed=False)
    reg = m.registrations.get()
    org = organisations.save_organisation(
        system, None, name="支部", kind="branch", node=node(HUAYUAN)
    )
    confirmed = make_member(phone="13700000007")
    a = rosters.assign(staff, shifts_of(checkpoint)[0], confirmed)
    for user in (zhuji_staff, zhuji_orgdept):
        h = auth(user)
        for url in (
            f"{API}/members/{m.pk}",
            f"{API}/organisations/{org.pk}",
            f"{API}/posts/{checkpoint.pk}/shifts",
            f"{API}/members?node={HUAYUAN}",
            f"{API}/organisations?node={YUECHENG}",
            f"{API}/units?node={YUECHENG}",
            f"{API}/posts?node={HUAYUAN}",
            f"{API}/registrations?node={HUAYUAN}",
            f"{API}/figures?node={HUAYUAN}",
        ):
            assert client.get(url, **h).status_code == 404, url
        for url, body in (
            (f"{API}/registrations/{reg.pk}/confirm", {}),
            (f"{API}/registrations/{reg.pk}/decline", {"reason": "x"}),
            (f"{API}/posts/{checkpoint.pk}/shifts", {"first_day": "2020-02-20", "days": 1}),
            (
                f"{API}/assignments",
                {"shift_id": shifts_of(checkpoint)[2].pk, "member_id": confirmed.pk},
            ),
            (f"{API}/assignments/{a.pk}/ppe", {"item_id": 1, "warehouse_id": 1, "quantity": 1}),
            (f"{API}/registrations", {"member_id": m.pk, "community_code": HUAYUAN}),
            (f"{API}/members", {"name": "x", "phone": "13700000099", "node_code": HUAYUAN}),
            (f"{API}/posts", {"name": "x", "kind": "gate", "node_code": HUAYUAN}),
            (f"{API}/units", {"name": "x", "kind": "school", "node_code": HUAYUAN}),
            (f"{API}/organisations", {"name": "x", "kind": "branch", "node_code": HUAYUAN}),
        ):
            assert post(client, url, body, h).status_code == 404, url
        for url, body in (
            (f"{API}/organisations/{org.pk}", {"name": "x", "kind": "branch", "node_code": ZHUJI}),
            (f"{API}/members/{m.pk}", {"name": "x", "phone": "13700000098"}),
        ):
            r = client.put(url, body, content_type="application/json", **h)
            assert r.status_code == 404, url
        assert client.delete(f"{API}/assignments/{a.pk}", **h).status_code == 404
        assert client.get(f"{API}/assignments?shift_id={a.shift_id}", **h).json()["items"] == []
    reg.refresh_from_db()
    assert reg.status == "pending"


def test_members_are_edited_and_rest_rules_added_through_the_api(
    client, staff, city_hq, make_member
):
    m = make_member()
    h = auth(staff)
    body = {"name": "李明", "phone": "13700000011", "is_cadre": True, "cadre_rank": "科级"}
    r = client.put(f"{API}/members/{m.pk}", body, content_type="application/json", **h)
    assert r.status_code == 200, r.content
    assert r.json()["is_cadre"] and r.json()["phone_masked"].endswith("0011")
    rules = {
        "effective_from": (clock.today() + dt.timedelta(days=1)).isoformat(),
        "max_shift_hours": 8,
        "max_hours_per_24h": 10,
        "max_consecutive_days": 5,
        "min_rest_hours": 10,
        "note": "市指挥部通知",
    }
    assert post(client, f"{API}/rest-rules", rules, h).status_code == 403
    hq = auth(city_hq)
    r = post(client, f"{API}/rest-rules", {**rules, "max_shift_hours": 30}, hq)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "max_shift_hours"
    r = post(client, f"{API}/rest-rules", rules, hq)
    assert r.status_code == 201 and r.json()["max_shift_hours"] == 8
    listed = client.get(f"{API}/rest-rules", **h).json()["items"]
    assert listed[0]["effective_from"] == rules["effective_from"]
