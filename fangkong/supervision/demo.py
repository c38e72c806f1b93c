"""The demo step: a city inspection plan with a team, open and unannounced inspections
of Yuecheng communities (checklists answered, findings with photos), rectification
tasks — some verified and closed, some overdue and escalated to the town — and cadre
records: commendations and accountability cases on findings. Idempotent."""

import datetime as dt
import io
import random
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from fangkong.accounts.demo import staff_account
from fangkong.core import clock
from fangkong.geo.models import Division
from fangkong.supervision import actions
from fangkong.supervision.choices import Topic
from fangkong.supervision.models import AccountabilityDecision, InspectionPlan

TITLE = "疫情防控工作专项督查（演示）"
COUNTY = "330602"
FINDINGS = [
    ("checkpoints", "卡口夜间仅一人值守，未按要求测温登记", "serious"),
    ("screening", "重点地区来返人员排查台账未及时更新", "minor"),
    ("observation", "两名居家观察人员昨日未报告体温，无人核实", "serious"),
    ("supplies", "防护物资领用无签字记录", "minor"),
    ("public_information", "小区公告栏防控通告未更新", "minor"),
    ("mobilisation", "报名入列党员未排班上岗", "minor"),
]


def _photo(rng: random.Random, n: int) -> SimpleUploadedFile:
    img = Image.new("RGB", (640, 480), (rng.randrange(256), rng.randrange(256), 120))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return SimpleUploadedFile(f"evidence-{n}.png", buf.getvalue(), content_type="image/png")


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def seed_supervision(seed: int) -> str:
    if InspectionPlan.objects.filter(title=TITLE).exists():
        return "supervision plan, inspections and cadre records already present"
    city = Division.objects.filter(code="3306").first()
    county = Division.objects.filter(code=COUNTY).first()
    if city is None or county is None:
        return "no jurisdiction tree: supervision skipped"
    rng = random.Random(seed)
    inspector = staff_account("discipline", city, "supervision_demo")
    helper = staff_account("county_hq", county, "supervision_demo_county")
    organisation = staff_account("organisation", city, "supervision_demo_org")
    today = clock.today()
    start = today - dt.timedelta(days=14)
    villages = list(
        Division.objects.under(county.path).filter(level="village").order_by("code")[:10]
    )
    with clock.frozen(_at(start, 9)):
        plan = actions.create_plan(
            inspector,
            city,
            title=TITLE,
            starts_on=start,
            ends_on=today + dt.timedelta(days=14),
            topics=list(Topic.values),
        )
        team = actions.add_team(
            inspector, plan, name="第一督查组", leader=inspector, members=[helper]
        )
    counts = {"inspections": 0, "hidden": 0, "findings": 0, "tasks": 0, "overdue": 0, "closed": 0}
    findings_with_cadre = []
    for i, village in enumerate(villages):
        done = i < len(villages) - 2  # the last two are not done yet (one unannounced: hidden)
        found = _inspect(inspector, team, village, i, done, start, today, rng, counts)
        if found is not None:
            findings_with_cadre.append(found)
    cases = _accountability(inspector, findings_with_cadre, today)
    commended = _commendations(organisation, county, today)
    return (
        f"1 plan, {counts['inspections']} inspections ({counts['hidden']} unannounced not yet "
        f"recorded), {counts['findings']} findings, {counts['tasks']} rectification tasks "
        f"({counts['closed']} closed, {counts['overdue']} overdue), {commended} commendations, "
        f"{cases} accountability cases"
    )


def _inspect(
    inspector: Any,
    team: Any,
    village: Division,
    i: int,
    done: bool,
    start: dt.date,
    today: dt.date,
    rng: random.Random,
    counts: dict[str, int],
) -> Any:
    """One village inspected (when `done`): results, a finding with its photo and a
    rectification task followed up. The finding when it names a cadre, else None."""
    from fangkong.mobilisation.models import Member

    kind = "unannounced" if i % 2 else "open"
    day = start + dt.timedelta(days=1 + i)
    cadre = (
        Member.objects.under(village.path).filter(is_cadre=True).first()
        or Member.objects.under(village.path).first()
    )
    topics = rng.sample(list(Topic.values), 3)
    with clock.frozen(_at(start, 10)):
        insp = actions.schedule_inspection(
            inspector, team, village, kind=kind, planned_on=day, topics=topics, subject=cadre
        )
    counts["inspections"] += 1
    if not done:
        counts["hidden"] += kind == "unannounced"
        return None
    with clock.frozen(_at(day, 15)):
        answers = [
            (t, n, rng.choice(["pass", "pass", "pass", "fail", "na"]), "")
            for t, items in actions.checklist_items(insp)
            for n in range(len(items))
        ]
        actions.record_results(inspector, insp, answers)
        topic, text, severity = FINDINGS[i % len(FINDINGS)]
        if topic not in insp.topics:
            topic = ""
        f = actions.add_finding(
            inspector, insp, description=text, topic=topic, severity=severity, cadre=cadre
        )
        actions.add_photo(inspector, f, _photo(rng, i))
        counts["findings"] += 1
        actions.record_inspection(inspector, insp, f"检查{len(answers)}项，发现问题1个")
        task = actions.assign_rectification(
            inspector,
            f,
            owner_node=village,
            requirement=f"立即整改：{text}",
            deadline=day + dt.timedelta(days=3),
        )
        counts["tasks"] += 1
    _follow_up(inspector, village, i, day, today, task, counts)
    return f if cadre is not None else None


def _follow_up(
    inspector: Any,
    village: Division,
    i: int,
    day: dt.date,
    today: dt.date,
    task: Any,
    counts: dict[str, int],
) -> None:
    """A third closed after an on-the-spot check, a third answered and waiting, a third
    unanswered (overdue once past its deadline)."""
    staff = staff_account("village_staff", village, f"supervision_demo_v{i}")
    if i % 3 == 0:  # answered, verified on the spot, closed
        with clock.frozen(_at(day + dt.timedelta(days=2), 11)):
            actions.reply_rectification(staff, task, "已落实整改，补齐人员并建立台账")
        with clock.frozen(_at(day + dt.timedelta(days=3), 10)):
            actions.verify_rectification(inspector, task, accepted=True, note="现场复查属实")
            actions.close_rectification(inspector, task)
        counts["closed"] += 1
    elif i % 3 == 1:  # answered, waiting for the inspector
        with clock.frozen(_at(day + dt.timedelta(days=1), 16)):
            actions.reply_rectification(staff, task, "正在整改，已安排专人负责")
    elif task.deadline < today:  # no answer: overdue, escalated to the town
        counts["overdue"] += 1


def _accountability(inspector: Any, findings_with_cadre: list[Any], today: dt.date) -> int:
    """Accountability cases (问责) on the first two findings that name a cadre."""
    decisions = {d.code: d for d in AccountabilityDecision.objects.all()}
    cases = 0
    codes = ["admonishment_talk", "criticism_education"]
    for f, code in zip(findings_with_cadre[:2], codes, strict=False):
        if f.cadre is None or code not in decisions:
            continue
        actions.open_case(
            inspector,
            finding=f,
            member=f.cadre,
            decision=decisions[code],
            decided_by="discipline_inspection",
            decided_on=today - dt.timedelta(days=1),
            summary="履职不力，经研究作出处理",
        )
        cases += 1
    return cases


def _commendations(organisation: Any, county: Division, today: dt.date) -> int:
    """Commendations (表彰) of five members of the county."""
    from fangkong.mobilisation.models import Member

    commended = 0
    for m in Member.objects.under(county.path).order_by("pk")[:5]:
        actions.commend(
            organisation,
            member=m,
            title="抗疫一线优秀共产党员" if m.is_party_member else "抗疫一线先进个人",
            reason="连续坚守社区卡口，主动承担夜班值守",
            decided_by="organisation_department",
            decided_on=today - dt.timedelta(days=2),
        )
        commended += 1
    return commended
