"""Medical observation at city scale (issue 4 benchmark), on PostgreSQL.

1. N active observation periods (default 100,000) with the morning's check-ins of 60 %
   of them; the half-day missed-check-in sweep (one INSERT … SELECT): the morning sweep
   (~40 % missed), the same sweep again (idempotent: nothing new), and the evening sweep
   where nobody has reported yet (a task for every period);
2. check-in throughput over HTTP on loopback: gunicorn (gthread) serving the real
   project, the person's own check-in endpoint (`POST /api/v1/observation/self/<token>/
   checkins`, a signed link, a unique client id per reading), driven by a bounded load
   generator (processes × threads with keep-alive connections) for a fixed time;
   throughput and latency percentiles.

Usage: DATABASE_URL=postgres://… python benchmarks/observation.py [--periods N] [--seconds S]
"""

import argparse
import datetime as dt
import http.client
import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid

from _db import ROOT, machine, percentile, setup_django, use_bench_database

DIVISIONS = ROOT / "fangkong" / "geo" / "data" / "divisions-shaoxing.csv"


def build(n: int) -> list[int]:
    """N persons (plain rows: the sweep does not read personal fields), N active periods
    spread over every village, and this morning's check-ins of 60 % of them."""
    from django.db import connection

    from fangkong.accounts.models import User
    from fangkong.core import clock
    from fangkong.geo.loaders import load_divisions, read_csv
    from fangkong.geo.models import Division
    from fangkong.observation.actions import rules_in_force
    from fangkong.observation.models import CheckIn, ObservationPeriod
    from fangkong.people.models import Person

    t = time.perf_counter()
    load_divisions(read_csv(DIVISIONS))
    print(f"jurisdictions loaded in {time.perf_counter() - t:.1f} s")
    villages = list(Division.objects.filter(level="village").values_list("id", "path"))
    workers = User.objects.bulk_create(
        [
            User(username=f"gw{i}", role="grid_worker", node_id=villages[i][0], password="!")
            for i in range(200)
        ]
    )
    today = clock.today()
    rules = rules_in_force(today)
    rng = random.Random(4)
    started = time.perf_counter()
    persons = [
        Person(name=f"观察{i}", name_initials="gc", node_id=v[0], path=v[1])
        for i in range(n)
        for v in (villages[i % len(villages)],)
    ]
    Person.objects.bulk_create(persons, batch_size=5000)
    early = clock.now() - dt.timedelta(days=3)
    periods = []
    for i, p in enumerate(persons):
        start = today - dt.timedelta(days=rng.randint(0, 12))
        periods.append(
            ObservationPeriod(
                person_id=p.pk,
                reason="close_contact",
                start_date=start,
                last_exposure=start,
                planned_end=start + dt.timedelta(days=14),
                rules=rules,
                grid_id=p.node_id,
                responsible=workers[i % len(workers)],
                path=p.path,
                created_at=early,
            )
        )
    ObservationPeriod.objects.bulk_create(periods, batch_size=5000)
    morning = clock.now().replace(hour=8, minute=0, second=0, microsecond=0)
    checkins = [
        CheckIn(
            period_id=pr.pk,
            client_id=uuid.uuid4(),
            taken_at=morning,
            local_date=today,
            window="morning",
            temperature="36.6",
            reporter_kind="self",
            path=pr.path,
        )
        for pr in periods
        if rng.random() < 0.6
    ]
    CheckIn.objects.bulk_create(checkins, batch_size=5000)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE") if connection.vendor == "postgresql" else None
    print(
        f"setup: {n:,} persons, {n:,} active periods, {len(checkins):,} morning check-ins "
        f"in {time.perf_counter() - started:.1f} s (not timed below)"
    )
    return [pr.pk for pr in periods]


def sweep_bench() -> dict:
    from fangkong.core import clock
    from fangkong.observation.actions import sweep_missed

    today = clock.today()
    out = {}
    for label, window in (
        ("morning sweep", "morning"),
        ("morning sweep again", "morning"),
        ("evening sweep", "evening"),
    ):
        t = time.perf_counter()
        created = sweep_missed(today, window)
        out[label] = (created, time.perf_counter() - t)
        print(f"{label:22} {created:>8,} tasks created in {out[label][1]:.2f} s")
    return out


# ---------------------------------------------------------------- HTTP load


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of processes (from /proc), in seconds."""
    total = 0
    for pid in pids:
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def _worker(args: tuple) -> tuple[list[float], int, int, int, float]:
    port, tokens, threads, seconds, warmup, seed = args
    lat: list[float] = []
    errors = [0]
    done = [0]
    total = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + warmup + seconds
    measure_from = time.perf_counter() + warmup

    def run(k: int) -> None:
        rng = random.Random(seed * 1000 + k)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        err = ok = sent = 0
        while True:
            now = time.perf_counter()
            if now >= stop_at:
                break
            body = json.dumps(
                {"client_id": str(uuid.uuid4()), "temperature": f"{36 + rng.random():.1f}"}
            )
            token = tokens[rng.randrange(len(tokens))]
            t0 = time.perf_counter()
            try:
                conn.request(
                    "POST",
                    f"/api/v1/observation/self/{token}/checkins",
                    body=body,
                    headers={"Content-Type": "application/json"},
                )
                resp = conn.getresponse()
                resp.read()
                good = resp.status in (200, 201)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                good = False
            t1 = time.perf_counter()
            sent += 1
            if t0 >= measure_from:
                mine.append(t1 - t0)
                ok += good
                err += not good
        with lock:
            lat.extend(mine)
            errors[0] += err
            done[0] += ok
            total[0] += sent

    ts = [threading.Thread(target=run, args=(k,)) for k in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    cpu = os.times()
    return lat, done[0], errors[0], total[0], cpu.user + cpu.system


def http_bench(period_ids: list[int], args: argparse.Namespace) -> dict:
    from fangkong.observation.links import make_token
    from fangkong.observation.models import ObservationPeriod

    sample = random.Random(7).sample(period_ids, min(20_000, len(period_ids)))
    tokens = [make_token(p) for p in ObservationPeriod.objects.filter(pk__in=sample)]
    env = {**os.environ, "FANGKONG_LOG_LEVEL": "WARNING"}
    port = args.port
    cmd = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "fangkong.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--worker-class",
        "gthread",
        "--workers",
        str(args.gunicorn_workers),
        "--threads",
        str(args.gunicorn_threads),
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    try:
        for _ in range(100):
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        per = [
            (port, tokens, args.client_threads, args.seconds, args.warmup, i)
            for i in range(args.client_procs)
        ]
        workers = _children(server.pid)
        cpu_before = _cpu_seconds(workers)
        with multiprocessing.get_context("fork").Pool(len(per)) as pool:
            results = pool.map(_worker, per)
        server_cpu = _cpu_seconds(workers) - cpu_before
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    lat = [x for r in results for x in r[0]]
    ok = sum(r[1] for r in results)
    errors = sum(r[2] for r in results)
    rate = ok / args.seconds
    sent = sum(r[3] for r in results)
    client_cpu = sum(r[4] for r in results)
    out = {
        "server_cpu_ms": 1000 * server_cpu / max(sent, 1),
        "client_cpu_ms": 1000 * client_cpu / max(sent, 1),
        "rate": rate,
        "ok": ok,
        "errors": errors,
        "p50": percentile(lat, 50) * 1000,
        "p95": percentile(lat, 95) * 1000,
        "p99": percentile(lat, 99) * 1000,
        "concurrency": args.client_procs * args.client_threads,
    }
    print(
        f"HTTP check-ins: {ok:,} in {args.seconds} s = {rate:,.0f}/s, errors {errors}, "
        f"latency p50 {out['p50']:.1f} ms, p95 {out['p95']:.1f} ms, p99 {out['p99']:.1f} ms "
        f"(gunicorn gthread {args.gunicorn_workers}×{args.gunicorn_threads}, "
        f"{args.client_procs}×{args.client_threads} client connections)"
    )
    print(
        f"CPU per check-in: server {out['server_cpu_ms']:.1f} ms, load generator "
        f"{out['client_cpu_ms']:.1f} ms; load average {os.getloadavg()[0]:.1f} "
        f"(other processes share the {os.cpu_count()} cores)"
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--periods", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--port", type=int, default=8711)
    parser.add_argument("--gunicorn-workers", type=int, default=2)
    parser.add_argument("--gunicorn-threads", type=int, default=4)
    parser.add_argument("--client-procs", type=int, default=2)
    parser.add_argument("--client-threads", type=int, default=6)
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument(
        "--http-only", action="store_true", help="reuse the database of an earlier run"
    )
    args = parser.parse_args()

    if args.http_only:
        from urllib.parse import urlsplit, urlunsplit

        base = (
            os.environ.get("DATABASE_URL") or "postgres://fangkong:fangkong@127.0.0.1:5432/fangkong"
        )
        os.environ["DATABASE_URL"] = urlunsplit(
            urlsplit(base)._replace(path="/fangkong_bench_observation")
        )
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")
    else:
        use_bench_database("fangkong_bench_observation")
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    print(f"machine: {machine()}")
    print(
        f"database: {connection.vendor} {connection.pg_version if connection.vendor == 'postgresql' else ''}"
    )
    if args.http_only:
        from fangkong.observation.models import ObservationPeriod

        ids = list(ObservationPeriod.objects.filter(status="active").values_list("pk", flat=True))
    else:
        call_command("migrate", verbosity=0)
        ids = build(args.periods)
        sweep_bench()
    if not args.skip_http:
        connection.close()
        http_bench(ids, args)


if __name__ == "__main__":
    sys.exit(main())
