"""Deadline and supply notices, end to end: the situation is made through the domain
apps' own actions, the scheduled job runs with the clock moved forward, and the test
reads who was told what — once, in Chinese, and nobody of another jurisdiction."""

import datetime as dt

import pytest
from django.utils import timezone

from fangkong.core import clock
from fangkong.notify import schedule
from fangkong.notify.models import Notice
from tests import kit
from tests.conftest import (
    HUAYUAN,
    OTHER_TOWN_VILLAGE,
    TASHAN,
    YUECHENG,
    ZHUJI,
    ZHUJI_VILLAGE,
)
from tests.notify.conftest import DAY0, at

OTHER_TOWN = OTHER_TOWN_VILLAGE[:9]
ZHUJI_TOWN = ZHUJI_VILLAGE[:9]


def run(job: str, when: dt.datetime, run_commits) -> str:
    """The scheduler's run of one slot of `job` at `when` (the clock moved there), with
    the deliveries it enqueues sent."""
    with clock.frozen(when), run_commits():
        return schedule.run_slot(job, when)


def inbox(user) -> list[tuple[str, str]]:
    return [(n.kind, n.key) for n in Notice.objects.for_user(user).order_by("pk")]


# ------------------------------------------------------------------ rectification (C12)


@pytest.fixture
def rectification(make_user, node, make_person):
    """A recorded inspection of Huayuan community with a finding; the village's staff
    member owns the rectification, due three days later."""
    from fangkong.supervision import actions
    from tests.conftest import ensure_seeds

    ensure_seeds()
    inspector = make_user("discipline", YUECHENG)
    owner = make_user("village_staff", HUAYUAN, display_name="花园社区 李红")
    with clock.frozen(at(DAY0, 9)):
        insp = kit.scheduled_inspection(
            inspector,
            YUECHENG,
            HUAYUAN,
            starts_on=DAY0,
            title="春节期间疫情防控督查",
            name="第一督查组",
        )
        finding = actions.add_finding(
            inspector, insp, description="花园新村东门卡口夜间无人值守", topic="checkpoints"
        )
        actions.record_inspection(inspector, insp, "发现一个问题")
        task = actions.assign_rectification(
            inspector,
            finding,
            owner_node=node(HUAYUAN),
            owner_user=owner,
            requirement="东门卡口落实24小时值守并登记进出人员",
            deadline=DAY0 + dt.timedelta(days=3),
        )
    return task, owner, inspector


def test_rectification_owner_is_told_before_and_at_the_deadline_once(
    rectification, make_user, with_phone, run_commits, outbox
):
    task, owner, inspector = rectification
    with_phone(owner, "13905752233")
    colleague = make_user("village_staff", HUAYUAN)
    outsider = make_user("village_staff", ZHUJI_VILLAGE)
    zhuji_hq = make_user("county_hq", ZHUJI)
    # two days ahead: the deadline (end of DAY0+3) is more than the day's lead away
    assert run("escalations", at(DAY0 + dt.timedelta(days=2), 9), run_commits) == "done"
    assert not Notice.objects.filter(kind="rectification").exists()
    # the day of the deadline: one reminder to the owner, not to everyone at the node
    run("escalations", at(DAY0 + dt.timedelta(days=3), 9), run_commits)
    run("escalations", at(DAY0 + dt.timedelta(days=3), 9, 15), run_commits)
    assert inbox(owner) == [("rectification", f"rect:{task.pk}:before")]
    before = Notice.objects.get(kind="rectification")
    assert before.title == "整改期限2020-02-13：东门卡口落实24小时值守并登记进出人员"
    assert before.recipient_user == owner and before.subject_id == task.pk
    # the deadline passes: the notice "at" the deadline, once however often the job runs
    run("escalations", at(DAY0 + dt.timedelta(days=4), 0, 15), run_commits)
    run("escalations", at(DAY0 + dt.timedelta(days=4), 0, 30), run_commits)
    assert inbox(owner) == [
        ("rectification", f"rect:{task.pk}:before"),
        ("rectification", f"rect:{task.pk}:at"),
    ]
    after = Notice.objects.get(key=f"rect:{task.pk}:at")
    assert after.title == "整改已逾期（期限2020-02-13）：东门卡口落实24小时值守并登记进出人员"
    sms = [(phone, text.split(" http")[0]) for phone, _t, text, _k in outbox()]
    assert sms == [("13905752233", before.title), ("13905752233", after.title)]
    for other in (colleague, outsider, zhuji_hq, inspector):
        assert inbox(other) == []


def test_a_replied_rectification_is_not_chased(rectification, run_commits):
    from fangkong.supervision import actions

    task, owner, _inspector = rectification
    with clock.frozen(at(DAY0 + dt.timedelta(days=1), 10)):
        actions.reply_rectification(owner, task, "已安排社区干部和志愿者三班轮值，设登记台")
    run("escalations", at(DAY0 + dt.timedelta(days=3), 9), run_commits)
    run("escalations", at(DAY0 + dt.timedelta(days=4), 9), run_commits)
    assert not Notice.objects.filter(kind="rectification").exists()


# ------------------------------------------------------------------ care (C11)


def test_difficulty_owner_is_told_before_its_deadline(make_user, node, run_commits):
    from fangkong.care import actions as care
    from fangkong.care.models import Category
    from tests.care.conftest import ensure_categories

    ensure_categories()
    staff = make_user("village_staff", HUAYUAN)
    outsider = make_user("village_staff", ZHUJI_VILLAGE)
    with clock.frozen(at(DAY0, 9)):
        d = care.report_difficulty(
            staff,
            phone="139 0575 6677",
            reporter_name="赵丽",
            category=Category.objects.filter(active=True).order_by("order").first().code,
            description="丈夫在卡口值守，家中老人需要代购降压药",
            relation="family",
            node=node(HUAYUAN),
        )
        care.assign_owner(staff, d, staff)
    lead = dt.timedelta(minutes=240)
    run("escalations", d.deadline - lead - dt.timedelta(minutes=15), run_commits)
    assert inbox(staff) == []
    run("escalations", d.deadline - lead + dt.timedelta(minutes=1), run_commits)
    run("escalations", d.deadline - dt.timedelta(minutes=1), run_commits)
    assert inbox(staff) == [("care", f"care:{d.pk}:before")]
    due = timezone.localtime(d.deadline).strftime("%m-%d %H:%M")
    assert Notice.objects.get(kind="care").title == f"困难诉求须于{due}前办结"
    run("escalations", d.deadline + dt.timedelta(minutes=5), run_commits)
    assert inbox(staff) == [("care", f"care:{d.pk}:before"), ("care", f"care:{d.pk}:at")]
    assert Notice.objects.get(key=f"care:{d.pk}:at").title == f"困难诉求已逾期，应于{due}前办结"
    assert inbox(outsider) == []


# ------------------------------------------------------------------ public questions (C13)


def test_a_question_is_chased_at_its_node_then_at_the_node_it_is_escalated_to(
    make_user, node, run_commits
):
    from fangkong.public import actions as public

    tashan = make_user("town_hq", TASHAN)
    county = make_user("county_hq", YUECHENG)
    zhuji = make_user("county_hq", ZHUJI)
    with clock.frozen(at(DAY0, 9)):
        q = public.ask_question(node(TASHAN), "health", "塔山街道的隔离人员生活垃圾由谁上门收运？")
    day1 = DAY0 + dt.timedelta(days=1)
    assert q.due_at == at(day1, 9)
    run("escalations", at(day1, 7, 45), run_commits)
    assert inbox(tashan) == []
    run("escalations", at(day1, 8, 15), run_commits)
    run("escalations", at(day1, 8, 30), run_commits)
    town = node(TASHAN).pk
    assert inbox(tashan) == [("question", f"question:{q.pk}:{town}:before")]
    assert Notice.objects.get(kind="question").title == f"咨询{q.ticket}须于02-11 09:00前答复"
    # unanswered at its time limit: one level up, with a fresh limit, told at once
    run("escalations", at(day1, 9, 15), run_commits)
    run("escalations", at(day1, 9, 30), run_commits)
    q.refresh_from_db()
    assert q.escalated_to == node(YUECHENG)
    up = f"question:{q.pk}:{node(YUECHENG).pk}"
    assert inbox(county) == [("question", f"{up}:escalated")]
    due = timezone.localtime(q.due_at).strftime("%m-%d %H:%M")
    assert Notice.objects.get(key=f"{up}:escalated").title == (
        f"咨询{q.ticket}已升级至你单位，须于{due}前答复"
    )
    assert inbox(tashan) == [("question", f"question:{q.pk}:{town}:before")]
    assert inbox(zhuji) == []


# ------------------------------------------------------------------ reports upward (C8)


def test_report_upward_reminds_the_towns_that_have_not_submitted(make_user, node, run_commits):
    from fangkong.command import actions as command

    county = make_user("county_hq", YUECHENG)
    tashan = make_user("town_hq", TASHAN)
    other = make_user("town_hq", OTHER_TOWN)
    zhuji_town = make_user("town_hq", ZHUJI_TOWN)
    with clock.frozen(at(DAY0, 7)):
        template = command.create_report_template(
            county,
            node(YUECHENG),
            name="每日排查进展",
            level="town",
            deadline_time=dt.time(10, 0),
            fields=["当日排查人数", "新增居家观察人数"],
            starts_on=DAY0,
        )
        command.submit_report(
            tashan, template, node(TASHAN), DAY0, {"当日排查人数": 326, "新增居家观察人数": 4}
        )
    run("report-upward", at(DAY0, 7), run_commits)  # three hours ahead: nothing yet
    assert inbox(other) == []
    run("report-upward", at(DAY0, 8), run_commits)
    run("report-upward", at(DAY0, 9), run_commits)
    key = f"report:{template.pk}:{DAY0}:{node(OTHER_TOWN).pk}"
    assert inbox(other) == [("report_upward", f"{key}:before")]
    assert (
        Notice.objects.get(key=f"{key}:before").title == "报表“每日排查进展”须于02-10 10:00前报送"
    )
    run("report-upward", at(DAY0, 10), run_commits)
    assert inbox(other) == [("report_upward", f"{key}:before"), ("report_upward", f"{key}:at")]
    at_title = Notice.objects.get(key=f"{key}:at").title
    assert at_title == "报表“每日排查进展”已逾期，应于02-10 10:00前报送"
    # the town that reported, and a town of another county, hear nothing
    assert inbox(tashan) == [] and inbox(zhuji_town) == []
    # every other town of Yuecheng was told, each once per phase
    towns = node(YUECHENG).children.filter(level="town").count() - 1
    assert Notice.objects.filter(kind="report_upward").count() == 2 * towns


# ------------------------------------------------------------------ supplies (C10)


@pytest.fixture
def supplies_setup(make_user, node):
    from fangkong.supplies.models import Item, Warehouse
    from tests.supplies.conftest import ensure_catalogue

    ensure_catalogue()
    officer = make_user("supplies", YUECHENG)
    zhuji_officer = make_user("supplies", ZHUJI)
    return {
        "officer": officer,
        "zhuji_officer": zhuji_officer,
        "yuecheng": Warehouse.objects.create(
            name="越城区物资储备库", kind="county", node=node(YUECHENG)
        ),
        "zhuji": Warehouse.objects.create(name="诸暨市物资储备库", kind="county", node=node(ZHUJI)),
        "n95": Item.objects.get(standard="N95"),
        "rice": Item.objects.get(name="大米"),
    }


def test_a_county_running_short_is_told_even_when_the_city_is_not(
    supplies_setup, make_user, node, run_commits
):
    from fangkong.supplies.actions import ledger

    s = supplies_setup
    city = make_user("city_hq", "3306")
    yuecheng = make_user("county_hq", YUECHENG)
    zhuji = make_user("county_hq", ZHUJI)
    with clock.frozen(at(DAY0 - dt.timedelta(days=3), 10)):
        ledger.receive(
            s["officer"], s["yuecheng"], s["n95"], 200, source="purchase", batch_code="YC-0207"
        )
        ledger.receive(
            s["zhuji_officer"], s["zhuji"], s["n95"], 5000, source="donation", batch_code="ZJ-0207"
        )
        # 140 masks a week to the fever clinics: 20 a day, 60 left = 3 days < 7
        ledger.issue(s["officer"], s["yuecheng"], s["n95"], 140, reason="发热门诊领用")
    run("supply-alerts", at(DAY0, 9), run_commits)
    assert inbox(yuecheng) == [("supply_low", f"supply-low:{node(YUECHENG).pk}:{DAY0}")]
    assert Notice.objects.get(kind="supply_low").title == "低于保障天数：医用防护口罩"
    # the city's stock covers 253 days; Zhuji has not issued any
    assert inbox(city) == [] and inbox(zhuji) == []
    # the next run of the same day (a retried task, a caught-up slot) adds nothing
    with clock.frozen(at(DAY0, 9, 5)), run_commits():
        from fangkong.notify import senders

        assert senders.supply_alerts(DAY0) == 0


def test_a_price_alert_reaches_the_county_and_the_city_headquarters(
    supplies_setup, make_user, node, run_commits
):
    from fangkong.supplies.actions import prices
    from fangkong.supplies.models import Market

    s = supplies_setup
    city = make_user("city_hq", "3306")
    yuecheng = make_user("county_hq", YUECHENG)
    zhuji = make_user("county_hq", ZHUJI)
    market = Market.objects.create(name="塔山农贸市场", kind="market", node=node(TASHAN))
    with clock.frozen(at(DAY0, 8)):
        prices.set_baseline(s["officer"], s["rice"], node(YUECHENG), "5.00")
        report = prices.report_price(s["officer"], market, s["rice"], DAY0, "6.20")
    assert report.alert
    run("supply-alerts", at(DAY0, 9), run_commits)
    assert [k for k, _ in inbox(yuecheng)] == ["price_alert"]
    assert [k for k, _ in inbox(city)] == ["price_alert"]
    assert {n.title for n in Notice.objects.filter(kind="price_alert")} == {"今日价格预警1条"}
    assert inbox(zhuji) == []
    assert not Notice.objects.filter(kind="supply_low").exists()
