"""The demo's foundation, geo's part: Shaoxing's tree and 3–8 grids per village
(`fangkong demo` calls it first; geo, on the bottom floor, registers nothing)."""

import random
from collections.abc import Callable
from pathlib import Path

from fangkong.geo.choices import Level
from fangkong.geo.loaders import import_grids, load_divisions, read_csv
from fangkong.geo.models import Division

DIVISIONS = Path(__file__).resolve().parent / "data" / "divisions-shaoxing.csv"


def tree(seed: int, write: Callable[[str], None]) -> None:
    if not Division.objects.filter(code="3306").exists():
        write(f"jurisdictions: {load_divisions(read_csv(DIVISIONS))}")
    rng = random.Random(seed)
    if not Division.objects.filter(level=Level.GRID).exists():
        rows = []
        for v in Division.objects.filter(level=Level.VILLAGE).order_by("code"):
            for g in range(1, rng.randint(3, 8) + 1):
                rows.append(
                    {
                        "village_code": v.code,
                        "grid_code": str(g),
                        "name": f"第{g}网格",
                        "households": str(rng.randint(80, 400)),
                    }
                )
        write(f"grids: {import_grids(rows)}")
