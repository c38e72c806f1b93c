"""Address → grid matching on 10,000 generated addresses with a known answer (the real
Shaoxing tree, the synthetic population), end to end through the import pipeline."""

import random

import pytest

from fangkong.core import clock
from fangkong.geo.models import Division
from fangkong.geo.names import short_name
from fangkong.people import synthetic
from fangkong.screening.importing import Pipeline
from fangkong.screening.matching import load_matcher
from fangkong.screening.models import ExceptionItem, ListSource, PushedList, PushedRow

FOREIGN = (
    "湖北省武汉市武昌区中南路{n}号",
    "上海市浦东新区世纪大道{n}号",
    "杭州市西湖区文三路{n}号",
)


def villages() -> list[synthetic.Village]:
    nodes = {d.pk: d for d in Division.objects.filter(level__in=["county", "town", "village"])}
    grids: dict[int, list[int]] = {}
    for g in Division.objects.filter(level="grid"):
        grids.setdefault(g.parent_id, []).append(g.pk)
    out = []
    for v in (d for d in nodes.values() if d.level == "village"):
        town = nodes[v.parent_id]
        county = nodes[town.parent_id]
        out.append(
            synthetic.Village(
                v.pk, v.code, v.name, town.name, county.code, county.name, grids.get(v.pk, [])
            )
        )
    return out


def noisy(address: str, v: synthetic.Village, rng: random.Random) -> tuple[str, bool]:
    """Officials' addresses: missing prefixes, short town names, foreign places.
    Returns (address, whether it lies in Shaoxing)."""
    r = rng.random()
    if r < 0.02:
        return rng.choice(FOREIGN).format(n=rng.randint(1, 999)), False
    if r < 0.25:
        return address.removeprefix("绍兴市"), True
    if r < 0.45:
        return address.removeprefix(f"绍兴市{v.county}"), True
    if r < 0.60:
        return address.replace(v.town, short_name(v.town, "town") or v.town), True
    if r < 0.65:
        return "浙江省" + address, True
    return address, True


@pytest.mark.django_db
def test_ten_thousand_addresses(node):
    rng = random.Random(20200204)
    pool = villages()
    rows, expected = [], {}
    seen: set[str] = set()
    village_of = {i: v for v in pool for i in (v.id, *v.grid_ids)}
    for row in synthetic.population(pool, 10_400, seed=7, today=clock.today()):
        key = row["id_number"] or row["phone"] or row["name"]
        if key in seen or len(rows) == 10_000:
            continue  # the generator may repeat an ID: keep one person per identity
        seen.add(key)
        i = len(rows) + 2
        v = village_of[row["node_id"]]
        address, inside = noisy(row["address"], v, rng)
        phone = row["phone"] or f"139{i:08d}"
        rows.append(
            (
                i,
                {
                    "name": row["name"],
                    "id_number": row["id_number"],
                    "phone": phone,
                    "address": address,
                },
            )
        )
        expected[i] = v if inside else None
    source = ListSource.objects.create(name="地址测试", kind="other", node=node("3306"))
    pushed = PushedList.objects.create(source=source, file_name="t", sha256="t", node=node("3306"))
    counts = Pipeline(pushed, load_matcher()).feed(rows)
    assert counts.total == 10_000 and counts.rejected == 0

    correct = wrong = 0
    by_row = {r.row_no: r for r in PushedRow.objects.filter(pushed_list=pushed)}
    assert len(by_row) + counts.duplicates == 10_000
    for row_no, row in by_row.items():
        v = expected[row_no]
        if row.placement == "exception":
            correct += v is None
            continue
        if v is not None and row.path.startswith(node(v.code).path):
            correct += 1
        else:
            wrong += 1
    assert wrong == 0, "every miss must be in the exceptions queue, not in a wrong grid"
    assert correct / len(by_row) >= 0.99
    unplaced = sum(1 for r in by_row.values() if r.placement == "exception")
    assert ExceptionItem.objects.count() == unplaced > 0
