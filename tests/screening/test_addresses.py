"""The address matcher on 20,000 addresses written as residents write them, with the
known answer (pure functions: the real Shaoxing division list, synthetic grids and keys;
no database, so it runs in seconds)."""

import csv
import random
from collections import Counter
from pathlib import Path

import pytest

from fangkong.screening import addressbook
from fangkong.screening.matching import AddressMatcher, Node

DIVISIONS = (
    Path(__file__).resolve().parents[2] / "fangkong" / "geo" / "data" / "divisions-shaoxing.csv"
)


def shaoxing(seed: int = 3) -> tuple[list[Node], dict[int, list[int]]]:
    """The real tree from the division list, and 1–5 grids per village."""
    rng = random.Random(seed)
    with DIVISIONS.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    ids = {r["code"]: i for i, r in enumerate(rows, start=1)}
    paths: dict[str, str] = {}
    nodes = []
    for r in rows:
        parent = r["parent_code"] if r["parent_code"] in ids else None
        path = (paths[parent] if parent else "") + r["code"] + "/"
        paths[r["code"]] = path
        nodes.append(
            Node(ids[r["code"]], r["code"], r["name"], r["level"], path, ids.get(parent or ""))
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


def score(matcher: AddressMatcher, cases: list[addressbook.Case]) -> dict:
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


@pytest.fixture(scope="module")
def world():
    nodes, grids_of = shaoxing()
    places, keys = addressbook.grid_keys(nodes, grids_of, seed=11)
    return AddressMatcher(nodes, [], keys), places


def test_twenty_thousand_addresses_as_residents_write_them(world):
    matcher, places = world
    cases = list(addressbook.addresses(places, 20_000, seed=20200204))
    t = score(matcher, cases)
    assert t.get("wrong_village", 0) == 0, t
    assert t.get("wrong_grid", 0) == 0, t
    assert t["right_village"] / t["inside"] >= 0.995, t
    keyed_right = t.get("right_grid", 0)
    assert keyed_right / t["keyed"] >= 0.95, t
    # Every other row is queued: in the city with its candidates or the queue of the
    # node the evidence agrees on; outside the city, all of them.
    assert t["queued"] - t.get("foreign_queued", 0) == t.get("queued_with_lead", 0), t
    assert t["foreign_queued"] == t["total"] - t["inside"] > 0, t
