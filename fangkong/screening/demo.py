"""The demo's day of screening: yesterday's and this morning's pushed lists across
Shaoxing, imported through the real pipeline, and a share of the visits done."""

import datetime as dt
import random

from django.utils import timezone

from fangkong.core import clock
from fangkong.geo.models import Division
from fangkong.people.synthetic import Village, population
from fangkong.screening import actions
from fangkong.screening.choices import Outcome
from fangkong.screening.importing import Pipeline
from fangkong.screening.matching import short_name
from fangkong.screening.models import ListSource, PushedList, ScreeningTask

ORIGINS = ("湖北省武汉市", "湖北省孝感市", "广东省深圳市", "上海市", "河南省信阳市", "安徽省宿州市")
TRANSPORT = (("火车", "G{}"), ("飞机", "MU{}"), ("大巴", "浙D{}"), ("自驾", "鄂A{}"))
OUTCOMES = (
    [Outcome.CLEARED] * 85
    + [Outcome.HOME] * 8
    + [Outcome.CENTRAL] * 3
    + [Outcome.FEVER_CLINIC]
    + [Outcome.NOT_FOUND] * 2
    + [Outcome.MOVED]
)


def _villages() -> list[Village]:
    nodes = {d.pk: d for d in Division.objects.filter(level__in=["county", "town", "village"])}
    grids: dict[int, list[int]] = {}
    for gid, parent in Division.objects.filter(level="grid").values_list("id", "parent_id"):
        grids.setdefault(parent, []).append(gid)
    out = []
    for v in (d for d in nodes.values() if d.level == "village"):
        town = nodes[v.parent_id]  # type: ignore[index]
        county = nodes[town.parent_id]  # type: ignore[index]
        out.append(
            Village(v.pk, v.code, v.name, town.name, county.code, county.name, grids.get(v.pk, []))
        )
    return out


def _rows(pool: list[Village], n: int, seed: int, today: dt.date) -> list[tuple[int, dict]]:
    rng = random.Random(seed)
    village_of = {i: v for v in pool for i in (v.id, *v.grid_ids)}
    rows = []
    for i, p in enumerate(population(pool, n, seed, today), start=2):
        address = p["address"]
        if rng.random() < 0.3:
            address = address.removeprefix("绍兴市")
        v = village_of.get(p["node_id"])
        if v and rng.random() < 0.2:
            address = address.replace(v.town, short_name(v.town, "town") or v.town)
        if rng.random() < 0.01:
            address = "湖北省武汉市江汉区解放大道%d号" % rng.randint(1, 900)
        mode, number = rng.choice(TRANSPORT)
        rows.append(
            (
                i,
                {
                    "name": p["name"],
                    "id_number": p["id_number"],
                    "phone": p["phone"] or "139%08d" % rng.randrange(10**8),
                    "origin": rng.choice(ORIGINS),
                    "arrival_date": (today - dt.timedelta(days=rng.randint(0, 2))).isoformat(),
                    "arrival_time": "%02d:%02d" % (rng.randint(0, 23), rng.randint(0, 59)),
                    "transport": mode,
                    "transport_no": number.format(rng.randint(100, 9999)),
                    "address": address,
                },
            )
        )
    return rows


def _push(source: ListSource, name: str, rows: list, at: dt.datetime, city: Division) -> int:
    pushed = PushedList.objects.create(
        source=source, file_name=name, sha256=f"demo:{name}", node=city, status="done"
    )
    with clock.frozen(at):
        counts = Pipeline(pushed).feed(rows)
    pushed.counts = counts.as_dict()
    pushed.save(update_fields=["counts"])
    return counts.tasks


def _visit(tasks: list[ScreeningTask], share: float, rng: random.Random, day: dt.datetime) -> int:
    from fangkong.accounts.models import User

    system = User(is_superuser=True, is_active=True)
    done = 0
    for task in tasks:
        if rng.random() > share:
            continue
        outcome = rng.choice(OUTCOMES)
        data = {
            "outcome": outcome,
            "identity_checked": True,
            "phone_checked": True,
            "address_checked": True,
            "household_members": rng.randint(1, 5),
            "new_address": "诸暨市暨阳街道江东社区3号" if outcome == Outcome.MOVED else "",
        }
        at = min(task.created_at + dt.timedelta(minutes=rng.randint(20, 900)), day)
        with clock.frozen(at):
            actions.record_visit(system, task, data)
        done += 1
    return done


def run(seed: int, arrivals: int = 1500) -> str:
    """Idempotent: does nothing once the demo lists exist."""
    if PushedList.objects.filter(sha256__startswith="demo:").exists():
        return "screening demo already present"
    city = Division.objects.filter(code="3306").first()
    if city is None:
        return "no jurisdiction tree"
    pool = _villages()
    rng = random.Random(seed)
    now = clock.now()
    today = clock.today()
    morning = timezone.make_aware(dt.datetime.combine(today, dt.time(7, 30)))
    yesterday = morning - dt.timedelta(days=1)
    telecom, _c = ListSource.objects.get_or_create(
        node=city, name="电信推送（重点地区来绍）", defaults={"kind": "telecom"}
    )
    rail, _c = ListSource.objects.get_or_create(
        node=city, name="铁路旅客", defaults={"kind": "rail"}
    )
    old_rows = _rows(pool, arrivals, seed + 1, today - dt.timedelta(days=1))
    new_rows = _rows(pool, arrivals, seed + 2, today)
    made = _push(telecom, f"电信推送-{yesterday:%Y%m%d}.xlsx", old_rows, yesterday, city)
    made += _push(rail, f"铁路旅客-{morning:%Y%m%d}.csv", new_rows[: arrivals // 3], morning, city)
    made += _push(telecom, f"电信推送-{morning:%Y%m%d}.xlsx", new_rows, morning, city)
    old = list(ScreeningTask.objects.filter(created_at__lt=morning, status="open"))
    fresh = list(ScreeningTask.objects.filter(created_at__gte=morning, status="open"))
    visited = _visit(old, 0.9, rng, min(now, yesterday + dt.timedelta(hours=14)))
    if now > morning:
        visited += _visit(fresh, 0.5, rng, now)
    return f"{made} screening tasks from 3 pushed lists, {visited} visited"
