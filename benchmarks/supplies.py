"""Supplies at city scale (issue 9 benchmark), on PostgreSQL.

1. N ledger entries (default 10,000,000; `--entries`) spread over every warehouse of
   the city (a city reserve, six county warehouses and a store in every town) and the
   whole catalogue with several batches per item, loaded by one INSERT … SELECT over
   generate_series with every index and constraint of the model in place; the balance
   rows are then built from the ledger in one GROUP BY (what the actions maintain entry
   by entry) and checked equal to it;
2. stock by item and warehouse for the whole city as the API computes it (the
   maintained balance rows, restricted to a city-level account), median of repeated
   runs; for comparison the same figure summed from the ledger itself;
3. issue throughput under contention: C client processes (default 8), each with its
   own connection, issuing 1 unit at a time of ONE item from ONE warehouse through
   `actions.issue` (row lock, guarded decrement, ledger entry) for S seconds; issues/s,
   latency percentiles, and a check that stock still equals the ledger and no issue
   was lost or doubled.

Usage: DATABASE_URL=postgres://… python benchmarks/supplies.py [--entries N] [--clients C] [--seconds S]
"""

import argparse
import multiprocessing
import statistics
import sys
import time

from _db import ROOT, machine, percentile, setup_django, use_bench_database

from fangkong.core.querysets import system_actor

DIVISIONS = ROOT / "fangkong" / "geo" / "data" / "divisions-shaoxing.csv"
DB = "fangkong_bench_supplies"


def build(entries: int) -> None:
    from django.db import connection

    from fangkong.geo.loaders import load_divisions, read_csv
    from fangkong.geo.models import Division
    from fangkong.supplies.models import Batch, Item, Warehouse

    load_divisions(read_csv(DIVISIONS))
    city = Division.objects.get(parent__isnull=True)
    houses = [
        Warehouse(name="绍兴市应急物资储备库", kind="city_reserve", node=city, path=city.path)
    ]
    for county in Division.objects.filter(parent=city):
        houses.append(
            Warehouse(name=f"{county.name}储备库", kind="county", node=county, path=county.path)
        )
    for town in Division.objects.filter(level="town"):
        houses.append(
            Warehouse(name=f"{town.name}卫生院库房", kind="hospital", node=town, path=town.path)
        )
    Warehouse.objects.bulk_create(houses)
    batches = [Batch(item=item, code=f"B{k}") for item in Item.objects.all() for k in range(4)]
    Batch.objects.bulk_create(batches)
    n_keys = Warehouse.objects.count() * len(batches)
    print(
        f"{Warehouse.objects.count()} warehouses, {Item.objects.count()} items, {len(batches)} batches, {n_keys} (warehouse, batch) keys"
    )
    n_houses = Warehouse.objects.count()
    with connection.cursor() as cur:
        # A bulk load as pg_restore does it: the secondary indexes and foreign keys are
        # dropped, the rows inserted, then both rebuilt (and the keys validated) at once.
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'supplies_ledgerentry'"
            " AND indexname NOT LIKE '%%_pkey'"
        )
        indexes = cur.fetchall()
        cur.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = 'supplies_ledgerentry'::regclass AND contype = 'f'"
        )
        fks = cur.fetchall()
        for name, _ in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        for name, _ in fks:
            cur.execute(f'ALTER TABLE supplies_ledgerentry DROP CONSTRAINT "{name}"')
        t = time.perf_counter()
        # Groups of five entries of one key: a receipt of 100 and four issues of 20, so
        # every balance stays positive (a ledger that the actions could have written).
        cur.execute(
            f"""
            WITH w AS (SELECT id, path, row_number() OVER (ORDER BY id) - 1 AS k FROM supplies_warehouse),
                 b AS (SELECT id, item_id, row_number() OVER (ORDER BY id) - 1 AS k FROM supplies_batch)
            INSERT INTO supplies_ledgerentry
                (warehouse_id, item_id, batch_id, kind, source, quantity, reason, at, path)
            SELECT w.id, b.item_id, b.id,
                   CASE WHEN g % 5 = 0 THEN 'receipt' ELSE 'issue' END,
                   CASE WHEN g % 5 = 0 THEN 'purchase' ELSE '' END,
                   CASE WHEN g % 5 = 0 THEN 100 ELSE -20 END,
                   '', now() - ({int(entries)} - g) * interval '50 milliseconds', w.path
            FROM generate_series(0, {int(entries)} - 1) AS g
            JOIN b ON b.k = (g / 5) % {len(batches)}
            JOIN w ON w.k = ((g / 5) / {len(batches)}) % {n_houses}
            """
        )
        inserted = time.perf_counter() - t
        for _name, definition in indexes:
            cur.execute(definition)
        for name, definition in fks:
            cur.execute(f'ALTER TABLE supplies_ledgerentry ADD CONSTRAINT "{name}" {definition}')
        load = time.perf_counter() - t
        print(
            f"{entries:,} ledger entries inserted in {inserted:.0f} s, then {len(indexes)} indexes and "
            f"{len(fks)} foreign keys rebuilt: {load:.0f} s in all ({entries / load:,.0f} entries/s)"
        )
        t = time.perf_counter()
        cur.execute(
            """
            INSERT INTO supplies_balance (warehouse_id, item_id, batch_id, quantity, path)
            SELECT warehouse_id, item_id, batch_id, sum(quantity), min(path)
            FROM supplies_ledgerentry GROUP BY warehouse_id, item_id, batch_id
            """
        )
        print(f"balance rows built from the ledger in {time.perf_counter() - t:.0f} s")
        t = time.perf_counter()
        cur.execute("VACUUM ANALYZE supplies_ledgerentry")
        cur.execute("VACUUM ANALYZE supplies_balance")
        print(f"vacuum analyze in {time.perf_counter() - t:.0f} s")
        cur.execute("SELECT pg_size_pretty(pg_total_relation_size('supplies_ledgerentry'))")
        print(f"ledger table with indexes: {cur.fetchone()[0]}")


def stock_bench(repeat: int) -> None:
    from django.db import connection

    from fangkong.accounts.models import User
    from fangkong.geo.models import Division
    from fangkong.supplies.models import Balance, LedgerEntry

    city = Division.objects.get(parent__isnull=True)
    hq, _ = User.objects.get_or_create(
        username="bench_hq", defaults={"role": "city_hq", "node": city}
    )
    times, rows = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        rows = list(Balance.objects.restrict(hq, "view").by_warehouse_item())
        times.append((time.perf_counter() - t) * 1000)
    print(
        f"stock by item and warehouse, whole city, from the balance rows: {len(rows)} rows, median {statistics.median(times):.1f} ms, max {max(times):.1f} ms ({repeat} runs)"
    )
    t = time.perf_counter()
    derived = list(
        LedgerEntry.objects.restrict(hq, "view")
        .values("warehouse_id", "item_id")
        .annotate(total=__import__("django.db.models", fromlist=["Sum"]).Sum("quantity"))
        .order_by("warehouse_id", "item_id")
    )
    ledger_ms = (time.perf_counter() - t) * 1000
    same = {(r["warehouse_id"], r["item_id"]): r["total"] for r in derived} == {
        (r["warehouse_id"], r["item_id"]): r["total"] for r in rows
    }
    print(
        f"the same summed from the ledger itself: {ledger_ms:,.0f} ms; equal to the balances: {same}"
    )
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM supplies_balance WHERE quantity < 0")
        print(f"negative balances: {cur.fetchone()[0]}")


def _client(args: tuple) -> tuple[int, int, list[float]]:
    wh_id, item_id, seconds, start_at = args
    import django
    from django.core.exceptions import ValidationError

    django.setup()
    from fangkong.supplies.actions import ledger
    from fangkong.supplies.models import Item, Warehouse

    system = system_actor()
    wh, item = Warehouse.objects.get(pk=wh_id), Item.objects.get(pk=item_id)
    while time.time() < start_at:
        time.sleep(0.01)
    done = refused = 0
    lat: list[float] = []
    end = time.time() + seconds
    while time.time() < end:
        t = time.perf_counter()
        try:
            ledger.issue(system, wh, item, 1, reason="bench")
            done += 1
        except ValidationError:
            refused += 1
        lat.append((time.perf_counter() - t) * 1000)
    return done, refused, lat


def issue_bench(clients: int, seconds: int) -> None:
    from django.db import connections
    from django.db.models import Sum

    from fangkong.supplies.actions import ledger as ledger_actions
    from fangkong.supplies.models import Balance, Item, LedgerEntry, Warehouse

    system = system_actor()
    wh = Warehouse.objects.get(kind="city_reserve")
    item = Item.objects.get(standard="N95")
    if not Balance.objects.filter(warehouse=wh, batch__code="BENCH").exists():
        ledger_actions.receive(system, wh, item, 10_000_000, source="purchase", batch_code="BENCH")
    before_bal = Balance.objects.filter(warehouse=wh, item=item).aggregate(n=Sum("quantity"))["n"]
    before_led = LedgerEntry.objects.filter(warehouse=wh, item=item).aggregate(n=Sum("quantity"))[
        "n"
    ]
    connections.close_all()
    start_at = time.time() + 3
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(clients) as pool:
        results = pool.map(_client, [(wh.pk, item.pk, seconds, start_at)] * clients)
    done = sum(r[0] for r in results)
    refused = sum(r[1] for r in results)
    lat = [x for r in results for x in r[2]]
    after_bal = Balance.objects.filter(warehouse=wh, item=item).aggregate(n=Sum("quantity"))["n"]
    after_led = LedgerEntry.objects.filter(warehouse=wh, item=item).aggregate(n=Sum("quantity"))[
        "n"
    ]
    print(
        f"issues of one item from one warehouse, {clients} concurrent clients, {seconds} s: {done:,} issued "
        f"({done / seconds:,.0f} issues/s), {refused} refused; latency p50 {percentile(lat, 50):.1f} ms, "
        f"p95 {percentile(lat, 95):.1f} ms, p99 {percentile(lat, 99):.1f} ms"
    )
    print(
        f"stock fell by {before_bal - after_bal:,} (balance) and {before_led - after_led:,} (ledger) for {done:,} issues"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=10_000_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--issue-only", action="store_true", help="reuse the last run's database")
    args = parser.parse_args()
    if args.issue_only:
        import os
        from urllib.parse import urlsplit, urlunsplit

        base = (
            os.environ.get("DATABASE_URL") or "postgres://fangkong:fangkong@127.0.0.1:5432/fangkong"
        )
        os.environ["DATABASE_URL"] = urlunsplit(urlsplit(base)._replace(path="/" + DB))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")
    else:
        use_bench_database(DB)
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    print(f"machine: {machine()}")
    print(f"database: {connection.vendor} {connection.pg_version}")
    if connection.vendor != "postgresql":
        sys.exit("this benchmark runs on PostgreSQL (set DATABASE_URL)")
    if not args.issue_only:
        call_command("migrate", verbosity=0)
        build(args.entries)
    stock_bench(args.repeat)
    for clients in sorted({1, args.clients}):
        issue_bench(clients, args.seconds)


if __name__ == "__main__":
    main()
