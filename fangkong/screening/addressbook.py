"""Synthetic grid keys and addresses written as residents write them, with the answer.

`grid_keys` gives every grid of a tree realistic address keys: urban grids an estate
(some split by building ranges, some named after another town, like 柯岩花园 in a
东湖 community) and a stretch of a town street; rural grids a range of village groups
(组) and a natural village. `addresses` then writes addresses the way residents and
telecom pushes do: everyday village names (山前徐村, not 山前徐村委会), missing city or
county, town short names, estates and streets without the village, one-character typos,
full-width digits, and some addresses outside the city. The demo, the matching test and
the benchmark share it. Deterministic by seed; no database.
"""

import csv
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from fangkong.geo.names import everyday_forms, short_name
from fangkong.screening.matching import AddressMatcher, GridKey, Node

ESTATE_SUFFIXES = ("花园", "小区", "家园", "嘉苑", "华庭", "公寓", "名苑", "雅居")
STREET_WORDS = "解放 人民 中兴 胜利 环城 凤林 兴越 群贤 笛扬 金柯 湖西 鉴湖 越兴 复兴 建设 和平 振兴 光明 延安 府前"
STREET_SUFFIXES = ("路", "街", "大道")
NATURAL_SUFFIXES = ("坞", "岙", "湾", "畈", "埠", "溪头", "桥头", "山脚")
SURNAMES = "王李张陈刘杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
TYPO_CHARS = "东西南北山水江湖桥塘家里新华安平金石上下大小前后田"
FOREIGN = (
    "湖北省武汉市武昌区中南路{n}号",
    "上海市浦东新区张杨路{n}号",
    "杭州市萧山区城厢街道{n}号",
    "安徽省宿州市埇桥区{n}号",
    "河南省信阳市浉河区{n}号",
    "宁波市鄞州区中河街道{n}号",
)


@dataclass
class Place:
    """One village or community with its grids and the keys the generator gave them."""

    village: Node
    town: Node
    county: Node
    grids: list[int]
    urban: bool
    estates: list[tuple[str, int, int | None, int | None]] = field(default_factory=list)
    streets: list[tuple[str, int, int, int]] = field(default_factory=list)
    groups: list[tuple[int, int, int]] = field(default_factory=list)
    naturals: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Case:
    """A generated address and its answer: the village (None: outside the city) and the
    grid when the address carries a grid key."""

    address: str
    village_id: int | None
    grid_id: int | None
    style: str


def _is_urban(name: str) -> bool:
    return not name.endswith(("村委会", "村民委员会", "村"))


def grid_keys(  # noqa: C901, PLR0915
    nodes: list[Node], grids_of: dict[int, list[int]], seed: int
) -> tuple[list[Place], list[GridKey]]:
    """Keys for every grid of every village that has grids (one town's keys never give
    one estate, street number or group to two grids)."""
    rng = random.Random(seed)
    by_id = {n.id: n for n in nodes}
    villages_of: dict[int, list[Node]] = {}
    for n in nodes:
        if n.level == "village" and n.parent_id in by_id:
            villages_of.setdefault(n.parent_id, []).append(n)  # type: ignore[arg-type]
    towns = sorted((n for n in nodes if n.level == "town"), key=lambda n: n.code)
    shorts = [s for t in towns if (s := short_name(t.name, "town"))]
    streets_words = STREET_WORDS.split()
    places: list[Place] = []
    keys: list[GridKey] = []
    for town in towns:
        county = by_id[town.parent_id]  # type: ignore[index]
        used: set[str] = set()
        street_next: dict[str, int] = {}
        town_streets = [
            w + STREET_SUFFIXES[i % len(STREET_SUFFIXES)]
            for i, w in enumerate(rng.sample(streets_words, 3))
        ]
        own_short = short_name(town.name, "town") or ""
        for village in sorted(villages_of.get(town.id, []), key=lambda n: n.code):
            grids = grids_of.get(village.id, [])
            if not grids:
                continue
            place = Place(village, town, county, grids, _is_urban(village.name))
            forms = [f for f, _w in everyday_forms(village.name)]
            core = min(forms, key=len).removesuffix("村").removesuffix("社区")
            if place.urban:
                for i, grid in enumerate(grids):
                    stem = core if i == 0 else rng.choice(SURNAMES) + rng.choice("新金锦翠绿华")
                    if i == 1 and rng.random() < 0.5:
                        other = rng.choice([s for s in shorts if s != own_short] or [core])
                        stem = other  # an estate named after another town (柯岩花园 in 东湖)
                    name = _unique(stem, ESTATE_SUFFIXES, used, rng)
                    if name is None:
                        continue
                    if i == 0 and len(grids) > 2:
                        # A big estate split by buildings between the first two grids.
                        place.estates.append((name, grid, 1, 12))
                        place.estates.append((name, grids[1], 13, 24))
                        keys.append(GridKey(grid, "building", name, 1, 12))
                        keys.append(GridKey(grids[1], "building", name, 13, 24))
                    else:
                        place.estates.append((name, grid, None, None))
                        keys.append(GridKey(grid, "estate", name))
                street = rng.choice(town_streets)
                start = street_next.get(street, 1)
                for grid in grids:
                    place.streets.append((street, start, start + 49, grid))
                    keys.append(GridKey(grid, "street", street, start, start + 49))
                    start += 50
                street_next[street] = start
            else:
                for i, grid in enumerate(grids):
                    low, high = 3 * i + 1, 3 * i + 3
                    place.groups.append((low, high, grid))
                    keys.append(GridKey(grid, "group", "", low, high))
                    name = _unique(rng.choice(SURNAMES) + "家", NATURAL_SUFFIXES, used, rng)
                    if name is not None:
                        place.naturals.append((name, grid))
                        keys.append(GridKey(grid, "natural", name))
            places.append(place)
    return places, keys


def _unique(stem: str, suffixes: tuple[str, ...], used: set[str], rng: random.Random) -> str | None:
    for suffix in rng.sample(suffixes, len(suffixes)):
        name = stem + suffix
        if name not in used:
            used.add(name)
            return name
    return None


def _fullwidth(text: str) -> str:
    return text.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})


def _typo(word: str, rng: random.Random, known: set[str]) -> str | None:
    """`word` with one character of its stem replaced, unless that makes another key."""
    for _try in range(5):
        i = rng.randrange(0, max(1, len(word) - 1))
        typo = word[:i] + rng.choice(TYPO_CHARS) + word[i + 1 :]
        if typo != word and typo not in known:
            return typo
    return None


def addresses(places: list[Place], n: int, seed: int, foreign: float = 0.02) -> Iterator[Case]:
    """`n` addresses with their answers (see the module docstring for the styles)."""
    rng = random.Random(seed)
    known = {f for p in places for f, _w in everyday_forms(p.village.name)}
    for _i in range(n):
        if rng.random() < foreign:
            yield Case(rng.choice(FOREIGN).format(n=rng.randint(1, 999)), None, None, "foreign")
            continue
        p = places[rng.randrange(len(places))]
        yield write(p, rng, known)


def write(p: Place, rng: random.Random, known: set[str] | None = None) -> Case:  # noqa: C901
    """One address in `p` as a resident writes it (`known`: every village key, so a typo
    never makes another real name)."""
    known = known or set()
    forms = [f for f, w in everyday_forms(p.village.name) if w == 4]
    village = rng.choice(forms)
    town = p.town.name if rng.random() < 0.7 else (short_name(p.town.name, "town") or p.town.name)
    county = p.county.name
    head_roll = rng.random()
    if head_roll < 0.25:
        head = f"绍兴市{county}{town}"
    elif head_roll < 0.35:
        head = f"浙江省绍兴市{county}{town}"
    elif head_roll < 0.6:
        head = f"{county}{town}"
    elif head_roll < 0.99:
        head = town  # no city, no county
    else:
        head = county  # no town: placed only if the village name is unique in the county
    style = "village"
    grid: int | None = None
    roll = rng.random()
    if p.urban and p.estates and roll < 0.45:
        name, g, low, high = rng.choice(p.estates)
        building = rng.randint(low, high or low) if low is not None else rng.randint(1, 30)
        tail = (
            f"{name}{building}幢{rng.randint(1, 4)}单元{rng.randint(1, 18)}0{rng.randint(1, 4)}室"
        )
        with_village = rng.random() < 0.5
        body = f"{village}{tail}" if with_village else tail
        grid, style = g, "estate"
    elif p.urban and p.streets and roll < 0.65:
        street, low, high, g = rng.choice(p.streets)
        body = f"{street}{rng.randint(low, high)}号"
        if rng.random() < 0.3:
            body = village + body
        grid, style = g, "street"
    elif not p.urban and p.groups and roll < 0.45:
        low, high, g = rng.choice(p.groups)
        body = f"{village}{rng.randint(low, high)}组{rng.randint(1, 99)}号"
        grid, style = g, "group"
    elif not p.urban and p.naturals and roll < 0.6:
        name, g = rng.choice(p.naturals)
        body = (
            f"{village}{name}{rng.randint(1, 99)}号"
            if rng.random() < 0.6
            else f"{name}{rng.randint(1, 99)}号"
        )
        grid, style = g, "natural"
    else:
        body = f"{village}{rng.randint(1, 300)}号"
    if rng.random() < 0.01 and village in body:
        typo = _typo(village, rng, known)
        if typo is not None:
            body, style = body.replace(village, typo, 1), "typo"
    address = head + body
    if rng.random() < 0.1:
        address = _fullwidth(address)
    return Case(address, p.village.id, grid, style)


def for_grid(p: Place, grid: int, rng: random.Random, tries: int = 200) -> Case | None:
    """An address in `p` that carries a key of `grid` (for the demo grid's first tasks)."""
    for _try in range(tries):
        case = write(p, rng)
        if case.grid_id == grid and case.style != "typo":
            return case
    return None


def tree_nodes() -> tuple[list[Node], dict[int, list[int]]]:
    """The stored tree as matcher nodes, and the grids of each village."""
    from fangkong.geo.models import Division

    nodes = [
        Node(*row)
        for row in Division.objects.values_list("id", "code", "name", "level", "path", "parent_id")
    ]
    grids_of: dict[int, list[int]] = {}
    for n in sorted(nodes, key=lambda n: n.code):
        if n.level == "grid" and n.parent_id is not None:
            grids_of.setdefault(n.parent_id, []).append(n.id)
    return nodes, grids_of


def tree_from_file(path: Path, seed: int) -> tuple[list[Node], dict[int, list[int]]]:
    """The tree of a division list (level,code,name,parent_code) with 1–5 grids per
    village (for tests and benchmarks without a database)."""
    rng = random.Random(seed)
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    ids = {r["code"]: i for i, r in enumerate(rows, start=1)}
    paths: dict[str, str] = {}
    nodes = []
    for r in rows:
        parent = r["parent_code"] if r["parent_code"] in ids else None
        chain = (paths[parent] if parent else "") + r["code"] + "/"
        paths[r["code"]] = chain
        nodes.append(
            Node(ids[r["code"]], r["code"], r["name"], r["level"], chain, ids.get(parent or ""))
        )
    grids_of: dict[int, list[int]] = {}
    next_id = len(rows) + 1
    for v in [n for n in nodes if n.level == "village"]:
        for g in range(1, rng.choice((1, 2, 3, 3, 4, 5)) + 1):
            code = f"{v.code}G{g:02d}"
            nodes.append(Node(next_id, code, f"第{g}网格", "grid", f"{v.path}{code}/", v.id))
            grids_of.setdefault(v.id, []).append(next_id)
            next_id += 1
    return nodes, grids_of


def score(matcher: AddressMatcher, cases: list[Case]) -> dict:
    """The accuracy table: right village, right grid where a key is written, misplaced,
    queued (with or without candidates or a queue node)."""
    t: Counter = Counter()
    village_of = {g: v for v, gs in matcher.grids_of.items() for g in gs}
    for case in cases:
        r = matcher.match(case.address)
        t["total"] += 1
        t["inside"] += case.village_id is not None
        t["keyed"] += case.grid_id is not None
        if r.node_id is None:
            t["queued"] += 1
            if case.village_id is None:
                t["foreign_queued"] += 1
            else:
                t["queued_with_lead"] += bool(r.candidates or r.queue_id)
            continue
        village = village_of.get(r.node_id, r.node_id)
        if village != case.village_id:
            t["wrong_village"] += 1
            t["wrong:" + case.style] += 1
            continue
        t["right_village"] += 1
        if matcher.nodes[r.node_id].level == "grid":
            expected = case.grid_id
            if expected is None and len(matcher.grids_of.get(village, [])) == 1:
                expected = r.node_id
            if expected != r.node_id:
                t["wrong_grid"] += 1
                continue
        t["right_grid"] += case.grid_id is not None and r.node_id == case.grid_id
    return dict(t)
