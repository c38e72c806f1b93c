"""Person registry at city scale (Foundation issue benchmark), on PostgreSQL.

1. bulk-load N persons (default 1,000,000) read lazily from a CSV file through the same
   validation, encryption and blind index as registration (people.bulk.copy_register:
   prepared on worker processes partitioned by identity, COPY of plain tuples by the
   parent); wall time, CPU per row (loader + workers), resident memory at 100,000 rows
   and at the end, and the limits (COPY rows/s, AES-GCM+HMAC per core) beside it;
2. lookup by resident ID (HMAC + index), p50 / p95;
3. a village's person list page (the real view, ~2,000 persons in the village), p95 and
   the number of SQL queries per page;
4. loading the Zhejiang division file (27,035 rows).

With --residents, instead: the path a user takes (`fangkong load_residents`, the page and
the API's `screening.residents.load_residents`) on the same population written as a
household register — Chinese headers, GBK, addresses as the synthetic city writes them,
no node ids — read, placed by address, and registered through the same bulk load.

Usage: DATABASE_URL=postgres://… python benchmarks/people.py [--rows N] [--workers W]
       [--load-only | --residents]
"""

import argparse
import datetime as dt
import os
import random
import time
from collections.abc import Iterator
from pathlib import Path

from _db import ROOT, machine, percentile, setup_django, use_bench_database
from _limits import (
    Row,
    RssSampler,
    copy_rate,
    cpu_seconds_tree,
    crypto_rate,
    inserted_counts,
    load_check,
    peak_rss_mib,
    postgres_cpu_seconds,
    same_rows_cost,
    table,
)

ZHEJIANG = ROOT / "fangkong" / "geo" / "data" / "divisions-zhejiang.csv"


def write_input(path: Path, n: int) -> None:
    """The synthetic population as a CSV file (not timed): the load reads it lazily."""
    import csv

    from fangkong.core import clock
    from fangkong.people.demo import villages
    from fangkong.people.synthetic import population

    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(FIELDS)
        for row in population(villages(), n, 1000, clock.today()):
            w.writerow([row[f] for f in FIELDS])


FIELDS = ["name", "sex", "id_number", "phone", "birth_date", "address", "node_id"]
FIELDS += ["registered_residence", "occupation", "tags"]


def read_input(path: Path, sampler: RssSampler) -> Iterator[dict]:
    import csv

    with path.open(newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=1):
            if n == 100_000:
                sampler.mark("at 100,000 rows")
            row["node_id"] = int(row["node_id"])  # type: ignore[assignment]
            row["birth_date"] = dt.date.fromisoformat(row["birth_date"])  # type: ignore[assignment]
            yield row


def bulk_load(args: argparse.Namespace) -> int:
    """1. the bulk load: wall, CPU per row (loader + workers), memory, limits."""
    from fangkong.geo.models import Division
    from fangkong.people.bulk import copy_register

    work = ROOT / "var" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    path = work / f"people-{args.rows}.csv"
    t = time.perf_counter()
    write_input(path, args.rows)
    print(f"input: {args.rows:,} rows written in {time.perf_counter() - t:.0f} s (not timed)")
    paths = dict(Division.objects.filter(level__in=["grid", "village"]).values_list("id", "path"))
    sampler = RssSampler()
    sampler.mark("before")
    inserted0 = inserted_counts()
    cpu0, db0 = cpu_seconds_tree(), postgres_cpu_seconds()
    with sampler:
        started = time.perf_counter()
        report = copy_register(read_input(path, sampler), paths, workers=args.workers)
        elapsed = time.perf_counter() - started
        sampler.mark("at the end")
    cpu, db1 = cpu_seconds_tree() - cpu0, postgres_cpu_seconds()
    inserted = {t: n - inserted0.get(t, 0) for t, n in inserted_counts().items()}
    peak_self, peak_child = peak_rss_mib()
    rate = args.rows / elapsed
    print(
        f"bulk load: {report.accepted:,} persons ({len(report.rejected):,} rejected) in "
        f"{elapsed:.1f} s wall = {rate:,.0f} rows/s with {args.workers} worker(s); CPU "
        f"(loader + workers, PostgreSQL not included) {cpu:.1f} s = "
        f"{cpu / args.rows * 1e6:,.1f} µs per row = {args.rows / cpu:,.0f} rows per CPU-second"
    )
    if db0 is not None and db1 is not None:
        db = db1 - db0
        print(
            f"  PostgreSQL (every server process: the load's connections, the WAL writer, "
            f"checkpointer, autovacuum): {db:.1f} CPU-s = {db / args.rows * 1e6:,.1f} µs per "
            f"row; all together {(cpu + db) / args.rows * 1e6:,.1f} µs per row, "
            f"{(cpu + db) / elapsed:.2f} of the 2 cores busy"
        )
    print(f"  {sampler.describe()}; peak RSS loader {peak_self:,.0f} MiB, "
          f"largest worker {peak_child:,.0f} MiB")  # fmt: skip
    copy = copy_rate(min(args.rows, 200_000))
    crypto = crypto_rate(min(args.rows, 100_000))
    # A person row encrypts and indexes its resident ID and (most) its phone: two per row.
    # The floor: the load's own rows written again by COPY into tables like theirs, and
    # that with the cipher, on the machine's cores.
    same = same_rows_cost(inserted)
    unchecked = same_rows_cost(inserted, foreign_keys=False)
    cores = os.cpu_count() or 1
    floor = same.cpu / args.rows + 2 / crypto
    print(
        f"the floor per row: writing it {same.cpu / args.rows * 1e6:,.1f} µs + cipher "
        f"{2 / crypto * 1e6:,.1f} µs = {floor * 1e6:,.1f} µs of CPU; {cores} cores → "
        f"{cores / floor:,.0f} rows/s (without the foreign-key checks: writing "
        f"{unchecked.cpu / args.rows * 1e6:,.1f} µs, "
        f"{cores / (unchecked.cpu / args.rows + 2 / crypto):,.0f} rows/s)"
    )
    table(
        [
            Row("person bulk load vs COPY", "≥ 50,000/s", rate, copy, note="plain table"),
            Row(
                "person bulk load vs crypto",
                "≥ 50,000/s",
                rate,
                crypto * args.workers / 2,
                note=f"2 per row on {args.workers} core(s)",
            ),
            Row(
                "person bulk load vs its own rows written",
                "≥ 50,000/s",
                rate,
                args.rows / same.wall,
                note=f"{same.rows:,} rows by COPY into tables like theirs, one stream",
            ),
            Row(
                "person bulk load vs its floor",
                "≥ 50,000/s",
                rate,
                cores / floor,
                note=f"its rows written + cipher, CPU on {cores} cores",
            ),
        ]
    )
    return report.accepted


RESIDENT_HEADERS = ["姓名", "身份证号", "手机号", "性别", "出生日期", "现住址", "户籍地", "职业"]


def residents_load(args: argparse.Namespace) -> None:
    """The user's path: a GBK household register placed by address and registered."""
    import csv

    from fangkong.core import clock
    from fangkong.geo.models import Division
    from fangkong.people.demo import villages
    from fangkong.people.synthetic import population
    from fangkong.screening.residents import load_residents

    work = ROOT / "var" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    path = work / f"residents-{args.rows}.csv"
    t = time.perf_counter()
    with path.open("w", encoding="gb18030", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(RESIDENT_HEADERS)
        for row in population(villages(), args.rows, 1000, clock.today()):
            sex = {"M": "男", "F": "女"}.get(row["sex"], "")
            w.writerow(
                [row["name"], row["id_number"], row["phone"], sex, row["birth_date"]]
                + [row["address"], row["registered_residence"], row["occupation"]]
            )
    print(f"input: {args.rows:,} rows in GBK written in {time.perf_counter() - t:.0f} s")
    city = Division.objects.get(code="3306")
    cpu0, db0 = cpu_seconds_tree(), postgres_cpu_seconds()
    started = time.perf_counter()
    loaded = load_residents(path, city, workers=args.workers)
    elapsed = time.perf_counter() - started
    cpu, db1 = cpu_seconds_tree() - cpu0, postgres_cpu_seconds()
    path.unlink()
    print(
        f"residents from a list: {loaded} in {elapsed:.1f} s wall = "
        f"{args.rows / elapsed:,.0f} rows/s with {args.workers} worker(s); CPU (loader + "
        f"workers) {cpu / args.rows * 1e6:,.1f} µs per row"
        + (
            f", PostgreSQL {(db1 - db0) / args.rows * 1e6:,.1f} µs per row"
            if db0 is not None and db1 is not None
            else ""
        )
    )
    placed = Division.objects.filter(level__in=["village", "grid"]).count()
    from collections import Counter

    fields = Counter(field for _row, field, _why in loaded.refused)
    print(
        f"  refused: {len(loaded.refused):,} by field {dict(fields)} (placed among "
        f"{placed:,} villages and grids); e.g. {loaded.refusals[:3]}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", "--persons", dest="rows", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument(
        "--load-only", action="store_true", help="the bulk load alone (no lookups, no pages)"
    )
    parser.add_argument(
        "--residents", action="store_true", help="the user's path: a register placed by address"
    )
    args = parser.parse_args()
    load_check()

    use_bench_database("fangkong_bench_people")
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    print(f"machine: {machine()}")
    call_command("migrate", verbosity=0)
    call_command("demo", persons=0, seed=1, core_only=True, verbosity=0)

    if args.residents:
        residents_load(args)
        return
    # 1. bulk load
    accepted = bulk_load(args)
    if args.load_only:
        return
    with connection.cursor() as cur:
        cur.execute("ANALYZE people_person")

    # 2. lookup by resident ID
    from fangkong.people.models import Person

    ids = list(
        Person.objects.exclude(id_masked="").values_list("pk", flat=True)[
            :: max(1, accepted // args.lookups)
        ]
    )
    sample = [p.reveal("id_number") for p in Person.objects.filter(pk__in=ids[: args.lookups])]
    random.Random(1).shuffle(sample)
    times = []
    for number in sample:
        t = time.perf_counter()
        found = Person.objects.with_resident_id(number).first()
        times.append((time.perf_counter() - t) * 1000)
        assert found is not None
    print(
        f"lookup by resident ID ({len(times)}): p50 {percentile(times, 50):.2f} ms, p95 {percentile(times, 95):.2f} ms"
    )

    # 3. a village's person list, through the real page
    from django.db.models import Count
    from django.db.models.functions import Substr

    from fangkong.accounts.models import User

    village_path, size = (
        Person.objects.annotate(v=Substr("path", 1, len("3306/330602/330602001/330602001004/")))
        .values_list("v")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    code = village_path.rstrip("/").rsplit("/", 1)[-1]
    user = User.objects.get(username="village_staff")
    user.node = user.node.__class__.objects.get(code=code)
    user.save(update_fields=["node"])
    setup_test_environment()  # lets the client see the page's context
    client = Client()
    client.force_login(user)
    times, queries = [], set()
    after = None
    for i in range(200):
        params = {"after": after} if after and i % 5 else {}
        t = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/people/", params)
        times.append((time.perf_counter() - t) * 1000)
        queries.add(len(ctx.captured_queries))
        page = response.context["page"]
        after = page.next_after
    print(
        f"village list ({code}, {size:,} persons, 50 per page, 200 requests): "
        f"p50 {percentile(times, 50):.1f} ms, p95 {percentile(times, 95):.1f} ms, "
        f"queries per page {sorted(queries)}"
    )

    # 4. the province's division file
    from fangkong.geo.loaders import load_divisions, read_csv

    t = time.perf_counter()
    report = load_divisions(read_csv(ZHEJIANG))
    print(f"load-divisions Zhejiang ({report}): {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
