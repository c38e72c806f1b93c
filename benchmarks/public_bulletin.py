"""The public bulletin page under load (issue 11 benchmark), on PostgreSQL.

A fresh database gets the Shaoxing tree and 60 days of published city bulletins; then
gunicorn (gthread) serves the real project on loopback and a bounded load generator
(processes × threads, one keep-alive connection each, a fixed time) requests the
resident's bulletin page `/public/` (and, with --mix, the history page). The page reads
only the published-bulletin table and is cached per worker, so the figure measures the
serving path: gunicorn, the middleware, the cache and the response.

Usage: DATABASE_URL=postgres://… python benchmarks/public_bulletin.py [--seconds S]
"""

import argparse
import datetime as dt
import http.client
import multiprocessing
import os
import signal
import subprocess
import threading
import time

from _db import ROOT, machine, percentile, setup_django, use_bench_database

DIVISIONS = ROOT / "fangkong" / "geo" / "data" / "divisions-shaoxing.csv"


def build(days: int) -> str:
    """The tree and `days` published bulletins of the city; returns the latest title."""
    from django.utils import timezone

    from fangkong.accounts.models import User
    from fangkong.core import clock
    from fangkong.geo.loaders import load_divisions, read_csv
    from fangkong.geo.models import Division
    from fangkong.public import actions

    load_divisions(read_csv(DIVISIONS))
    city = Division.objects.get(code="3306")
    hq = User.objects.create_user("bench_hq", password="bench-only-pw-1", role="city_hq", node=city)
    districts = list(Division.objects.filter(parent=city).order_by("code"))
    start = dt.date(2020, 1, 23)
    totals = {d.code: 0 for d in districts}
    title = ""
    for i in range(days):
        day = start + dt.timedelta(days=i)
        figures = []
        for k, d in enumerate(districts):
            new = (i * 7 + k * 3) % 5
            totals[d.code] += new
            figures.append({"code": d.code, "name": d.name, "new": new, "total": totals[d.code]})
        when = timezone.make_aware(dt.datetime.combine(day, dt.time(20)))
        with clock.frozen(when):
            b = actions.draft_bulletin(hq, city, day, figures)
            actions.publish_bulletin(hq, b)
        title = b.title
    return title


def _worker(args: tuple) -> tuple[list[float], int, int, int, float]:
    port, paths, threads, seconds, warmup, expect = args
    lat: list[float] = []
    counts = [0, 0, 0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + warmup + seconds
    measure_from = time.perf_counter() + warmup

    def run(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Accept-Language": "zh-CN,zh;q=0.9", "Accept-Encoding": "identity"}
        mine: list[float] = []
        ok = err = sent = 0
        n = k
        while True:
            if time.perf_counter() >= stop_at:
                break
            path = paths[n % len(paths)]
            n += 1
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                resp = conn.getresponse()
                body = resp.read()
                good = resp.status == 200 and (path != "/public/" or expect in body)
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
            counts[0] += ok
            counts[1] += err
            counts[2] += sent

    ts = [threading.Thread(target=run, args=(k,)) for k in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    cpu = os.times()
    return lat, counts[0], counts[1], counts[2], cpu.user + cpu.system


def _cpu_seconds(pids: list[int]) -> float:
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


def http_bench(args: argparse.Namespace, expect: bytes) -> dict:
    env = {**os.environ, "FANGKONG_LOG_LEVEL": "WARNING"}
    cmd = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "fangkong.wsgi",
        "--bind",
        f"127.0.0.1:{args.port}",
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
        for _ in range(150):
            try:
                c = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        paths = ["/public/"] * 9 + ["/public/history/"] if args.mix else ["/public/"]
        per = [
            (args.port, paths, args.client_threads, args.seconds, args.warmup, expect)
            for _ in range(args.client_procs)
        ]
        workers = _children(server.pid)
        before = _cpu_seconds(workers)
        with multiprocessing.get_context("fork").Pool(len(per)) as pool:
            results = pool.map(_worker, per)
        server_cpu = _cpu_seconds(workers) - before
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    lat = [x for r in results for x in r[0]]
    ok = sum(r[1] for r in results)
    errors = sum(r[2] for r in results)
    sent = sum(r[3] for r in results)
    client_cpu = sum(r[4] for r in results)
    rate = ok / args.seconds
    out = {
        "rate": rate,
        "ok": ok,
        "errors": errors,
        "p50": percentile(lat, 50) * 1000,
        "p95": percentile(lat, 95) * 1000,
        "p99": percentile(lat, 99) * 1000,
        "server_cpu_ms": 1000 * server_cpu / max(sent, 1),
        "client_cpu_ms": 1000 * client_cpu / max(sent, 1),
    }
    print(
        f"GET {'/public/ (+10 % history)' if args.mix else '/public/'}: {ok:,} in {args.seconds} s"
        f" = {rate:,.0f} req/s, errors {errors}, latency p50 {out['p50']:.1f} ms, "
        f"p95 {out['p95']:.1f} ms, p99 {out['p99']:.1f} ms (gunicorn gthread "
        f"{args.gunicorn_workers}×{args.gunicorn_threads}; {args.client_procs}×"
        f"{args.client_threads} keep-alive client connections)"
    )
    print(
        f"CPU per request: server {out['server_cpu_ms']:.2f} ms, load generator "
        f"{out['client_cpu_ms']:.2f} ms (both on the same {os.cpu_count()} cores); "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--gunicorn-workers", type=int, default=2)
    parser.add_argument("--gunicorn-threads", type=int, default=4)
    parser.add_argument("--client-procs", type=int, default=2)
    parser.add_argument("--client-threads", type=int, default=8)
    parser.add_argument("--mix", action="store_true", help="one request in ten to /history/")
    args = parser.parse_args()

    use_bench_database("fangkong_bench_public")
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    print(f"machine: {machine()}")
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; {args.days} published bulletins")
    t0 = time.perf_counter()
    title = build(args.days)
    print(f"setup: {time.perf_counter() - t0:.1f} s")
    connection.close()
    http_bench(args, title.encode())


if __name__ == "__main__":
    main()
