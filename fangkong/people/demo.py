"""The demo's foundation, people's part: a synthetic population in the grids."""

import time
from collections.abc import Callable

from django.db import transaction

from fangkong.core import clock
from fangkong.core.demo_steps import Options
from fangkong.geo.choices import Level
from fangkong.geo.models import Division
from fangkong.people.bulk import bulk_register
from fangkong.people.models import Household, Person
from fangkong.people.synthetic import Village, population


def villages() -> list[Village]:
    names = dict(
        Division.objects.filter(level__in=[Level.COUNTY, Level.TOWN]).values_list("code", "name")
    )
    grids: dict[int, list[int]] = {}
    for gid, parent in Division.objects.filter(level=Level.GRID).values_list("id", "parent_id"):
        grids.setdefault(parent, []).append(gid)
    return [
        Village(
            v.id,
            v.code,
            v.name,
            names.get(v.code[:9], ""),
            v.code[:6],
            names.get(v.code[:6], ""),
            grids.get(v.id, []),
        )
        for v in Division.objects.filter(level=Level.VILLAGE).order_by("code")
    ]


def persons(options: Options, write: Callable[[str], None]) -> None:
    if Person.objects.exists() and not options.force:
        write(f"persons: {Person.objects.count()} already present; kept")
    else:
        _population(options.persons, options.seed, write)


@transaction.atomic
def _population(n: int, seed: int, write: Callable[[str], None]) -> None:
    started = time.monotonic()
    rows = list(population(villages(), n, seed, clock.today()))
    households: dict[str, tuple[str, int]] = {}
    for r in rows:
        households.setdefault(r["household_number"], (r["address"], r["node_id"]))
    paths = dict(
        Division.objects.filter(level__in=[Level.GRID, Level.VILLAGE]).values_list("id", "path")
    )
    Household.objects.bulk_create(
        [
            Household(number=k, address=a, node_id=nid, path=paths[nid])
            for k, (a, nid) in households.items()
        ],
        batch_size=5000,
    )
    ids = dict(Household.objects.filter(number__in=list(households)).values_list("number", "id"))
    for r in rows:
        r["household_id"] = ids[r.pop("household_number")]
    # A few people appear twice, as they do across pushed lists: same name and phone,
    # no ID on the second record — for the merge page to have real work.
    twins = [dict(r, id_number="", tags="待核重") for r in rows[7::997] if r["phone"]][:25]
    report = bulk_register(rows + twins, paths)
    write(
        f"persons: {report.accepted} registered, {len(report.rejected)} rejected, "
        f"{len(households)} households in {time.monotonic() - started:.1f} s"
    )
