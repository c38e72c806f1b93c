"""The demo step: a target, task forces, a measures checklist, a directive to every town
and village with partial acknowledgement (overdue ones escalated), a daily report from
the towns with late and missing nodes, and today's meeting. Idempotent."""

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from fangkong.accounts.demo import staff_account
from fangkong.command import actions
from fangkong.command.models import (
    Directive,
    DirectiveReceipt,
    MeasureList,
    MeasureStatus,
    ReportTemplate,
)
from fangkong.core import clock
from fangkong.geo.models import Division

DIRECTIVE_TITLE = "关于全面落实“三清一管好”排查管控措施的通知"
REPORT_NAME = "每日防控动员情况报市委"


def _hq() -> Any:
    return staff_account("city_hq", Division.objects.get(code="3306"), "command_demo")


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def demo_step(seed: int) -> str:
    if Directive.objects.filter(title=DIRECTIVE_TITLE).exists():
        return "directives and reports already present"
    rng = random.Random(seed)
    hq = _hq()
    city = hq.node
    today = clock.today()
    actions.create_target(
        hq,
        city,
        "两确保三争取",
        hq,
        [
            {"name": "新增确诊病例", "unit": "例", "goal": 0, "direction": "at_most"},
            {"name": "排查任务按时完成率", "unit": "%", "goal": 95, "direction": "at_least"},
        ],
        "确保不发生大规模社区传播，确保医疗救治有序；争取早日清零",
    )
    actions.create_task_force(
        hq, city, "医疗救治专班", hq, [], "定点医院、床位、转运与救治专家组的统筹调度"
    )
    actions.create_task_force(
        hq, city, "排查管控专班", hq, [], "大数据推送名单下发、上门排查与隔离观察"
    )
    checklist = actions.create_measure_list(
        hq, "三清一管好", "village", ["人员底数清", "健康状况清", "管控措施清", "管好重点人员"]
    )
    villages = list(Division.objects.under(city).filter(level="village").order_by("code"))
    MeasureStatus.objects.bulk_create(  # demo data written in bulk: thousands of rows
        MeasureStatus.place_all(
            MeasureStatus(checklist=checklist, node=v, item=item, done=True, updated_by=hq)
            for v in villages[: len(villages) // 2]
            for item in range(len(checklist.items))
            if rng.random() < 0.7
        ),
        ignore_conflicts=True,
    )

    # A directive issued four days ago, due two days ago: partial acknowledgement.
    issued = _at(today - dt.timedelta(days=4), 9)
    with clock.frozen(issued):
        directive = actions.issue_directive(
            hq,
            city,
            title=DIRECTIVE_TITLE,
            text="各区、县（市）、乡镇（街道）、村（社区）：请于48小时内完成辖区内全部重点人员的上门排查，"
            "落实居家或集中医学观察措施，并反馈落实情况。",
            deadline=_at(today - dt.timedelta(days=2), 18),
            owner=hq,
            levels=["county", "town", "village"],
            ack_required=True,
            feedback_required=True,
        )
    receipts = list(directive.receipts.values_list("pk", flat=True))
    reported = [pk for pk in receipts if rng.random() < 0.45]
    acked = [pk for pk in receipts if pk not in set(reported) and rng.random() < 0.6]
    answered = issued + dt.timedelta(hours=20)
    DirectiveReceipt.objects.filter(pk__in=reported).update(
        received_at=answered,
        acknowledged_at=answered,
        acknowledged_by=hq,
        reported_at=answered,
        feedback="已完成辖区排查并落实管控措施",
    )
    DirectiveReceipt.objects.filter(pk__in=acked).update(
        received_at=answered, acknowledged_at=answered, acknowledged_by=hq
    )
    escalated = actions.escalate_overdue(clock.now())

    # A daily report expected from every town, for the last five days.
    start = today - dt.timedelta(days=5)
    with clock.frozen(_at(start - dt.timedelta(days=1), 9)):
        template = actions.create_report_template(
            hq,
            city,
            name=REPORT_NAME,
            level="town",
            deadline_time=dt.time(17, 0),
            fields=["排查人数", "隔离观察人数", "党员干部下沉人数", "困难问题"],
            starts_on=start,
            lock_after_hours=24,
        )
    towns = list(Division.objects.under(city).filter(level="town").order_by("code"))
    late = 0
    for day_no in range(5):
        period = start + dt.timedelta(days=day_no)
        for town in towns:
            roll = rng.random()
            if roll < 0.08:
                continue  # missing
            hour = 15 if roll < 0.8 else 20  # after 17:00 is late
            late += hour == 20
            data: dict[str, Any] = {
                "排查人数": rng.randint(50, 900),
                "隔离观察人数": rng.randint(0, 60),
            }
            if rng.random() < 0.8:
                data["党员干部下沉人数"] = rng.randint(10, 200)
            with clock.frozen(_at(period, hour, rng.randint(0, 59))):
                actions.submit_report(hq, template, town, period, data)

    meeting = actions.open_meeting(hq, city, today, "市疫情防控领导小组每日会商")
    actions.record_decision(
        hq, meeting, "对未反馈排查通知的乡镇逐一督办", hq, today + dt.timedelta(days=1)
    )
    acked_count = directive.receipts.filter(acknowledged_at__isnull=False).count()
    return (
        f"directive to {len(receipts)} organisations, {acked_count} acknowledged, {escalated} escalated; "
        f"report from {len(towns)} towns over 5 days, {late} late; "
        f"{MeasureList.objects.count()} checklist, {ReportTemplate.objects.count()} report template"
    )
