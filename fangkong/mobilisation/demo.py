"""The demo step: units and Party organisations of Yuecheng, a few hundred members who
registered at the communities where they live (most confirmed, some waiting), a
checkpoint and a gate per community with three days of shifts, members rostered
within the rest rules (a few with a recorded override), and masks issued per shift
from the district warehouse when the supplies demo is there. Idempotent."""

import datetime as dt
import random
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError

from fangkong.core import clock
from fangkong.core.querysets import system_actor
from fangkong.geo.models import Division
from fangkong.mobilisation.actions import members as members_actions
from fangkong.mobilisation.actions import organisations, registration, rosters
from fangkong.mobilisation.actions import ppe as ppe_actions
from fangkong.mobilisation.models import Assignment, Member, PartyOrganisation, Post, Shift, Unit

COUNTY = "330602"
MARK = "越城区委组织部（演示）"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰文斌浩宇婷"
# Every village's posts: the name after the village's, the kind and the shifts.
POSTS = (
    ("卡口", {"kind": "checkpoint", "required_per_shift": 2, "shift_hours": 8}),
    (
        "小区大门",
        {"kind": "gate", "required_per_shift": 1, "shift_hours": 12, "first_shift_hour": 7},
    ),
)
UNITS = [
    ("越城区人民政府办公室", "office"),
    ("越城区卫生健康局", "office"),
    ("绍兴市越城区人民医院", "hospital"),
    ("越城区塔山中学", "school"),
    ("绍兴黄酒集团有限公司", "enterprise"),
]
OVERRIDE_REASONS = ["人手不足，本人自愿加班", "夜班人员临时发热，顶岗", "卡口车流高峰，临时增援"]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def run(seed: int, members: int = 300, villages: int = 8, days: int = 3) -> str:
    if Unit.objects.filter(name=MARK).exists():
        return (
            f"{PartyOrganisation.objects.count()} organisations, {Member.objects.count()} members, "
            f"{Assignment.objects.count()} assignments already present"
        )
    county = Division.objects.filter(code=COUNTY).first()
    if county is None:
        return "no jurisdiction tree: mobilisation skipped"
    rng = random.Random(seed)
    system = system_actor()
    pool = list(
        Division.objects.under(county.path).filter(level="village").order_by("code")[:villages]
    )
    if not pool:
        return "no communities: mobilisation skipped"
    organisations.save_unit(system, None, name=MARK, kind="office", node=county)
    committee = organisations.save_organisation(
        system, None, name="中共越城区委机关工作委员会", kind="committee", node=county
    )
    unit_orgs = []
    for name, kind in UNITS:
        unit = organisations.save_unit(system, None, name=name, kind=kind, node=county)
        unit_orgs.append(
            organisations.save_organisation(
                system,
                None,
                name=f"{name}党支部",
                kind="branch",
                node=county,
                parent=committee,
                unit=unit,
            )
        )
    village_orgs = {
        v.pk: organisations.save_organisation(
            system, None, name=f"{v.name}党总支", kind="general_branch", node=v, parent=committee
        )
        for v in pool
    }
    made: list[Member] = []
    pending = 0
    for i in range(members):
        home = rng.choice(pool)
        from_unit = rng.random() < 0.6
        org = rng.choice(unit_orgs) if from_unit else village_orgs[home.pk]
        is_cadre = from_unit and rng.random() < 0.4
        data = {
            "name": _name(rng),
            "phone": f"139{seed % 100:02d}{i:06d}",
            "is_party_member": rng.random() < 0.8,
            "is_cadre": is_cadre,
            "cadre_rank": rng.choice(["科员", "副科", "正科", "副处"]) if is_cadre else "",
            "is_medical": org.unit is not None and org.unit.kind == "hospital",
            "is_volunteer": not from_unit or rng.random() < 0.2,
            "skills": rng.choice(["", "驾驶", "测温", "心理疏导", "信息录入", "外语"]),
            "health_status": "healthy" if rng.random() < 0.95 else "limited",
        }
        member = members_actions.save_member(system, None, data, organisation=org, unit=org.unit)
        reg = registration.register(member, home)
        if rng.random() < 0.88:
            registration.confirm(system, reg)
            made.append(member)
        else:
            pending += 1
    today = clock.today()
    first = today - dt.timedelta(days=1)
    posts = [
        rosters.save_post(system, None, node=v, data={"name": f"{v.name}{suffix}", **post})
        for v in pool
        for suffix, post in POSTS
    ]
    for post in posts:
        rosters.plan_shifts(system, post, first, days)
    assigned, overridden = _roster(system, rng, posts, made)
    ppe = _ppe(system, today)
    return (
        f"{len(unit_orgs) + len(village_orgs) + 1} organisations, {members} members "
        f"({len(made)} confirmed, {pending} waiting), {len(posts)} posts, {assigned} assignments "
        f"({overridden} overridden), {ppe} PPE issues"
    )


def _roster(
    system: Any, rng: random.Random, posts: list[Post], made: list[Member]
) -> tuple[int, int]:
    by_village: dict[str, list[Member]] = {}
    for m in made:
        by_village.setdefault(m.path, []).append(m)
    assigned = overridden = 0
    for post in posts:
        people = by_village.get(post.path, [])
        if not people:
            continue
        for shift in Shift.objects.filter(post=post).order_by("starts_at"):
            want = shift.required - (1 if rng.random() < 0.12 else 0)  # leave a few gaps
            rng.shuffle(people)
            for m in people:
                if want <= 0:
                    break
                broken = rosters.check_assignment(m, shift)
                if broken:
                    if (
                        all(b.overridable for b in broken)
                        and overridden < 12
                        and rng.random() < 0.2
                    ):
                        rosters.assign(system, shift, m, rng.choice(OVERRIDE_REASONS))
                        overridden += 1
                        assigned += 1
                        want -= 1
                    continue
                rosters.assign(system, shift, m)
                assigned += 1
                want -= 1
    return assigned, overridden


def _ppe(system: Any, today: dt.date) -> int:
    if not apps.is_installed("fangkong.supplies"):
        return 0
    from fangkong.supplies.models import Item, Warehouse

    house = Warehouse.objects.under(f"3306/{COUNTY}/").order_by("pk").first()
    mask = Item.objects.filter(standard="YY 0469").first()
    if house is None or mask is None:
        return 0
    start, end = _bounds(today)
    n = 0
    for a in Assignment.objects.filter(
        starts_at__gte=start, starts_at__lt=end, shift__post__kind="checkpoint"
    ).select_related("shift__post")[:120]:
        try:
            ppe_actions.issue_ppe(system, a, mask, 2, house)
            n += 1
        except ValidationError:
            break  # stock ran short: the rest are left unissued
    return n


def _bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    from fangkong.mobilisation.figures import day_bounds

    return day_bounds(day)
