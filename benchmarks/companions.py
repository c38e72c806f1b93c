"""Benchmark of space-time companion detection (issue 7).

    .venv/bin/python benchmarks/companions.py --persons 240000 --days 14 --cases 100

1. generates a synthetic city (stays per second);
2. runs the job for `--cases` cases on DuckDB (2 threads) and on Spark local[2], each in a
   fresh process, reporting wall time and peak resident memory (Spark: the JVM's);
3. runs the naive scan (for each case stay, test every stay) on a small slice against
   DuckDB on the same slice and reports the ratio, and checks they agree.

Each engine measurement runs in a child process so its peak memory is its own.
"""

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fangkong.analytics.companions import engines, job, naive, simulate, store  # noqa: E402


def pick_cases(root: Path, n: int, seed: int = 1) -> list[job.Case]:
    """Cases of the simulated outbreak (tracing window: 2 days before onset to isolation),
    topped up with random persons given a 5-day window, to reach n."""
    import numpy as np
    import pyarrow.parquet as pq

    t = pq.read_table(root / "cases.parquet").to_pydict()
    meta = json.loads((root / "meta.json").read_text())
    cases = [
        job.Case(p, p, o - 2 * store.DAY, i)
        for p, o, i in zip(t["person"], t["onset"], t["isolated"], strict=True)
        if o >= 0 and i >= 0
    ][:n]
    rng = np.random.default_rng(seed)
    first = store.day_start(
        (simulate.dt.date.fromisoformat(meta["first_day"]) - simulate.dt.date(1970, 1, 1)).days
    )
    span = max(1, meta["params"]["days"] - 5)
    taken = {c.person for c in cases}
    while len(cases) < n:
        p = int(rng.integers(0, meta["params"]["persons"]))
        if p in taken:
            continue
        taken.add(p)
        start = first + int(rng.integers(0, span)) * store.DAY
        cases.append(job.Case(p, p, start, start + 5 * store.DAY))
    return cases


def measure(engine: str, root: Path, n_cases: int) -> dict:
    """Run in a child: time one engine on the store; report time, rows, peak memory."""
    cases = pick_cases(root, n_cases)
    if engine == "duckdb":
        started = time.perf_counter()
        rows = engines.run_duckdb(root, cases, threads=2)
        seconds = time.perf_counter() - started
        use = resource.getrusage(resource.RUSAGE_SELF)
        return {
            "seconds": seconds,
            "cpu_seconds": use.ru_utime + use.ru_stime,
            "rows": len(rows),
            "peak_bytes": use.ru_maxrss * 1024,
        }
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("FANGKONG_SPARK_DRIVER_MEMORY", "6g")
    started = time.perf_counter()
    spark = engines.spark_session("local[2]")
    boot = time.perf_counter() - started
    started = time.perf_counter()
    rows = engines.run_spark(root, cases, session=spark)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    again = engines.run_spark(root, cases, session=spark)
    warm = time.perf_counter() - started
    assert again == rows
    pid = spark.sparkContext._gateway.proc.pid
    hwm = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            hwm = int(line.split()[1]) * 1024
    spark.stop()
    py_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {
        "seconds": seconds,
        "warm_seconds": warm,
        "startup_seconds": boot,
        "rows": len(rows),
        "peak_bytes": hwm + py_peak,
    }


def child(engine: str, root: Path, n_cases: int) -> dict:
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--measure",
            engine,
            "--out",
            str(root),
            "--cases",
            str(n_cases),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*.parquet"))


def gib(n: float) -> str:
    return f"{n / 2**30:.2f} GiB"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=240_000)
    ap.add_argument("--days", type=int, default=14)
    ap.add_argument("--cases", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=str(ROOT / "var" / "bench" / "companions"))
    ap.add_argument("--no-spark", action="store_true")
    ap.add_argument("--reuse", action="store_true", help="keep an existing generated city")
    ap.add_argument("--naive-persons", type=int, default=20_000)
    ap.add_argument("--naive-cases", type=int, default=100)
    ap.add_argument("--measure", default="")
    a = ap.parse_args()
    out = Path(a.out)
    if a.measure:
        print(json.dumps(measure(a.measure, out, a.cases)))
        return

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cpus, python {platform.python_version()}"
    )
    if not (a.reuse and (out / "meta.json").exists()):
        shutil.rmtree(out, ignore_errors=True)
        started = time.perf_counter()
        summary = simulate.simulate(
            out, simulate.CityParams(persons=a.persons, days=a.days, seed=a.seed)
        )
        gen = time.perf_counter() - started
        print(
            f"generate: {a.persons:,} persons x {a.days} days -> {summary['stays']:,} stays "
            f"({summary['scans']:,} scans), {summary['infections']} infections in {gen:.1f} s "
            f"= {summary['stays'] / gen / 1e6:.2f} M stays/s, {a.persons * a.days / gen / 1e6:.2f} M person-days/s"
        )
    stays = store.count_stays(out)
    size = du(out / "stays")
    print(f"store: {stays:,} stays, Parquet {gib(size)} on disk, {gib(stays * 36)} as raw columns")

    d = child("duckdb", out, a.cases)
    print(
        f"duckdb (2 threads): {a.cases} cases -> {d['rows']:,} companions in {d['seconds']:.2f} s "
        f"wall ({d['cpu_seconds']:.1f} s CPU, whole process), peak RSS {gib(d['peak_bytes'])}"
    )
    if not a.no_spark:
        s = child("spark", out, a.cases)
        print(
            f"spark local[2]: {a.cases} cases -> {s['rows']:,} companions in {s['seconds']:.2f} s "
            f"first run, {s['warm_seconds']:.2f} s warm (+{s['startup_seconds']:.1f} s session "
            f"start), peak RSS JVM+Python {gib(s['peak_bytes'])}"
        )
        if s["rows"] != d["rows"]:
            print("WARNING: engines disagree on the number of companions")

    small = out.parent / (out.name + "-naive")
    shutil.rmtree(small, ignore_errors=True)
    simulate.simulate(small, simulate.CityParams(persons=a.naive_persons, days=a.days, seed=a.seed))
    cases = pick_cases(small, a.naive_cases)
    started = time.perf_counter()
    fast = engines.run_duckdb(small, cases, threads=2)
    t_fast = time.perf_counter() - started
    data = naive.load(small)
    started = time.perf_counter()
    slow = naive.companions(data, cases)
    t_slow = time.perf_counter() - started
    print(
        f"naive scan on a slice of {len(data['person']):,} stays, {a.naive_cases} cases: "
        f"{t_slow:.2f} s vs duckdb {t_fast:.2f} s -> ratio {t_slow / t_fast:.1f}x; "
        f"identical: {fast == slow}"
    )


if __name__ == "__main__":
    main()
