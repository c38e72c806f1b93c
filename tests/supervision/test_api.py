"""The supervision API: the whole flow by token, bad input as 422 with the field
named, and every endpoint refusing (404) a caller of another jurisdiction."""

import pytest

from fangkong.supervision import actions
from tests.conftest import HUAYUAN
from tests.supervision.conftest import case_on
from tests.supervision.test_photos import png

API = "/api/v1/supervision"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def test_full_flow(client, auth, inspector, teammate, village_staff, organisation, cadre, frozen):
    h = auth(inspector)
    r = client.post(
        f"{API}/plans",
        {
            "node_code": "330602",
            "title": "专项督查",
            "starts_on": "2020-02-10",
            "ends_on": "2020-02-28",
            "topics": ["screening", "checkpoints"],
        },
        content_type="application/json",
        **h,
    )
    assert r.status_code == 201, r.content
    plan = r.json()
    r = client.post(
        f"{API}/plans/{plan['id']}/teams",
        {"name": "一组", "leader_id": inspector.pk, "member_ids": [teammate.pk]},
        content_type="application/json",
        **h,
    )
    assert r.status_code == 201, r.content
    team = r.json()
    r = client.post(
        f"{API}/inspections",
        {
            "team_id": team["id"],
            "node_code": HUAYUAN,
            "kind": "unannounced",
            "planned_on": "2020-02-12",
            "topics": ["checkpoints"],
            "subject_id": cadre.pk,
        },
        content_type="application/json",
        **h,
    )
    assert r.status_code == 201, r.content
    insp = r.json()
    staff = auth(village_staff)
    assert client.get(f"{API}/inspections/{insp['id']}", **staff).status_code == 404
    r = client.put(
        f"{API}/inspections/{insp['id']}/results",
        {"results": [{"topic": "checkpoints", "item_no": 0, "outcome": "fail", "note": "空岗"}]},
        content_type="application/json",
        **h,
    )
    assert r.status_code == 200 and r.json()[0]["outcome"] == "fail"
    r = client.post(
        f"{API}/inspections/{insp['id']}/findings",
        {"description": "卡口空岗", "topic": "checkpoints", "cadre_id": cadre.pk},
        content_type="application/json",
        **h,
    )
    assert r.status_code == 201, r.content
    finding = r.json()
    r = client.post(f"{API}/findings/{finding['id']}/photos", {"photo": png()}, **h)
    assert r.status_code == 201
    r = client.post(
        f"{API}/findings/{finding['id']}/rectifications",
        {"owner_node_code": HUAYUAN, "requirement": "补岗"},
        content_type="application/json",
        **h,
    )
    assert r.status_code == 422 and "finding" in str(r.json())  # not recorded yet
    r = client.post(
        f"{API}/inspections/{insp['id']}/record",
        {"summary": "暗访"},
        content_type="application/json",
        **h,
    )
    assert r.status_code == 200 and r.json()["status"] == "recorded"
    detail = client.get(f"{API}/inspections/{insp['id']}", **staff).json()
    assert detail["findings"][0]["photos"]
    r = client.post(
        f"{API}/findings/{finding['id']}/rectifications",
        {"owner_node_code": HUAYUAN, "requirement": "补岗", "owner_user_id": village_staff.pk},
        content_type="application/json",
        **h,
    )
    assert r.status_code == 201, r.content
    task = r.json()
    assert task["escalated_to_code"] == "330602001"
    r = client.post(f"{API}/rectifications/{task['id']}/close", HTTP_ACCEPT_LANGUAGE="en", **h)
    assert r.status_code == 422
    assert "verified" in str(r.json())
    r = client.post(
        f"{API}/rectifications/{task['id']}/reply",
        {"reply": "已补岗"},
        content_type="application/json",
        **staff,
    )
    assert r.json()["status"] == "replied"
    r = client.post(
        f"{API}/rectifications/{task['id']}/verify",
        {"accepted": True, "note": "复查属实"},
        content_type="application/json",
        **h,
    )
    assert r.json()["status"] == "verified"
    r = client.post(f"{API}/rectifications/{task['id']}/close", **h)
    assert r.json()["status"] == "closed"
    org = auth(organisation)
    r = client.post(
        f"{API}/cases",
        {
            "member_id": cadre.pk,
            "decision": "admonishment_talk",
            "decided_by": "discipline_inspection",
            "decided_on": "2020-02-10",
        },
        content_type="application/json",
        **org,
    )
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "finding"]
    r = client.post(
        f"{API}/cases",
        {
            "finding_id": finding["id"],
            "member_id": cadre.pk,
            "decision": "admonishment_talk",
            "decided_by": "discipline_inspection",
            "decided_on": "2020-02-10",
        },
        content_type="application/json",
        **org,
    )
    assert r.status_code == 201, r.content
    r = client.post(
        f"{API}/commendations",
        {
            "member_id": cadre.pk,
            "title": "先进",
            "reason": "坚守",
            "decided_by": "organisation_department",
            "decided_on": "2020-02-10",
        },
        content_type="application/json",
        **org,
    )
    assert r.status_code == 201, r.content
    rec = client.get(f"{API}/cadres/{cadre.pk}/record", **org).json()
    assert len(rec["accountability"]) == 1 and len(rec["commendations"]) == 1
    assert len(rec["inspections_as_subject"]) == 1
    rec = client.get(f"{API}/cadres/{cadre.pk}/record", **staff).json()
    assert rec["accountability"] is None
    assert client.get(f"{API}/cases", **staff).status_code == 403
    figures = client.get(f"{API}/figures?node=330602001", **h).json()
    assert figures[-1]["inspections_unannounced"] == 1
    assert figures[-1]["rectifications_closed"] == 1


def test_bad_input_names_the_field(client, auth, inspector, frozen):
    h = auth(inspector)
    r = client.post(
        f"{API}/plans",
        {
            "node_code": "330602",
            "title": "x",
            "starts_on": "2020-02-10",
            "ends_on": "2020-02-01",
            "topics": ["screening"],
        },
        content_type="application/json",
        **h,
    )
    assert r.status_code == 422 and "ends_on" in str(r.json())
    r = client.post(
        f"{API}/plans",
        {
            "node_code": "nope",
            "title": "x",
            "starts_on": "2020-02-10",
            "ends_on": "2020-02-11",
            "topics": ["screening"],
        },
        content_type="application/json",
        **h,
    )
    assert r.status_code == 422 and "node_code" in str(r.json())
    r = client.put(
        f"{API}/checklists/clinical", {"items": [" "]}, content_type="application/json", **h
    )
    assert r.status_code == 422 and "items" in str(r.json())


@pytest.fixture
def world(inspector, recorded_finding, node, cadre, organisation):
    photo = actions.add_photo(inspector, recorded_finding, png())
    task = actions.assign_rectification(
        inspector, recorded_finding, owner_node=node(HUAYUAN), requirement="安排值守"
    )
    day = recorded_finding.created_at.date()
    case_on(organisation, recorded_finding, cadre, "criticism_education", decided_on=day)
    insp = recorded_finding.inspection
    return {
        "plan": insp.team.plan.pk,
        "team": insp.team.pk,
        "inspection": insp.pk,
        "finding": recorded_finding.pk,
        "photo": photo.pk,
        "task": task.pk,
        "cadre": cadre.pk,
    }


def test_another_jurisdiction_is_refused_in_bodies_and_lists(world, client, auth, zhuji_discipline):
    """The routes naming a record in their path: tests/test_scoping_every_route.py."""
    h = auth(zhuji_discipline)
    w = world
    json = {"content_type": "application/json"}
    assert client.get(f"{API}/figures?node=330602", **h).status_code == 404
    r = client.post(
        f"{API}/inspections",
        {
            "team_id": w["team"],
            "node_code": "330681",
            "kind": "open",
            "planned_on": "2020-02-12",
            "topics": ["screening"],
        },
        **json,
        **h,
    )
    assert r.status_code == 422 and "team_id" in str(r.json())
    r = client.post(
        f"{API}/cases",
        {
            "finding_id": w["finding"],
            "member_id": w["cadre"],
            "decision": "dismissal",
            "decided_by": "discipline_inspection",
            "decided_on": "2020-02-10",
        },
        **json,
        **h,
    )
    assert r.status_code == 422 and "finding_id" in str(r.json())
    r = client.post(
        f"{API}/commendations",
        {
            "member_id": w["cadre"],
            "title": "x",
            "reason": "y",
            "decided_by": "discipline_inspection",
            "decided_on": "2020-02-10",
        },
        **json,
        **h,
    )
    assert r.status_code == 422 and "member_id" in str(r.json())
    for url in ("plans", "inspections", "rectifications", "commendations", "cases"):
        assert client.get(f"{API}/{url}", **h).json() == {"items": [], "count": 0}, url
    assert client.get(f"{API}/checklists", **h).status_code == 200
    assert client.get(f"{API}/decisions", **h).status_code == 200
