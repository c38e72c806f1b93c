"""Screening import end to end on PostgreSQL (issue 3 benchmark).

1. write an N-row pushed list (CSV in GBK, like the telecom pushes) from the synthetic
   Shaoxing population, with officials' address noise and 2 % addresses outside the city;
   a fifth of the persons are registered beforehand (not timed);
2. import it through the real path (`actions.run_import`: read; validate, encrypt and
   match the address on worker processes partitioned by identity; find or register,
   subject, task or exception, written by the parent) and report wall time, CPU per row
   (importer + workers), resident memory at 100,000 rows and at the end (flat = not
   growing with the file) and the limits beside the figure (COPY rows/s, AES-GCM+HMAC
   per core); the load average is printed first;
3. address matching accuracy on generated addresses with a known answer.

Usage: DATABASE_URL=postgres://… python benchmarks/screening_import.py [--rows N]
       [--workers W] [--accuracy N] [--prefill M] [--profile FILE]

--prefill M imports an M-row list of other persons first (not timed), so the timed list
meets tables that already hold M persons, subjects, tasks and pushed rows (what the
last chunks of a long list meet). --profile FILE runs the timed import under cProfile
with a CPU timer (`time.process_time`: the machine may be shared) and writes the stats
to FILE; with --workers 1 the workers' functions run in the importer and are profiled
too. Profiles give counts and shares, not wall time.
"""

import argparse
import cProfile
import csv
import os
import pstats
import random
import time
from pathlib import Path

from _db import ROOT, machine, setup_django, use_bench_database
from _limits import (
    Row,
    RssSampler,
    copy_rate,
    cpu_seconds_self,
    cpu_seconds_tree,
    crypto_rate,
    inserted_counts,
    load_check,
    peak_rss_mib,
    postgres_cpu_seconds,
    same_rows_cost,
    table,
)

HEADERS = ["姓名", "身份证号", "手机号", "来源地", "到达日期", "交通方式", "车次航班", "现住址"]
FOREIGN = (
    "湖北省武汉市武昌区中南路{n}号",
    "上海市浦东新区世纪大道{n}号",
    "杭州市西湖区文三路{n}号",
)
ORIGINS = ("湖北省武汉市", "广东省深圳市", "上海市", "河南省信阳市", "安徽省宿州市", "江西省上饶市")


def villages():  # type: ignore[no-untyped-def]
    from fangkong.geo.models import Division
    from fangkong.people.synthetic import Village

    nodes = {d.pk: d for d in Division.objects.filter(level__in=["county", "town", "village"])}
    grids: dict[int, list[int]] = {}
    for g in Division.objects.filter(level="grid"):
        grids.setdefault(g.parent_id, []).append(g.pk)
    out = []
    for v in (d for d in nodes.values() if d.level == "village"):
        town = nodes[v.parent_id]
        county = nodes[town.parent_id]
        out.append(
            Village(v.pk, v.code, v.name, town.name, county.code, county.name, grids.get(v.pk, []))
        )
    return out


def noisy(address: str, v, rng: random.Random) -> tuple[str, bool]:  # type: ignore[no-untyped-def]
    from fangkong.geo.names import short_name

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


def write_list(path: Path, n: int, pool, preregister: list, seed: int = 11) -> None:  # type: ignore[no-untyped-def]
    from fangkong.core import clock
    from fangkong.people.synthetic import population

    rng = random.Random(2020 + seed)
    today = clock.today()
    seen: set[str] = set()
    written = 0
    with path.open("w", encoding="gb18030", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADERS)
        for row in population(pool, int(n * 1.05), seed=seed, today=today):
            if written >= n:
                break
            key = row["id_number"] or row["phone"]
            if not key or key in seen:
                continue
            seen.add(key)
            v = pool_index[row["node_id"]]
            address, _inside = noisy(row["address"], v, rng)
            if rng.random() < 0.2:
                preregister.append(dict(row))
            w.writerow(
                [
                    row["name"],
                    row["id_number"],
                    row["phone"],
                    rng.choice(ORIGINS),
                    today.isoformat(),
                    rng.choice(("火车", "飞机", "自驾", "大巴")),
                    f"G{rng.randint(1, 9999)}",
                    address,
                ]
            )
            written += 1


pool_index: dict = {}


def accuracy(pool, n: int = 100_000) -> tuple[float, int, int, float]:  # type: ignore[no-untyped-def]
    """(share correct, wrong placements, sent to exceptions, µs per address)."""
    from fangkong.core import clock
    from fangkong.screening.matching import load_matcher

    matcher = load_matcher()
    paths = {n.id: n.path for n in matcher.nodes.values()}
    rng = random.Random(99)
    correct = wrong = exceptions = 0
    started = time.perf_counter()
    from fangkong.people.synthetic import population

    for row in population(pool, n, seed=5, today=clock.today()):
        v = pool_index[row["node_id"]]
        address, inside = noisy(row["address"], v, rng)
        result = matcher.match(address)
        if result.node_id is None:
            exceptions += 1
            correct += not inside
        elif inside and paths[result.node_id].startswith(paths[v.id]):
            correct += 1
        else:
            wrong += 1
    per = (time.perf_counter() - started) / n * 1e6
    return correct / n, wrong, exceptions, per


def main() -> None:  # noqa: PLR0915
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument(
        "--workers", type=int, default=0, help="worker processes (0: one per CPU; 1: none)"
    )
    parser.add_argument("--accuracy", type=int, default=100_000, help="addresses (0: skip)")
    parser.add_argument("--prefill", type=int, default=0, help="rows imported first, untimed")
    parser.add_argument("--profile", default="", help="write a CPU profile of the import here")
    args = parser.parse_args()
    load_check()

    os.environ["FANGKONG_IMPORT_WORKERS"] = str(args.workers)
    os.environ["FANGKONG_IMPORT_WORKERS_FROM"] = "0"
    use_bench_database("fangkong_bench_screening")
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from fangkong.accounts.models import User
    from fangkong.core import partition
    from fangkong.core.models import Job
    from fangkong.geo.loaders import load_divisions, read_csv
    from fangkong.geo.models import Division
    from fangkong.people.bulk import copy_register
    from fangkong.screening import actions
    from fangkong.screening.models import ListSource, PushedList, ScreeningTask

    workers = partition.worker_count()
    print(f"machine: {machine()}")
    call_command("migrate", verbosity=0)
    load_divisions(read_csv(ROOT / "fangkong" / "geo" / "data" / "divisions-shaoxing.csv"))
    pool = villages()
    pool_index.update({i: v for v in pool for i in (v.id, *v.grid_ids)})
    city = Division.objects.get(code="3306")
    paths = dict(Division.objects.values_list("id", "path"))

    work = ROOT / "var" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    path = work / f"screening-{args.rows}.csv"
    t0 = time.perf_counter()
    pre: list[dict] = []
    write_list(path, args.rows, pool, pre)
    for r in pre:
        r.pop("household_number", None)
    copy_register(pre, paths, workers=1)
    print(
        f"input: {args.rows:,} rows, {path.stat().st_size / 2**20:.0f} MiB GBK CSV; "
        f"{len(pre):,} persons pre-registered ({time.perf_counter() - t0:.0f} s, not timed)"
    )
    del pre

    user = User.objects.create_user("bench-hq", password="x" * 12, role="city_hq", node=city)
    source = ListSource.objects.create(name="电信推送", kind="telecom", node=city)
    if args.prefill:
        t0 = time.perf_counter()
        before = work / f"screening-prefill-{args.prefill}.csv"
        write_list(before, args.prefill, pool, [], seed=12)
        earlier = PushedList.objects.create(
            source=source,
            file_name=before.name,
            sha256="bench-prefill",
            stored_as=str(before),
            node=city,
            uploaded_by=user,
        )
        done = actions.run_import(earlier, None, batch_size=args.batch)
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
        print(
            f"prefill: {done['total']:,} rows of other persons imported first "
            f"({time.perf_counter() - t0:.0f} s, not timed)"
        )
    pushed = PushedList.objects.create(
        source=source,
        file_name=path.name,
        sha256="bench",
        stored_as=str(path),
        node=city,
        uploaded_by=user,
    )
    job = Job.objects.create(kind="screening_import", path=city.path)
    sampler = RssSampler()
    advance = job.advance

    def advance_and_mark(done: int, total: int | None = None) -> None:
        if done >= 100_000:
            sampler.mark("at 100,000 rows")
        advance(done, total)

    job.advance = advance_and_mark  # type: ignore[method-assign]
    sampler.mark("before")
    inserted0 = inserted_counts()
    cpu0, own0, db0 = cpu_seconds_tree(), cpu_seconds_self(), postgres_cpu_seconds()
    profile = cProfile.Profile(time.process_time) if args.profile else None
    with sampler:
        started = time.perf_counter()
        if profile is not None:
            profile.enable()
        counts = actions.run_import(pushed, job, batch_size=args.batch)
        if profile is not None:
            profile.disable()
        elapsed = time.perf_counter() - started
        sampler.mark("at the end")
    cpu, db1 = cpu_seconds_tree() - cpu0, postgres_cpu_seconds()
    own = cpu_seconds_self() - own0
    inserted = {t: n - inserted0.get(t, 0) for t, n in inserted_counts().items()}
    if profile is not None:
        profile.dump_stats(args.profile)
        stats = pstats.Stats(profile)
        print(f"profile written to {args.profile} (CPU timer); the heaviest functions:")
        stats.sort_stats("tottime").print_stats(25)
    peak_self, peak_child = peak_rss_mib()
    rate = counts["total"] / elapsed
    print(
        f"import: {counts['total']:,} rows in {elapsed:.1f} s wall = {rate:,.0f} rows/s with "
        f"{workers} worker(s); CPU (importer + workers, PostgreSQL not included) {cpu:.1f} s "
        f"= {cpu / counts['total'] * 1e6:,.0f} µs per row = {counts['total'] / cpu:,.0f} rows "
        f"per CPU-second"
    )
    print(
        f"  of which the importer itself {own:.1f} s = {own / counts['total'] * 1e6:,.0f} µs "
        f"per row, the workers {cpu - own:.1f} s"
    )
    if db0 is not None and db1 is not None:
        per = {k: v / counts["total"] * 1e6 for k, v in {"own": own, "db": db1 - db0}.items()}
        print(
            f"  PostgreSQL (every server process: the import's connections, the WAL writer, "
            f"checkpointer, autovacuum): {db1 - db0:.1f} CPU-s = {per['db']:,.0f} µs per row "
            f"(not in the figure above); all together "
            f"{(cpu + db1 - db0) / counts['total'] * 1e6:,.0f} µs per row, "
            f"{(cpu + db1 - db0) / elapsed:.2f} of the 2 cores busy; the importer "
            f"{per['own']:,.0f} µs and its database {per['db']:,.0f} µs a row now overlap "
            f"(`core.overlap`)"
        )
    print(
        "  accepted {accepted:,}, matched {matched:,}, created {created:,}, rejected {rejected:,}, "
        "by address {by_address:,}, unmatched {unmatched:,}, ambiguous {ambiguous:,}, "
        "tasks {tasks:,}".format(**counts)
    )
    print(f"  {sampler.describe()}; peak RSS importer {peak_self:,.0f} MiB, "
          f"largest worker {peak_child:,.0f} MiB")  # fmt: skip
    with connection.cursor() as cur:
        cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        print(f"  tasks stored: {ScreeningTask.objects.count():,}; database {cur.fetchone()[0]}")

    # The limits: COPY into a plain table; AES-GCM + HMAC on every core (a row encrypts
    # and indexes its resident ID and its phone: two per row); the import's own new rows
    # written again by COPY into tables like theirs; and that writing with the cipher and
    # the address match a row cannot do without, on the machine's cores.
    per_match = 0.0
    if args.accuracy:
        share, wrong, exc, per_match = accuracy(pool, args.accuracy)
        print(
            f"address matching: {share:.2%} correct on {args.accuracy:,} generated addresses, "
            f"{wrong} placed in a wrong grid, {exc:,} to the exceptions queue; "
            f"{per_match:.0f} µs per address"
        )
    sample = min(args.rows, 200_000)
    copy = copy_rate(sample)
    crypto = crypto_rate(min(args.rows, 100_000))
    same = same_rows_cost(inserted)
    unchecked = same_rows_cost(inserted, foreign_keys=False)
    total = counts["total"]
    cores = os.cpu_count() or 1
    floor = same.cpu / total + 2 / crypto + per_match * 1e-6  # CPU-s per input row
    loose = floor - (same.cpu - unchecked.cpu) / total
    print(
        f"the floor per input row: writing its rows {same.cpu / total * 1e6:,.0f} µs + cipher "
        f"{2 / crypto * 1e6:,.1f} µs + address match {per_match:,.0f} µs = "
        f"{floor * 1e6:,.0f} µs of CPU; {cores} cores → {cores / floor:,.0f} rows/s "
        f"(without the foreign-key checks: writing {unchecked.cpu / total * 1e6:,.0f} µs, "
        f"{cores / loose:,.0f} rows/s)"
    )
    table(
        [
            Row("pushed-list import vs COPY", "≥ 20,000/s", rate, copy, note="plain table"),
            Row(
                "pushed-list import vs crypto",
                "≥ 20,000/s",
                rate,
                crypto * workers / 2,
                note=f"2 per row on {workers} core(s)",
            ),
            Row(
                "pushed-list import vs its own rows written",
                "≥ 20,000/s",
                rate,
                total / same.wall,
                note=f"{same.rows:,} rows by COPY into tables like theirs, one stream",
            ),
            Row(
                "pushed-list import vs its floor",
                "≥ 20,000/s",
                rate,
                cores / floor,
                note=(
                    f"its rows written + cipher{' + address match' if per_match else ''}, "
                    f"CPU on {cores} cores"
                ),
            ),
        ]
    )


if __name__ == "__main__":
    main()
