"""The demo step of the public side: a published bulletin for every day of the demo's
outbreak (figures from the cases), rumours clarified, questions answered, open and
overdue (escalated), enterprises approved and waiting, schools filed, gatherings
handled. Idempotent: a second run finds its data and stops."""

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from fangkong.accounts.demo import staff_account
from fangkong.core import clock
from fangkong.geo.models import Division
from fangkong.public import actions, returns
from fangkong.public.choices import SchoolCheck
from fangkong.public.models import Enterprise, Rumour

MAX_DAYS = 60
RUMOURS = [
    (
        "喝高度白酒可以预防新冠病毒感染",
        "酒精不能预防新冠病毒感染，饮酒反而损害健康。",
        "国家卫生健康委员会",
    ),
    (
        "绍兴明天起全城封闭，所有超市关门",
        "生活必需品超市正常营业，请勿囤积抢购。",
        "绍兴市新冠肺炎防控指挥部",
    ),
    ("吸烟可以杀死新冠病毒", "吸烟不能预防感染，吸烟者感染后病情可能更重。", "世界卫生组织"),
]
QUESTIONS = [
    ("community", "小区实行封闭管理后，快递外卖怎么取？"),
    ("health", "家里老人有慢性病需要配药，可以去哪里？"),
    ("transport", "公交车什么时候恢复运营？"),
    ("economy", "小微企业复工需要准备哪些材料？"),
    ("education", "学校什么时候开学？网课怎么安排？"),
    ("market", "口罩在哪里可以买到？价格有规定吗？"),
]


def _at(day: dt.date, hour: int) -> dt.datetime:
    """`day` at `hour`, or now if that is still to come (a demo run before 09:00 stores
    no question or escalation later than the moment it runs)."""
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(hour))), clock.now())


def _outbreak_days(city: Division) -> list[dt.date]:
    from django.apps import apps

    if not apps.is_installed("fangkong.clinical"):
        return []
    from fangkong.clinical.models import Case

    stamps = Case.objects.filter(confirmed_at__isnull=False, person__path__startswith=city.path)
    first = stamps.order_by("confirmed_at").values_list("confirmed_at", flat=True).first()
    if first is None:
        return []
    start = timezone.localdate(first)
    end = clock.today() - dt.timedelta(days=1)
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    return days[-MAX_DAYS:]


@dataclass(frozen=True)
class _Cast:
    """The places and accounts of the public-side demo."""

    city: Division
    town: Division
    villages: list[Division]
    hq: Any
    county_hq: Any
    town_hq: Any
    staff: Any


def demo_step(seed: int) -> str:
    city = Division.objects.filter(level="city").order_by("code").first()
    if city is None:
        return "no city"
    if Rumour.objects.exists():
        return "already present"
    rng = random.Random(seed)
    hq = staff_account("city_hq", city, "public_demo_hq")
    county = Division.objects.filter(parent=city).order_by("code").first()
    town = Division.objects.filter(parent=county).order_by("code").first()
    assert county is not None and town is not None
    villages = list(Division.objects.under(town.path).filter(level="village")[:4])
    cast = _Cast(
        city=city,
        town=town,
        villages=villages,
        hq=hq,
        county_hq=staff_account("county_hq", county, "public_demo_county"),
        town_hq=staff_account("town_hq", town, "public_demo_town"),
        staff=staff_account("village_staff", villages[0], "public_demo_village"),
    )
    today = clock.today()
    published, refused = _bulletins(cast, today)
    _articles_and_rumours(cast)
    answered, overdue = _questions(cast, today, rng)
    made = _return_to_work(cast, today)
    _school_plans(cast, today)
    handled = _gatherings(cast, today)
    return (
        f"{published} bulletins published ({refused} refused), {len(RUMOURS)} rumours, "
        f"{len(QUESTIONS) * 2} questions ({answered} answered, {overdue} escalated), "
        f"{made} return-to-work applications, 2 school plans, {handled} gatherings handled"
    )


def _bulletins(cast: _Cast, today: dt.date) -> tuple[int, int]:
    """A bulletin for every day of the outbreak (or one from entered figures)."""
    hq, city = cast.hq, cast.city
    published = refused = 0
    for day in _outbreak_days(city):
        with clock.frozen(_at(day, 20)):
            try:
                b = actions.draft_bulletin(hq, city, day)
                actions.publish_bulletin(hq, b)
                published += 1
            except ValidationError:
                refused += 1
    if not published:  # no cases in the demo: one bulletin from entered figures
        with clock.frozen(_at(today, 8)):
            figures = [
                {"code": d.code, "name": d.name, "new": 0, "total": 0}
                for d in Division.objects.filter(parent=city).order_by("code")
            ]
            actions.publish_bulletin(hq, actions.draft_bulletin(hq, city, today, figures))
            published = 1
    return published, refused


def _articles_and_rumours(cast: _Cast) -> None:
    hq, county_hq, staff, city, villages = (
        cast.hq,
        cast.county_hq,
        cast.staff,
        cast.city,
        cast.villages,
    )
    actions.write_article(
        hq, city, "正确佩戴口罩", "佩戴前洗手；分清正反面；完全覆盖口鼻；4小时更换。"
    )
    actions.write_article(
        hq, city, "居家消毒指南", "每日开窗通风；门把手、手机等高频接触物品用75%酒精擦拭。"
    )
    for i, (text, truth, source) in enumerate(RUMOURS):
        r = actions.report_rumour(
            staff if i % 2 else None, city if i % 2 == 0 else villages[0], text
        )
        if i < 2:
            actions.clarify_rumour(hq if r.node == city else county_hq, r, truth, source)


def _questions(cast: _Cast, today: dt.date, rng: random.Random) -> tuple[int, int]:
    """Questions asked over three days, a third answered and rated, the rest escalated
    when overdue."""
    staff, town_hq, villages = cast.staff, cast.town_hq, cast.villages
    answered = overdue = 0
    for i, (dept, text) in enumerate(QUESTIONS * 2):
        node = villages[i % len(villages)]
        with clock.frozen(_at(today - dt.timedelta(days=(3, 2, 0)[i % 3]), 9 + i % 8)):
            q = actions.ask_question(node, dept, text)
        if i % 3 == 0:
            with clock.frozen(q.created_at + dt.timedelta(hours=3)):
                actions.answer_question(
                    staff if node == villages[0] else town_hq,
                    q,
                    "已转相关部门办理，详见社区公告。",
                    publish=True,
                )
                actions.rate_answer(q.ticket, rng.randint(3, 5))
            answered += 1
    with clock.frozen(_at(today, 8)):
        overdue = actions.escalate_overdue()
    return answered, overdue


def _return_to_work(cast: _Cast, today: dt.date) -> int:
    """Four applications to resume work: three submitted, two approved and published."""
    staff, town_hq, town, villages = cast.staff, cast.town_hq, cast.town, cast.villages
    Enterprise.objects.get_or_create(
        credit_code="91330600DEMO00001A", defaults={"name": "越城医用防护用品有限公司"}
    )
    resume = today + dt.timedelta(days=5)
    made = []
    for n, (company, code, size) in enumerate(
        [
            ("越城医用防护用品有限公司", "91330600DEMO00001A", 4),
            ("塔山食品加工厂", "91330600DEMO00002B", 3),
            ("华园物流有限公司", "91330600DEMO00003C", 5),
            ("城南五金厂", "91330600DEMO00004D", 2),
        ]
    ):
        app = returns.apply_to_resume(
            staff,
            villages[0],
            company,
            code,
            "企业联系人",
            "一、每日两次测温；二、设立临时隔离点；三、分餐错峰。",
            resume,
            [{"name": f"员工{k + 1}"} for k in range(size)],
        )
        if n < 3:
            for e in app.employees.all():
                returns.declare_health(e.token, 36.5, False, False, "green")
            returns.submit_application(staff, app)
        made.append(app)
    returns.decide_application(town_hq, made[0], True, "重点保障企业，同意复工")
    returns.decide_application(town_hq, made[1], True, "同意")
    returns.publish_batch(town_hq, town)
    return len(made)


def _school_plans(cast: _Cast, today: dt.date) -> None:
    staff, town_hq, villages = cast.staff, cast.town_hq, cast.villages
    for k, v in enumerate(villages[:2]):
        returns.file_school_plan(
            staff if v == villages[0] else town_hq,
            v,
            school=f"{v.name}小学",
            return_date=today + dt.timedelta(days=14),
            classes=12,
            students=480,
            staff=40,
            staff_declared=40 - k * 3,
            students_declared=460,
            contingency_plan="分批错峰返校；设立临时留观室；每日晨午检。",
            checklist=list(SchoolCheck.values) if k == 0 else ["plan", "masks"],
        )
    from fangkong.public.models import SchoolPlan

    ready = SchoolPlan.objects.under(villages[0].path).first()
    assert ready is not None
    returns.decide_school_plan(town_hq, ready, True)


def _gatherings(cast: _Cast, today: dt.date) -> int:
    staff, villages = cast.staff, cast.villages
    handled = 0
    for k, (kind, handling) in enumerate(
        [("wedding", "postponed"), ("funeral", "simplified"), ("banquet", "cancelled")]
    ):
        g = returns.report_gathering(
            None if k < 2 else staff,
            villages[0],
            kind=kind,
            source="reported" if k < 2 else "inspection",
            planned_on=today + dt.timedelta(days=k + 1),
            organiser="户主",
            venue="村文化礼堂",
            guests=60 + 20 * k,
        )
        returns.handle_gathering(staff, g, handling)
        if k == 0:
            returns.follow_up_gathering(staff, g, "已电话回访，婚期改至疫情结束后。")
        handled += 1
    return handled
