"""The demo's day of screening: address keys for every demo grid, yesterday's and this
morning's pushed lists across Shaoxing with addresses as residents write them (a few in
the demo grid worker's grid), imported through the real pipeline, a share visited. The
lists' key areas come from the dated risk-area list, where the demo puts Hubei as a
high-risk area on the demo's own dates (labelled as demo data)."""

import datetime as dt
import random

from django.utils import timezone

from fangkong.core import clock
from fangkong.core.querysets import system_actor
from fangkong.geo.models import Division, GridAddressKey
from fangkong.people.synthetic import Village, population
from fangkong.screening import actions, addressbook
from fangkong.screening.choices import Outcome
from fangkong.screening.importing import Pipeline
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


def _grid_keys(seed: int) -> dict[int, addressbook.Place]:
    """Every demo grid gets realistic keys (estates, buildings, street numbers, 组,
    natural villages) unless keys exist already; the places by village id."""
    nodes, grids_of = addressbook.tree_nodes()
    places, keys = addressbook.grid_keys(nodes, grids_of, seed)
    if not GridAddressKey.objects.exists():
        grids = Division.objects.only("id", "path").in_bulk({k.grid_id for k in keys})
        GridAddressKey.objects.bulk_create(
            GridAddressKey.place_all(
                GridAddressKey(
                    grid=grids[k.grid_id], kind=k.kind, text=k.text, low=k.low, high=k.high
                )
                for k in keys
            ),
            batch_size=2000,
            ignore_conflicts=True,
        )
    return {p.village.id: p for p in places}


def _rows(
    pool: list[Village],
    places: dict[int, addressbook.Place],
    n: int,
    seed: int,
    today: dt.date,
    latest: dt.datetime,
    home: tuple[addressbook.Place, int] | None = None,
) -> list[tuple[int, dict]]:
    """Pushed rows of persons arriving in the small hours of `today` or the day before,
    never after `latest` (local, naive): run after midnight, a row's arrival that is
    still to come today moves to the day before."""
    rng = random.Random(seed)
    village_of = {i: v for v in pool for i in (v.id, *v.grid_ids)}
    rows = []
    for i, p in enumerate(population(pool, n, seed, today), start=2):
        v = village_of.get(p["node_id"])
        place = places.get(v.id) if v else None
        address = addressbook.write(place, rng).address if place else p["address"]
        if home is not None and i < 8:  # the first rows live in the demo grid worker's grid
            case = addressbook.for_grid(home[0], home[1], rng)
            address = case.address if case else address
        if rng.random() < 0.01:
            address = "湖北省武汉市江汉区解放大道%d号" % rng.randint(1, 900)
        mode, number = rng.choice(TRANSPORT)
        arrived = dt.datetime.combine(
            today - dt.timedelta(days=rng.randint(0, 1)),
            dt.time(rng.randint(0, 7), rng.randint(0, 59)),
        )
        if arrived > latest:
            arrived -= dt.timedelta(days=1)
        rows.append(
            (
                i,
                {
                    "name": p["name"],
                    "id_number": p["id_number"],
                    "phone": p["phone"] or "139%08d" % rng.randrange(10**8),
                    "origin": rng.choice(ORIGINS),
                    "arrival_date": arrived.date().isoformat(),
                    "arrival_time": arrived.strftime("%H:%M"),
                    "transport": mode,
                    "transport_no": number.format(rng.randint(100, 9999)),
                    "address": address,
                },
            )
        )
    return rows


def _home(places: dict[int, addressbook.Place]) -> tuple[addressbook.Place, int] | None:
    """The demo grid worker's village and grid (the first grid of the first village of
    the first town of 越城区, as the demo accounts are placed)."""
    town = Division.objects.filter(parent__code="330602").order_by("code").first()
    village = Division.objects.filter(parent=town).order_by("code").first()
    grid = Division.objects.filter(parent=village, level="grid").order_by("code").first()
    if village is None or grid is None or village.pk not in places:
        return None
    return places[village.pk], grid.pk


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

    system = system_actor()
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


DEMO_SOURCE = "演示数据：2020 年湖北省高风险地区认定平移至演示日期（非真实通告）"


def _key_area(today: dt.date) -> str:
    """R14's key areas are the dated risk-area list: the demo replays 2020 on today's
    dates, so Hubei is a high-risk area from three weeks ago (the real 2020 designations
    are seeded by riskareas on their own dates)."""
    from django.core.exceptions import ValidationError

    from fangkong.riskareas import actions as riskareas
    from fangkong.riskareas.rules import level_on

    if level_on("42", today) == "high":
        return "already"
    system = system_actor()
    start = today - dt.timedelta(days=21)
    try:
        riskareas.add_area(
            system,
            {"code": "42", "risk": "high", "starts_on": start.isoformat(), "source": DEMO_SOURCE},
        )
    except ValidationError:  # a designation of Hubei already covers part of the period
        return "kept"
    return "added"


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
    # The morning's lists come in at 07:30; run before then, they come in now (a fact is
    # never stored with a time still to come, or the day's figures disagree).
    morning = min(timezone.make_aware(dt.datetime.combine(today, dt.time(7, 30))), now)
    latest = timezone.localtime(now).replace(tzinfo=None)
    yesterday = morning - dt.timedelta(days=1)
    _key_area(today)
    telecom, _c = ListSource.objects.get_or_create(
        node=city, name="电信推送（重点地区来绍）", defaults={"kind": "telecom"}
    )
    rail, _c = ListSource.objects.get_or_create(
        node=city, name="铁路旅客", defaults={"kind": "rail"}
    )
    places = _grid_keys(seed)
    home = _home(places)
    old_rows = _rows(pool, places, arrivals, seed + 1, today - dt.timedelta(days=1), latest)
    new_rows = _rows(pool, places, arrivals, seed + 2, today, latest, home)
    made = _push(telecom, f"电信推送-{yesterday:%Y%m%d}.xlsx", old_rows, yesterday, city)
    made += _push(rail, f"铁路旅客-{morning:%Y%m%d}.csv", new_rows[: arrivals // 3], morning, city)
    made += _push(telecom, f"电信推送-{morning:%Y%m%d}.xlsx", new_rows, morning, city)
    old = list(ScreeningTask.objects.filter(created_at__lt=morning, status="open"))
    fresh = list(
        ScreeningTask.objects.filter(created_at__gte=morning, status="open").exclude(
            node_id=home[1] if home else None
        )
    )
    visited = _visit(old, 0.9, rng, min(now, yesterday + dt.timedelta(hours=14)))
    if now > morning:
        visited += _visit(fresh, 0.5, rng, now)
    return f"{made} screening tasks from 3 pushed lists, {visited} visited"
