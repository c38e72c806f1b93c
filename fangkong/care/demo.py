"""The demo step of care: difficulties in several villages in every state (open, in
hand, solved and rated, overdue and so escalated), and deeds submitted, returned,
rejected, published with photos, and commended. Idempotent: a second run stops."""

import datetime as dt
import io
import random
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from fangkong.accounts.demo import staff_account
from fangkong.care import actions
from fangkong.care.models import Deed, Difficulty
from fangkong.core import clock
from fangkong.geo.models import Division

STORIES = [
    ("childcare", "夫妻二人都在卡口值守，孩子在家无人照看，希望社区帮忙安排看护。"),
    ("elderly", "家中老人独居，腿脚不便，最近买菜配药有困难。"),
    ("necessities", "连续值班两周，家里米面油快用完了，没有时间采购。"),
    ("medical", "父亲患有高血压需要长期服药，药快吃完了，医院配药不方便。"),
    ("transport", "公交停运后每天上下班往返卡口距离较远，希望协调车辆接送。"),
    ("psychological", "连续夜班压力很大，睡眠不好，希望有人聊聊。"),
    ("other", "家里水管坏了，值班期间无法请假维修。"),
]
DEEDS = [
    (
        "坚守卡口二十天的老党员",
        "他主动请缨到村口卡口值守，二十天来每天测温登记过往车辆和人员，从未缺岗。",
    ),
    ("社区里的“跑腿小分队”", "志愿者们每天为居家观察的家庭代购生活物资、配送药品，风雨无阻。"),
    ("白衣战士的逆行", "发热门诊的医生连续工作，悉心照顾每一位就诊群众，用专业守护平安。"),
    ("村党支部的战斗堡垒", "村党支部组织党员分片包干，挨家挨户排查登记，做到不漏一户、不漏一人。"),
    ("深夜送药的网格员", "网格员接到居民求助后连夜联系药店，把降压药送到独居老人家中。"),
    ("企业复工的守护者", "企业党员带头落实防控措施，帮助员工有序返岗。"),
]


def _png(seed: int) -> SimpleUploadedFile:
    from PIL import Image

    rng = random.Random(seed)
    img = Image.new("RGB", (320, 200), (rng.randrange(256), rng.randrange(256), 120))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return SimpleUploadedFile(f"photo{seed}.png", buf.getvalue(), content_type="image/png")


def _members(village: Division) -> list[Any]:
    from fangkong.mobilisation.models import Member

    return list(Member.objects.filter(community=village, phone_enc__isnull=False)[:3])


def _difficulties(rng: random.Random, villages: list[Division]) -> int:
    now = clock.now()
    made = 0
    for vi, village in enumerate(villages):
        staff = staff_account("village_staff", village, f"care_staff_{village.code}")
        members = _members(village)
        for si in range(5):
            category, text = STORIES[(vi + si) % len(STORIES)]
            member = members[si] if si < len(members) else None
            phone = member.reveal_phone() if member else f"139{rng.randrange(10**8):08d}"
            name = (
                member.name
                if member
                else rng.choice("王李张刘陈杨赵黄周吴")
                + rng.choice(["建国", "秀英", "丽华", "志强", "海燕", "晓东"])
            )
            # Reported 0–8 days ago: the older unsolved ones are overdue (escalated).
            reported = now - dt.timedelta(days=[0, 1, 2, 5, 8][si], hours=rng.randrange(6))
            with clock.frozen(reported):
                d = actions.report_difficulty(
                    staff,
                    phone=phone,
                    reporter_name=name,
                    category=category,
                    description=text,
                    relation="family" if si % 2 else "self",
                    node=village,
                )
                if si >= 1:
                    actions.take_in_hand(staff, d)
            if si == 2 or (si == 4 and vi % 2 == 0):
                actions.solve(staff, d, "社区已安排专人上门解决，并留下联系方式随时跟进。")
                if si == 2:
                    actions.rate(
                        actions.phone_index(phone), d, rng.choice([4, 5]), "很及时，谢谢社区"
                    )
            made += 1
    return made


def _deeds(county: Division, villages: list[Division], seed: int) -> tuple[int, int]:
    from fangkong.mobilisation.models import Member, PartyOrganisation

    org_user = staff_account("organisation", county, f"care_org_{county.code}")
    decisions = ["publish", "publish", "publish", "return", "reject", None]
    commended = 0
    for i, (title, text) in enumerate(DEEDS):
        village = villages[i % len(villages)]
        members = Member.objects.order_by("pk")
        member = members.under(village.path).first() or members.under(county.path).first()
        org = PartyOrganisation.objects.under(county.path).order_by("pk").first()
        deed = actions.submit_deed(
            org_user,
            village,
            title=title,
            text=text,
            hero_name=member.name if member else (org.name if org else village.name),
            member=member if i % 2 == 0 else None,
            organisation=org if i % 2 == 1 else None,
            photos=[_png(seed + i)] if i < 4 else [],
        )
        decision = decisions[i]
        if decision is None:
            continue
        reason = "" if decision == "publish" else "事迹材料不够具体，请补充时间和细节。"
        actions.review_deed(org_user, deed, decision, reason)
        if decision == "publish" and i < 2 and (deed.member_id or deed.organisation_id):
            actions.commend_deed(
                org_user,
                deed,
                title="抗疫先进个人" if deed.member_id else "抗疫先进基层党组织",
                reason=f"事迹：{deed.title}",
                decided_by="organisation_department",
                decided_on=clock.today(),
            )
            commended += 1
    return len(DEEDS), commended


def demo_step(seed: int) -> str:
    if Difficulty.objects.exists() or Deed.objects.exists():
        return "already present"
    rng = random.Random(seed)
    county = Division.objects.filter(code="330602").first()
    if county is None:
        return "no Yuecheng district"
    pool = list(Division.objects.under(county.path).filter(level="village"))
    if not pool:
        return "no villages"
    villages = sorted(rng.sample(pool, min(8, len(pool))), key=lambda v: v.code)
    made = _difficulties(rng, villages)
    deeds, commended = _deeds(county, villages, seed)
    return f"{made} difficulties in {len(villages)} villages, {deeds} deeds ({commended} commended)"
