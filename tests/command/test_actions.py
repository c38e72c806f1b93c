import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fangkong.command import actions, metrics
from fangkong.command.models import DirectiveReceipt, ResponseLevel, Submission
from fangkong.core import clock
from fangkong.geo.models import Division
from tests import kit
from tests.command.conftest import DAY0, at
from tests.conftest import HUAYUAN, TASHAN

pytestmark = pytest.mark.django_db


def test_r18_levels_are_seeded_and_hq_adds_a_dated_one(city_hq, county_hq):
    assert actions.level_on(dt.date(2020, 2, 1)).grade == "I"
    assert actions.level_on(dt.date(2020, 3, 10)).grade == "II"
    assert actions.level_on(dt.date(2020, 4, 1)).grade == "III"
    actions.set_response_level(city_hq, dt.date(2020, 5, 2), "IV", "lowered")
    assert actions.level_on(dt.date(2020, 5, 3)).grade == "IV"
    assert ResponseLevel.objects.count() == 4
    with pytest.raises(PermissionDenied):
        actions.set_response_level(county_hq, dt.date(2020, 5, 3), "I")
    with pytest.raises(ValidationError) as e:
        actions.set_response_level(city_hq, dt.date(2020, 5, 3), "V")
    assert "grade" in e.value.message_dict


def test_directive_creates_receipts_for_every_node_of_the_levels(directive):
    yuecheng = Division.objects.get(code="330602")
    towns = Division.objects.under(yuecheng).filter(level="town").count()
    villages = Division.objects.under(yuecheng).filter(level="village").count()
    assert directive.receipts.count() == towns + villages
    assert set(directive.receipts.values_list("level", flat=True)) == {"town", "village"}


@pytest.mark.parametrize(
    ("recipients", "deadline", "field", "named"),
    [
        ({"levels": ()}, at(DAY0, 18), "recipients", ""),
        ({"node_codes": (TASHAN, "330681001")}, at(DAY0, 18), "nodes", "330681001"),
        ({"node_codes": (TASHAN,)}, at(DAY0, 8), "deadline", ""),
    ],
    ids=["without-recipients", "nodes-outside-the-subtree", "deadline-in-the-past"],
)
def test_directive_is_refused(county_hq, recipients, deadline, field, named):
    with clock.frozen(at(DAY0, 9)), pytest.raises(ValidationError) as e:
        kit.directive(title="t", text="x", by=county_hq, deadline=deadline, **recipients)
    assert field in e.value.message_dict
    assert named in e.value.message_dict[field][0]


def test_outsider_cannot_issue_in_another_county(zhuji_hq):
    with clock.frozen(at(DAY0, 9)), pytest.raises(PermissionDenied):
        kit.directive(title="t", text="x", by=zhuji_hq, deadline=at(DAY0, 18), levels=("town",))


def test_coverage_laggards_and_escalation(directive, county_hq, village_staff, make_user):
    tashan = DirectiveReceipt.objects.get(directive=directive, node__code=TASHAN)
    huayuan = DirectiveReceipt.objects.get(directive=directive, node__code=HUAYUAN)
    with clock.frozen(at(DAY0, 10)):
        actions.acknowledge(make_user("town_hq", TASHAN), tashan)
        actions.report_back(village_staff, huayuan, "已完成")
        with pytest.raises(ValidationError):
            actions.acknowledge(village_staff, huayuan)
    cov = metrics.directive_coverage(county_hq, directive)
    total = directive.receipts.count()
    assert (cov["total"].total, cov["total"].acknowledged, cov["total"].reported) == (total, 2, 1)
    assert cov["by_level"]["town"].acknowledged == 1
    assert cov["by_level"]["village"].reported == 1
    tashan_branch = dict((n.code, c) for n, c in cov["by_node"])[TASHAN]
    assert tashan_branch.acknowledged == 2  # the town and its village
    lag = list(metrics.laggards(county_hq, directive))
    assert huayuan not in lag and tashan in lag  # the town still owes its report back
    assert len(lag) == total - 1  # every recipient who has not reported back

    # Before the deadline nothing is escalated; after it every pending receipt goes up.
    assert actions.escalate_overdue(at(DAY0 + dt.timedelta(days=2), 17)) == 0
    n = actions.escalate_overdue(at(DAY0 + dt.timedelta(days=2), 19))
    assert n == total - 1
    tashan.refresh_from_db()
    assert tashan.escalated_to.code == "330602"
    village = (
        DirectiveReceipt.objects.filter(directive=directive, level="village")
        .exclude(pk=huayuan.pk)
        .first()
    )
    assert village.escalated_to == village.node.parent
    assert actions.escalate_overdue(at(DAY0 + dt.timedelta(days=3), 9)) == 0  # idempotent


def test_village_staff_cannot_answer_for_another_village(directive, make_user):
    other = DirectiveReceipt.objects.get(directive=directive, node__code="330602002001")
    with pytest.raises(PermissionDenied):
        actions.acknowledge(make_user("village_staff", HUAYUAN), other)


def test_submission_on_time_late_and_after_lock(template, make_user, node):
    town_user = make_user("town_hq", TASHAN)
    with clock.frozen(at(DAY0, 16)):
        s = actions.submit_report(town_user, template, node(TASHAN), DAY0, {"排查人数": 10})
    assert s.on_time and s.completeness == 0.5
    with clock.frozen(at(DAY0, 20)):  # a correction keeps the first timeliness
        s = actions.submit_report(
            town_user, template, node(TASHAN), DAY0, {"排查人数": 10, "隔离人数": 2}
        )
    assert s.on_time and s.completeness == 1.0
    with clock.frozen(at(DAY0 + dt.timedelta(days=1), 18)):
        late = actions.submit_report(
            town_user, template, node(TASHAN), DAY0 + dt.timedelta(days=1), {}
        )
    assert not late.on_time
    with clock.frozen(at(DAY0 + dt.timedelta(days=3), 17, 1)), pytest.raises(ValidationError) as e:
        actions.submit_report(town_user, template, node(TASHAN), DAY0 + dt.timedelta(days=2), {})
    assert "locked" in e.value.message_dict["period"][0]
    assert Submission.objects.count() == 2


def test_submission_refusals_name_the_field(template, county_hq, node):
    with clock.frozen(at(DAY0, 10)):
        with pytest.raises(ValidationError) as e:
            actions.submit_report(county_hq, template, node(HUAYUAN), DAY0, {})
        assert "node" in e.value.message_dict
        with pytest.raises(ValidationError) as e:
            actions.submit_report(
                county_hq, template, node(TASHAN), DAY0 - dt.timedelta(days=1), {}
            )
        assert "period" in e.value.message_dict
        with pytest.raises(ValidationError) as e:
            actions.submit_report(county_hq, template, node(TASHAN), DAY0, {"unknown": 1})
        assert "data" in e.value.message_dict


def test_reporting_rates_per_node_and_branch(template, county_hq, node):
    towns = list(Division.objects.under(node("330602")).filter(level="town").order_by("code"))
    with clock.frozen(at(DAY0, 16)):
        actions.submit_report(county_hq, template, towns[0], DAY0, {"排查人数": 1, "隔离人数": 0})
    with clock.frozen(at(DAY0, 19)):
        actions.submit_report(county_hq, template, towns[1], DAY0, {"排查人数": 1})
    with clock.frozen(at(DAY0 + dt.timedelta(days=1), 10)):  # day 2 not yet due
        r = metrics.reporting_rates(county_hq, template)
        late = metrics.late_nodes(county_hq, template, DAY0)
    assert r["periods"] == [DAY0]
    assert (r["total"].expected, r["total"].actual, r["total"].on_time) == (len(towns), 2, 1)
    by_node = {n.code: x for n, x in r["by_node"]}
    assert by_node[towns[0].code].timeliness_rate == 1.0
    assert by_node[towns[1].code].completeness == 0.5
    assert towns[0] not in late and towns[1] in late and len(late) == len(towns) - 1


def test_meeting_carries_open_decisions(county_hq, node):
    yuecheng = node("330602")
    m1 = actions.open_meeting(county_hq, yuecheng, DAY0)
    d1 = actions.record_decision(county_hq, m1, "加强卡口", county_hq, DAY0 + dt.timedelta(days=1))
    d2 = actions.record_decision(county_hq, m1, "统计物资", county_hq, DAY0)
    actions.close_decision(county_hq, d2, "已统计")
    m2 = actions.open_meeting(county_hq, yuecheng, DAY0 + dt.timedelta(days=1))
    assert list(m2.carried.all()) == [d1]
    assert any("加强卡口" in item for item in m2.agenda)
    with pytest.raises(ValidationError) as e:
        actions.open_meeting(county_hq, yuecheng, DAY0)
    assert "day" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        actions.record_decision(county_hq, m2, "x", county_hq, DAY0)
    assert "deadline" in e.value.message_dict


def test_targets_measures_and_task_forces(county_hq, village_staff, node, make_user):
    t = actions.create_target(
        county_hq,
        node("330602"),
        "两确保三争取",
        county_hq,
        [{"name": "新增确诊", "goal": 0, "direction": "at_most"}],
    )
    ind = t.indicators.get()
    with clock.frozen(at(DAY0, 9)):
        actions.record_indicator(county_hq, ind, DAY0, 3)
        actions.record_indicator(county_hq, ind, DAY0, 2)
        with pytest.raises(ValidationError):
            actions.record_indicator(county_hq, ind, DAY0 + dt.timedelta(days=1), 1)
    assert ind.values.get().value == 2
    with pytest.raises(ValidationError) as e:
        actions.create_target(county_hq, node("330602"), "x", county_hq, [])
    assert "indicators" in e.value.message_dict

    cl = actions.create_measure_list(
        county_hq, "三清一管好", "village", ["人员底数清", "管好重点人员"]
    )
    actions.mark_measure(village_staff, cl, node(HUAYUAN), 1, True)
    with pytest.raises(ValidationError):
        actions.mark_measure(village_staff, cl, node(HUAYUAN), 5, True)
    with pytest.raises(PermissionDenied):
        actions.mark_measure(village_staff, cl, node("330602002001"), 0, True)

    member = make_user("town_hq", TASHAN)
    tf = actions.create_task_force(
        county_hq, node("330602"), "医疗救治专班", county_hq, [member], "救治"
    )
    assert list(tf.members.all()) == [member]
    outsider = make_user("county_hq", "330681")
    with pytest.raises(ValidationError) as e:
        actions.create_task_force(
            county_hq, node("330602"), "排查专班", county_hq, [outsider], "排查"
        )
    assert "members" in e.value.message_dict
