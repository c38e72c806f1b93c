"""Pages: the flow an inspector and the inspected node go through on their phones, and
every page refusing (404) a user of another jurisdiction."""

import datetime as dt
import re

import pytest

from fangkong.supervision import actions
from fangkong.supervision.models import AccountabilityCase, Inspection, Rectification
from tests.conftest import HUAYUAN
from tests.supervision.conftest import DAY0, case_on
from tests.supervision.test_photos import png


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def world(inspector, recorded_finding, node, cadre, organisation):
    """A recorded finding with a photo, a rectification task, a commendation, a case."""
    photo = actions.add_photo(inspector, recorded_finding, png())
    task = actions.assign_rectification(
        inspector, recorded_finding, owner_node=node(HUAYUAN), requirement="安排值守"
    )
    case_on(organisation, recorded_finding, cadre, "criticism_education")
    return {
        "finding": recorded_finding,
        "inspection": recorded_finding.inspection,
        "plan": recorded_finding.inspection.team.plan,
        "photo": photo,
        "task": task,
        "cadre": cadre,
    }


def test_lists_of_another_jurisdiction_show_nothing(world, client, zhuji_discipline):
    """The pages naming a record in their path: tests/test_scoping_every_route.py."""
    client.force_login(zhuji_discipline)
    assert client.get("/supervision/?node=330602").status_code == 404
    for url in (
        "/supervision/",
        "/supervision/plans/",
        "/supervision/inspections/",
        "/supervision/tasks/",
        "/supervision/commendations/",
        "/supervision/cases/",
        "/supervision/checklists/",
    ):
        r = client.get(url)
        assert r.status_code == 200, url
        body = r.content.decode()
        assert "卡口无人值守" not in body and "安排值守" not in body and "王干部" not in body, url


def test_lists_show_own_area(world, client, inspector):
    client.force_login(inspector)
    assert "安排值守" in client.get("/supervision/tasks/").content.decode()
    assert "王干部" in client.get("/supervision/cases/").content.decode()
    assert "春节督查" in client.get("/supervision/plans/").content.decode()
    assert "花园社区" in client.get("/supervision/inspections/").content.decode()
    assert client.get("/supervision/checklists/").status_code == 200


def test_inspector_flow_through_pages(
    client, inspector, teammate, node, village_staff, cadre, frozen
):
    client.force_login(inspector)
    r = client.post(
        "/supervision/plans/",
        {
            "title": "复工督查",
            "starts_on": "2020-02-10",
            "ends_on": "2020-02-20",
            "topics": ["checkpoints"],
        },
    )
    assert r.status_code == 302, r.content
    plan_url = r["Location"]
    r = client.post(
        plan_url,
        {"add_team": "1", "name": "二组", "leader": inspector.pk, "members": [teammate.pk]},
    )
    assert r.status_code == 302
    team = Inspection._meta.get_field("team").related_model.objects.get(name="二组")
    r = client.post(
        plan_url,
        {
            "schedule": "1",
            "team": team.pk,
            "node_code": HUAYUAN,
            "kind": "unannounced",
            "planned_on": "2020-02-11",
            "topics": ["checkpoints"],
            "subject": "王干部",
        },
    )
    assert r.status_code == 302, r.content.decode()[-2000:]
    insp = Inspection.objects.get(team=team)
    assert insp.subject == cadre
    url = f"/supervision/inspections/{insp.pk}/"
    assert client.post(url, {"results": "1", "o-checkpoints-0": "fail", "n-checkpoints-0": "无人"})
    assert insp.results.get(item_no=0).outcome == "fail"
    r = client.post(
        url, {"finding": "1", "description": "卡口空岗", "severity": "serious", "photo": png()}
    )
    assert r.status_code == 302
    f = insp.findings.get()
    assert f.photos.count() == 1
    client.force_login(village_staff)
    assert client.get(url).status_code == 404  # unannounced, not recorded
    client.force_login(inspector)
    client.post(url, {"record": "1", "summary": "暗访发现空岗"})
    r = client.post(
        f"/supervision/findings/{f.pk}/rectification/",
        {"owner_node_code": HUAYUAN, "requirement": "补齐夜班", "deadline": "2020-02-15"},
    )
    task = Rectification.objects.get(finding=f)
    assert client.post(f"/supervision/tasks/{task.pk}/", {"close": "1"}).status_code == 200
    task.refresh_from_db()
    assert task.status == "open"
    client.force_login(village_staff)
    assert client.get(url).status_code == 200
    client.post(f"/supervision/tasks/{task.pk}/", {"reply": "已补齐"})
    client.force_login(inspector)
    client.post(f"/supervision/tasks/{task.pk}/", {"verify": "1", "accepted": "1", "note": "ok"})
    client.post(f"/supervision/tasks/{task.pk}/", {"close": "1"})
    task.refresh_from_db()
    assert task.status == "closed"


def test_close_without_verification_message_in_english(world, client, inspector):
    client.force_login(inspector)
    r = client.post(
        f"/supervision/tasks/{world['task'].pk}/",
        {"close": "1"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "closed only after the inspector has verified it" in r.content.decode()


def test_commendation_and_case_pages(client, organisation, cadre, recorded_finding, frozen):
    client.force_login(organisation)
    r = client.post(
        "/supervision/commendations/",
        {
            "member": "王干部",
            "title": "优秀党员",
            "reason": "坚守",
            "decided_by": "organisation_department",
            "decided_on": "2020-02-10",
        },
    )
    assert r.status_code == 302
    from fangkong.supervision.models import AccountabilityDecision

    d = AccountabilityDecision.objects.get(code="written_inspection")
    r = client.post(
        "/supervision/cases/",
        {
            "member": "王干部",
            "decision": d.pk,
            "decided_by": "organisation_department",
            "decided_on": "2020-02-10",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 200
    assert "must rest on a finding" in r.content.decode()
    case = {
        "finding": "卡口无人",
        "member": "王干部",
        "decision": d.pk,
        "decided_by": "organisation_department",
        "decided_on": "2020-02-10",
    }
    r = client.post("/supervision/cases/", case)
    # Nothing is recorded yet: the confirmation page names the cadre and the finding.
    page = r.content.decode()
    assert r.status_code == 200 and "确认" in page
    assert "王干部 · — · 科级" in page and "卡口无人值守" in page
    assert not AccountabilityCase.objects.exists()
    hidden = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page.rsplit("<form", 1)[-1]))
    assert hidden["member"] == f"#{cadre.pk}" and hidden["finding"] == f"#{recorded_finding.pk}"
    r = client.post("/supervision/cases/", hidden)
    assert r.status_code == 302
    assert AccountabilityCase.objects.get().member == cadre


def test_checklist_edit_page(client, inspector):
    client.force_login(inspector)
    r = client.post(
        "/supervision/checklists/",
        {"topic": "clinical", "items": "预检分诊\n首诊负责", "active": "on"},
    )
    assert r.status_code == 302
    from fangkong.supervision.models import Checklist

    assert Checklist.objects.get(topic="clinical").items == ["预检分诊", "首诊负责"]


def test_grid_worker_cannot_open_case_page(client, grid_worker):
    client.force_login(grid_worker)
    assert client.get("/supervision/cases/").status_code == 403


def test_planned_day_outside_plan_is_refused(schedule):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        schedule("open", planned_on=DAY0 - dt.timedelta(days=1))


@pytest.mark.parametrize(
    "role,code,card",
    [
        ("discipline", "330602", "/supervision/"),
        ("organisation", "330602", "/supervision/commendations/"),
        ("village_staff", HUAYUAN, "/supervision/tasks/"),
    ],
)
def test_home_cards(client, make_user, role, code, card):
    client.force_login(make_user(role, code))
    r = client.get("/")
    assert r.status_code == 200 and f'href="{card}"' in r.content.decode()


def test_two_cadres_of_one_name_are_told_apart_before_a_sanction(
    client, organisation, cadre, recorded_finding, node, frozen
):
    from fangkong.mobilisation.models import Member
    from fangkong.supervision.models import AccountabilityDecision

    namesake = Member.objects.create(
        name="王干部", phone_masked="139****5678", cadre_rank="股级", path=node(HUAYUAN).path
    )
    client.force_login(organisation)
    d = AccountabilityDecision.objects.get(code="written_inspection")
    case = {
        "finding": f"#{recorded_finding.pk}",
        "member": "王干部",
        "decision": d.pk,
        "decided_by": "organisation_department",
        "decided_on": "2020-02-10",
    }
    page = client.post("/supervision/cases/", case).content.decode()
    assert "请在下面选择" in page
    assert f'value="#{namesake.pk}"' in page and "王干部 · 139****5678 · 股级" in page
    assert f'value="#{cadre.pk}"' in page
    confirm = client.post("/supervision/cases/", {**case, "member": f"#{namesake.pk}"})
    assert "王干部 · 139****5678 · 股级" in confirm.content.decode()
    assert not AccountabilityCase.objects.exists()
