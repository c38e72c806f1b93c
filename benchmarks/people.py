"""Person registry at city scale (Foundation issue benchmark), on PostgreSQL.

1. bulk-load N persons (default 5.3 million) through the same validation, encryption and
   blind index as registration (people.bulk.copy_register), in one process per core;
2. lookup by resident ID (HMAC + index), p50 / p95;
3. a village's person list page (the real view, ~2,000 persons in the village), p95 and
   the number of SQL queries per page;
4. loading the Zhejiang division file (27,035 rows).

Usage: DATABASE_URL=postgres://… python benchmarks/people.py [--persons N]
"""

import argparse
import multiprocessing
import os
import random
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from _db import ROOT, machine, percentile, setup_django, use_bench_database

ZHEJIANG = ROOT.parent / "shared" / "data" / "divisions-zhejiang.csv"


def load_share(args: tuple[int, int]) -> tuple[int, int, float, float]:
    share, seed = args
    setup_django()
    from fangkong.core import clock
    from fangkong.geo.models import Division
    from fangkong.people.bulk import copy_register
    from fangkong.people.demo import villages
    from fangkong.people.synthetic import population

    paths = dict(Division.objects.filter(level__in=["grid", "village"]).values_list("id", "path"))
    rows = list(population(villages(), share, seed, clock.today()))  # input, not timed
    for r in rows:
        del r["household_number"]
    started, cpu = time.perf_counter(), time.process_time()
    report = copy_register(rows, paths)
    return (
        report.accepted,
        len(report.rejected),
        time.perf_counter() - started,
        time.process_time() - cpu,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=5_300_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--lookups", type=int, default=2000)
    args = parser.parse_args()

    use_bench_database("fangkong_bench_people")
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    print(f"machine: {machine()}")
    call_command("migrate", verbosity=0)
    call_command("demo", persons=0, seed=1, core_only=True, verbosity=0)

    # 1. bulk load
    shares = [args.persons // args.workers] * args.workers
    shares[0] += args.persons - sum(shares)
    connection.close()
    with ProcessPoolExecutor(args.workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        results = list(pool.map(load_share, [(s, 1000 + i) for i, s in enumerate(shares)]))
    elapsed = max(r[2] for r in results)  # the workers load in parallel
    accepted = sum(r[0] for r in results)
    rejected = sum(r[1] for r in results)
    print(
        f"bulk load: {accepted:,} persons ({rejected:,} rejected as duplicate IDs) in {elapsed:.1f} s "
        f"= {args.persons / elapsed:,.0f} rows/s with {args.workers} workers; "
        f"Python CPU {sum(r[3] for r in results):.1f} s = {args.persons / sum(r[3] for r in results):,.0f} rows per CPU-second "
        f"(PostgreSQL's own CPU not included); load average {os.getloadavg()[0]:.1f}"
    )
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
    if ZHEJIANG.exists():
        from fangkong.geo.loaders import load_divisions, read_csv

        t = time.perf_counter()
        report = load_divisions(read_csv(Path(ZHEJIANG)))
        print(f"load-divisions Zhejiang ({report}): {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
