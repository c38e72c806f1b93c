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
import os
import random
import time
from dataclasses import dataclass

from _db import ROOT, machine, setup_django, use_bench_database
from _load import Request, children, cpu_seconds, drive_from, serve, worker

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


HEADERS = {"Accept-Language": "zh-CN,zh;q=0.9", "Accept-Encoding": "identity"}


@dataclass(frozen=True)
class Pages:
    """GET the paths in turn; the bulletin page must hold the latest title."""

    paths: tuple[str, ...]
    expect: bytes

    def __call__(self, rng: random.Random, n: int) -> Request:
        path = self.paths[n % len(self.paths)]
        expect = self.expect if path == "/public/" else b""
        return Request("GET", path, headers=HEADERS, ok_status=(200,), expect=expect)


def _worker(args: tuple) -> tuple[list[float], int, int, int, float]:
    """(port, paths, threads, seconds, warmup, expect) → (latencies, ok, errors, sent,
    client CPU): the page load of `Pages`, kept for benchmarks/care.py."""
    port, paths, threads, seconds, warmup, expect = args
    t = worker((port, Pages(tuple(paths), expect), threads, seconds, warmup, 0, 30))
    return t.lat, t.units, t.errors, t.sent, t.client_cpu


_children, _cpu_seconds = children, cpu_seconds  # also used by benchmarks/care.py


def http_bench(args: argparse.Namespace, expect: bytes) -> dict:
    paths = ["/public/"] * 9 + ["/public/history/"] if args.mix else ["/public/"]
    with serve(args.port, args.gunicorn_workers, args.gunicorn_threads) as pids:
        t = drive_from(args, Pages(tuple(paths), expect), pids)
    out = t.summary(args.seconds)
    ok, errors, rate = out["ok"], out["errors"], out["rate"]
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
