"""Screening import end to end on PostgreSQL (issue 3 benchmark).

1. write an N-row pushed list (CSV in GBK, like the telecom pushes) from the synthetic
   Shaoxing population, with officials' address noise and 2 % addresses outside the city;
   a fifth of the persons are registered beforehand (not timed);
2. import it through the real path (`actions.run_import`: read, validate, blind-index
   match or register, address → grid, subject, task or exception) and report rows/s and
   the resident memory sampled while it runs (flat = not growing with the file);
3. address matching accuracy on 100,000 generated addresses with a known answer.

Usage: DATABASE_URL=postgres://… python benchmarks/screening_import.py [--rows N]
"""

import argparse
import csv
import os
import random
import resource
import threading
import time
from pathlib import Path

from _db import ROOT, machine, setup_django, use_bench_database

HEADERS = ["姓名", "身份证号", "手机号", "来源地", "到达日期", "交通方式", "车次航班", "现住址"]
FOREIGN = (
    "湖北省武汉市武昌区中南路{n}号",
    "上海市浦东新区世纪大道{n}号",
    "杭州市西湖区文三路{n}号",
)
ORIGINS = ("湖北省武汉市", "广东省深圳市", "上海市", "河南省信阳市", "安徽省宿州市", "江西省上饶市")


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Sampler(threading.Thread):
    """Samples this process's resident memory every 0.2 s."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[tuple[float, float]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        start = time.perf_counter()
        while not self.stop.is_set():
            self.samples.append((time.perf_counter() - start, rss_mib()))
            self.stop.wait(0.2)


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


def write_list(path: Path, n: int, pool, preregister: list) -> None:  # type: ignore[no-untyped-def]
    from fangkong.core import clock
    from fangkong.people.synthetic import population

    rng = random.Random(2020)
    today = clock.today()
    seen: set[str] = set()
    written = 0
    with path.open("w", encoding="gb18030", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADERS)
        for row in population(pool, int(n * 1.05), seed=11, today=today):
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=5000)
    args = parser.parse_args()

    use_bench_database("fangkong_bench_screening")
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from fangkong.accounts.models import User
    from fangkong.core.models import Job
    from fangkong.geo.loaders import load_divisions, read_csv
    from fangkong.geo.models import Division
    from fangkong.people.bulk import copy_register
    from fangkong.screening import actions
    from fangkong.screening.models import ListSource, PushedList, ScreeningTask

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
    copy_register(pre, paths)
    print(
        f"input: {args.rows:,} rows, {path.stat().st_size / 2**20:.0f} MiB GBK CSV; "
        f"{len(pre):,} persons pre-registered ({time.perf_counter() - t0:.0f} s, not timed)"
    )
    del pre

    user = User.objects.create_user("bench-hq", password="x" * 12, role="city_hq", node=city)
    source = ListSource.objects.create(name="电信推送", kind="telecom", node=city)
    pushed = PushedList.objects.create(
        source=source,
        file_name=path.name,
        sha256="bench",
        stored_as=str(path),
        node=city,
        uploaded_by=user,
    )
    job = Job.objects.create(kind="screening_import", path=city.path)
    sampler = Sampler()
    rss_before = rss_mib()
    sampler.start()
    started = time.perf_counter()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    counts = actions.run_import(pushed, job, batch_size=args.batch)
    elapsed = time.perf_counter() - started
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    sampler.stop.set()
    sampler.join()
    rss = [m for _t, m in sampler.samples]
    quarter = max(1, len(rss) // 4)
    print(
        f"import: {counts['total']:,} rows in {elapsed:.1f} s = {counts['total'] / elapsed:,.0f} "
        f"rows/s wall; the importing process used {cpu:.1f} CPU s = "
        f"{counts['total'] / cpu:,.0f} rows per CPU second (load average during the run: "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    print(
        "  accepted {accepted:,}, matched {matched:,}, created {created:,}, rejected {rejected:,}, "
        "by address {by_address:,}, unmatched {unmatched:,}, ambiguous {ambiguous:,}, "
        "tasks {tasks:,}".format(**counts)
    )
    print(
        f"  resident memory: {rss_before:.0f} MiB before; max in 1st quarter "
        f"{max(rss[:quarter]):.0f} MiB, 2nd {max(rss[quarter : 2 * quarter]):.0f}, "
        f"3rd {max(rss[2 * quarter : 3 * quarter]):.0f}, 4th {max(rss[3 * quarter :]):.0f} MiB"
    )
    with connection.cursor() as cur:
        cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        print(f"  tasks stored: {ScreeningTask.objects.count():,}; database {cur.fetchone()[0]}")
    share, wrong, exc, per = accuracy(pool)
    print(
        f"address matching: {share:.2%} correct on 100,000 generated addresses, {wrong} placed "
        f"in a wrong grid, {exc:,} to the exceptions queue; {per:.0f} µs per address"
    )


if __name__ == "__main__":
    main()
