"""The writes of supervision: plans, teams, recording, rectification, cadre records."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fangkong.supervision import actions
from fangkong.supervision.models import AccountabilityDecision, Checklist
from tests.conftest import GRID_A, GRID_Z, HUAYUAN
from tests.supervision.conftest import DAY0


def test_checklists_are_seeded_for_every_topic(db):
    from fangkong.supervision.choices import Topic

    assert set(Checklist.objects.values_list("topic", flat=True)) == set(Topic.values)
    assert all(c.items for c in Checklist.objects.all())
    assert AccountabilityDecision.objects.filter(code="admonishment_talk").exists()


def test_team_members_must_be_discipline_or_headquarters(inspector, plan, grid_worker):
    with pytest.raises(ValidationError) as e:
        actions.add_team(inspector, plan, name="第二组", leader=inspector, members=[grid_worker])
    assert "members" in e.value.message_dict


def test_inspection_outside_the_plan_area_is_refused(schedule):
    with pytest.raises(PermissionDenied):
        schedule("open", code=GRID_Z)


def test_results_are_saved_per_item(inspector, schedule):
    insp = schedule("open")
    n = actions.record_results(
        inspector, insp, [("screening", 0, "pass", ""), ("checkpoints", 1, "fail", "无登记")]
    )
    assert n == 2
    assert insp.results.get(topic="checkpoints").outcome == "fail"
    with pytest.raises(ValidationError):
        actions.record_results(inspector, insp, [("clinical", 0, "pass", "")])
    with pytest.raises(ValidationError):
        actions.record_results(inspector, insp, [("screening", 99, "pass", "")])


def test_only_the_team_records(schedule, county_hq):
    insp = schedule("open")
    with pytest.raises(PermissionDenied):
        actions.record_inspection(county_hq, insp)


def test_rectification_needs_a_recorded_inspection(inspector, schedule, node):
    insp = schedule("unannounced")
    f = actions.add_finding(inspector, insp, description="x")
    with pytest.raises(ValidationError) as e:
        actions.assign_rectification(inspector, f, owner_node=node(HUAYUAN), requirement="改")
    assert "finding" in e.value.message_dict


def test_close_is_refused_without_verification(inspector, recorded_finding, node, village_staff):
    task = actions.assign_rectification(
        inspector, recorded_finding, owner_node=node(HUAYUAN), requirement="安排值守"
    )
    assert task.deadline == DAY0 + dt.timedelta(days=7)  # the rule set's default
    with pytest.raises(ValidationError) as e:
        actions.close_rectification(inspector, task)
    assert "verified" in str(e.value)
    actions.reply_rectification(village_staff, task, "已安排三班值守")
    with pytest.raises(ValidationError) as e:
        actions.close_rectification(inspector, task)
    assert "verified" in str(e.value)
    with pytest.raises(ValidationError):
        actions.verify_rectification(inspector, task, accepted=False)  # needs a reason
    actions.verify_rectification(inspector, task, accepted=False, note="夜班仍空缺")
    assert task.status == "open" and task.rejections == 1
    actions.reply_rectification(village_staff, task, "夜班已补齐")
    actions.verify_rectification(inspector, task, accepted=True, note="现场核实")
    actions.close_rectification(inspector, task)
    assert task.status == "closed" and task.closed_at is not None


def test_only_the_inspector_verifies(inspector, recorded_finding, node, village_staff, county_hq):
    task = actions.assign_rectification(
        inspector, recorded_finding, owner_node=node(HUAYUAN), requirement="安排值守"
    )
    actions.reply_rectification(village_staff, task, "done")
    with pytest.raises(PermissionDenied):
        actions.verify_rectification(county_hq, task, accepted=True)


def test_owner_user_must_belong_to_owner_node(inspector, recorded_finding, node, make_user):
    other = make_user("village_staff", "330602002001")
    with pytest.raises(ValidationError) as e:
        actions.assign_rectification(
            inspector,
            recorded_finding,
            owner_node=node(GRID_A),
            owner_user=other,
            requirement="x",
        )
    assert "owner_user" in e.value.message_dict


def test_accountability_without_finding_is_refused(organisation, cadre, frozen):
    decision = AccountabilityDecision.objects.get(code="admonishment_talk")
    with pytest.raises(ValidationError) as e:
        actions.open_case(
            organisation,
            finding=None,
            member=cadre,
            decision=decision,
            decided_by="organisation_department",
            decided_on=DAY0,
        )
    assert e.value.message_dict["finding"] == [
        "An accountability case must rest on a finding of an inspection."
    ]


def test_accountability_on_a_finding(organisation, recorded_finding, cadre):
    decision = AccountabilityDecision.objects.get(code="admonishment_talk")
    case = actions.open_case(
        organisation,
        finding=recorded_finding,
        member=cadre,
        decision=decision,
        decided_by="organisation_department",
        decided_on=DAY0,
        summary="值守不力",
    )
    assert case.path == recorded_finding.path


def test_grid_worker_may_not_open_a_case(grid_worker, recorded_finding, cadre):
    decision = AccountabilityDecision.objects.get(code="criticism_education")
    with pytest.raises(PermissionDenied):
        actions.open_case(
            grid_worker,
            finding=recorded_finding,
            member=cadre,
            decision=decision,
            decided_by="discipline_inspection",
            decided_on=DAY0,
        )


def test_commend_member_or_organisation(organisation, cadre, frozen):
    c = actions.commend(
        organisation,
        member=cadre,
        title="优秀共产党员",
        reason="坚守卡口",
        decided_by="organisation_department",
        decided_on=DAY0,
    )
    assert c.path == cadre.path and str(c) == "优秀共产党员"
    with pytest.raises(ValidationError):
        actions.commend(
            organisation,
            title="x",
            reason="y",
            decided_by="organisation_department",
            decided_on=DAY0,
        )


def test_commend_outside_area_is_refused(zhuji_discipline, cadre, frozen):
    with pytest.raises(PermissionDenied):
        actions.commend(
            zhuji_discipline,
            member=cadre,
            title="x",
            reason="y",
            decided_by="discipline_inspection",
            decided_on=DAY0,
        )


def test_checklist_is_editable(inspector, frozen):
    cl = actions.save_checklist(inspector, "supplies", ["  台账清楚 ", "", "发放有签字"])
    assert cl.items == ["台账清楚", "发放有签字"]
    with pytest.raises(ValidationError):
        actions.save_checklist(inspector, "supplies", [""])
