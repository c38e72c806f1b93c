"""Address matching (地址匹配) per address and its accuracy (issue 14 benchmark).

Builds the matcher over the real Shaoxing division list with 1–5 synthetic grids per
village and realistic grid keys (estates, buildings, street numbers, 组, natural
villages), generates N addresses written as residents write them (everyday village
names, missing city/county, town short names, estates named after other towns, typos,
full-width digits, 2 % outside the city) with the known answer, and prints µs per
address and the accuracy table: right village, right grid where the address carries a
grid key, misplaced (must be 0), queued (with candidates or a queue node).
No database. Usage: python benchmarks/address_matching.py [--addresses 100000]
"""

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from _db import machine  # noqa: E402

from fangkong.screening import addressbook  # noqa: E402
from fangkong.screening.matching import AddressMatcher  # noqa: E402

DIVISIONS = HERE.parent / "fangkong" / "geo" / "data" / "divisions-shaoxing.csv"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--addresses", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2020)
    args = parser.parse_args()
    print(machine())
    started = time.perf_counter()
    nodes, grids_of = addressbook.tree_from_file(DIVISIONS, seed=args.seed)
    places, keys = addressbook.grid_keys(nodes, grids_of, seed=args.seed)
    matcher = AddressMatcher(nodes, [], keys)
    built = time.perf_counter() - started
    cases = list(addressbook.addresses(places, args.addresses, seed=args.seed))
    texts = [c.address for c in cases]
    best = float("inf")
    for _run in range(3):
        t0 = time.perf_counter()
        for text in texts:
            matcher.match(text)
        best = min(best, time.perf_counter() - t0)
    t = addressbook.score(matcher, cases)
    inside, keyed = t.get("inside", 0), t.get("keyed", 0)
    print(
        f"matcher: {len(nodes):,} nodes, {len(keys):,} grid keys, built in {built:.2f} s; "
        f"{len(texts):,} addresses"
    )
    print(f"matching: {best / len(texts) * 1e6:.1f} µs per address (best of 3)")
    rows = [
        ("right village (of addresses in the city)", t.get("right_village", 0), inside),
        ("right grid (of addresses with a grid key)", t.get("right_grid", 0), keyed),
        ("placed in a wrong village", t.get("wrong_village", 0), inside),
        ("placed in a wrong grid", t.get("wrong_grid", 0), keyed),
        ("queued, in the city (with candidates or queue)", t.get("queued_with_lead", 0), inside),
        ("queued, outside the city", t.get("foreign_queued", 0), t["total"] - inside),
    ]
    print(f"{'':50} {'count':>8} {'of':>8} {'share':>8}")
    for label, n, of in rows:
        print(f"{label:50} {n:>8,} {of:>8,} {n / of if of else 0:>8.2%}")
    misses = {k: v for k, v in t.items() if k.startswith("wrong:")}
    if misses:
        print("misplaced by style:", misses)
    ok = not t.get("wrong_village") and not t.get("wrong_grid")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
