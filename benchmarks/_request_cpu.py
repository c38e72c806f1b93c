"""CPU per request of the gate and check-in hot paths, in-process (issue #21 item 1).

No HTTP server and no load generator: a WSGI environ is built for each request and the
project's WSGI handler (`fangkong.wsgi.application`, the whole middleware chain with its
lean path) is called N times per path, on PostgreSQL. Reported: this process's CPU
(user + sys, `time.process_time`) per request, the PostgreSQL backend's CPU per request
(read from /proc; the server runs on this machine), and with `--profile` a cProfile
breakdown. The bare Django view (`_bare.py`) is measured the same way in a child process
(its settings module differs). CPU per request and profile shares are what a shared
machine lets one trust; wall time is printed but is not the figure.

Paths: `verify` (POST /api/v1/healthcode/verify, bearer token, a fresh signed QR code),
`scan` (POST /api/v1/tracing/scans, bearer token, a new client id, a resident's code), `checkin` (POST
/api/v1/observation/self/<link>/checkins, a signed link, a new client id), `bare` (the bare
Django view, no statements) and `same-verify`, `same-scan`, `same-checkin`: each path's
statements through the bare view (`_bare.same`, the parameters sent plainly) — the limit
of a path that must read or write.

Usage: .venv/bin/python benchmarks/_request_cpu.py --setup     # once: its own database
       .venv/bin/python benchmarks/_request_cpu.py [-n 2000] [--paths verify,scan,checkin,bare,same-checkin]
           [--profile] [--top 30]
The database is `fangkong_bench_lean` (FANGKONG_BENCH_DB names another). Benchmark only."""

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any

from _db import ROOT, reuse_bench_database, setup_django, use_bench_database

DB = "fangkong_bench_lean"
PERSONS = 20_000  # tracing's persons (codes, venues, facts)
PERIODS = 30_000  # observation's persons under observation
ROUNDS = 5


def setup() -> None:
    """A fresh database with the tracing benchmark's data (persons with facts, venues, a
    bearer token; every code derived) and the observation benchmark's periods."""
    use_bench_database(DB)
    setup_django()
    import observation
    import tracing
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    tracing.build(PERSONS)
    from fangkong.healthcode.actions import recompute_all

    recompute_all()
    observation.build(PERIODS)


def environ(method: str, path: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    """The WSGI environ gunicorn would build for this request on loopback."""
    env: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8716",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8716",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    for name, value in headers.items():
        env["HTTP_" + name.upper().replace("-", "_")] = value
    return env


Make = Callable[[random.Random], dict[str, Any]]


def _periods(n: int) -> list[Any]:
    """Active periods for 2n + 100 check-ins, the fewest readings today first, each to be
    used once (as each person reports once a window): a link takes only so many readings
    a window (`link_readings_per_window`), and repeated runs use them up."""
    from django.db.models import Count, Q

    from fangkong.core import clock
    from fangkong.observation.models import ObservationPeriod

    today = clock.today()
    return list(
        ObservationPeriod.objects.filter(status="active")
        .annotate(n=Count("checkins", filter=Q(checkins__local_date=today)))
        .order_by("n", "?")[: 2 * n + 100]
    )


def makers(n: int) -> dict[str, tuple[Make, int]]:
    """Per path: a function giving one request's environ, and the status it must get."""
    import tracing

    from fangkong.healthcode.tokens import qr_token
    from fangkong.observation.links import make_token

    ctx = tracing.reuse()
    bearer = {"Authorization": f"Bearer {ctx['token']}"}
    rng = random.Random(21)
    persons = ctx["persons"]
    qr = [qr_token(persons[rng.randrange(len(persons))]) for _ in range(min(n, 5000))]
    links = iter([make_token(p) for p in _periods(n)])

    def verify(r: random.Random) -> dict[str, Any]:
        body = {"token": r.choice(qr), "venue_code": r.choice(ctx["venues"])}
        return environ("POST", "/api/v1/healthcode/verify", json.dumps(body).encode(), bearer)

    def scan(r: random.Random) -> dict[str, Any]:
        # a resident's code scanned at a venue (the usual single scan)
        body = {"venue_code": r.choice(ctx["venues"]), "client_id": str(uuid.uuid4()),
                "token": r.choice(qr)}  # fmt: skip
        return environ("POST", "/api/v1/tracing/scans", json.dumps(body).encode(), bearer)

    def checkin(r: random.Random) -> dict[str, Any]:
        body = {"client_id": str(uuid.uuid4()), "temperature": f"{36 + r.random():.1f}"}
        path = f"/api/v1/observation/self/{next(links)}/checkins"
        return environ("POST", path, json.dumps(body).encode(), {})

    return {"verify": (verify, 200), "scan": (scan, 201), "checkin": (checkin, 201)}


def bare_maker(n: int) -> dict[str, tuple[Make, int]]:
    """The bare view (no statements), and per path the same statements through it
    (`_bare.same`, "same-verify", "same-scan", "same-checkin")."""
    from fangkong.accounts.models import User
    from fangkong.people.models import Person
    from fangkong.tracing.models import Venue

    body = json.dumps({"client_id": str(uuid.uuid4()), "temperature": "36.6"}).encode()
    step = max(1, Person.objects.count() // 100_000)
    persons = list(Person.objects.order_by("pk").values_list("pk", flat=True))[::step]
    venues = list(Venue.objects.values_list("code", flat=True))
    prefix = User.objects.get(username="bench-hq").node.path
    periods = _periods(n)

    def same(kind: str, r: random.Random) -> dict[str, Any]:
        params: dict[str, Any] = {"p": r.choice(persons), "v": r.choice(venues), "prefix": prefix}
        if kind != "verify":
            params["client_id"] = str(uuid.uuid4())
        if kind == "checkin":
            params = {"period": r.choice(periods).pk, "client_id": params["client_id"]}
        return environ("POST", f"/bare/same/{kind}", json.dumps(params).encode(), {})

    found: dict[str, tuple[Make, int]] = {
        "bare": (lambda r: environ("POST", "/bare", body, {}), 200)
    }
    for kind in ("verify", "scan", "checkin"):
        found[f"same-{kind}"] = (partial(same, kind), 201)
    return found


def backend_cpu() -> float:
    """CPU seconds of every PostgreSQL backend of this process's connections so far (the
    pool may hand out more than one); 0.0 where /proc cannot be read."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cur:
        cur.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND application_name = '' AND backend_type = 'client backend'"
        )
        pids = [row[0] for row in cur.fetchall()]
    total = 0
    for pid in pids:
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total / os.sysconf("SC_CLK_TCK")


def call(app: Any, env: dict[str, Any], expect: int) -> None:
    got: list[str] = []

    def start_response(status: str, headers: list, exc_info: Any = None) -> None:
        got.append(status)

    result = app(env, start_response)
    body = b"".join(result)
    if hasattr(result, "close"):
        result.close()
    if not got[0].startswith(str(expect)):
        raise SystemExit(f"{env['PATH_INFO']}: {got[0]} {body[:300]!r}")


def measure(app: Any, name: str, make: Make, expect: int, n: int, profile: bool, top: int) -> None:
    rng = random.Random(5)
    for _ in range(50):  # warm-up: imports, pooled connection, prepared statements
        call(app, make(rng), expect)
    # Rounds of n / ROUNDS requests: the least CPU per request of a round is the figure
    # least disturbed by other work on a shared machine; the median is printed beside it.
    per, pg_per, wall_per = [], [], []
    size = max(1, n // ROUNDS)
    for _ in range(ROUNDS):
        envs = [make(rng) for _ in range(size)]
        b0 = backend_cpu()
        w0, c0 = time.perf_counter(), time.process_time()
        for env in envs:
            call(app, env, expect)
        wall_per.append((time.perf_counter() - w0) / size * 1e6)
        per.append((time.process_time() - c0) / size * 1e6)
        pg_per.append((backend_cpu() - b0) / size * 1e6)
    print(
        f"{name:8} {size * ROUNDS:,} requests: CPU {min(per):6.0f} µs per request (least of "
        f"{ROUNDS} rounds; median {statistics.median(per):6.0f}); PostgreSQL backend "
        f"{statistics.median(pg_per):5.0f} µs; wall {statistics.median(wall_per):6.0f} µs",
        flush=True,
    )
    if profile:
        envs = [make(rng) for _ in range(n)]
        prof = cProfile.Profile(time.process_time)  # CPU, not wall
        prof.enable()
        for env in envs:
            call(app, env, expect)
        prof.disable()
        out = io.StringIO()
        stats = pstats.Stats(prof, stream=out)
        stats.sort_stats("tottime").print_stats(top)
        stats.sort_stats("cumulative").print_stats(top)
        print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--setup", action="store_true", help="build the database and stop")
    parser.add_argument("-n", type=int, default=2000, help="requests per path")
    parser.add_argument(
        "--paths", default="verify,scan,checkin,bare,same-verify,same-scan,same-checkin"
    )
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--bare-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        setup()
        return
    paths = args.paths.split(",")
    print(f"load average (1 min): {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    if args.bare_child:
        os.environ["DJANGO_SETTINGS_MODULE"] = "_bare"
        reuse_bench_database(DB)
        from django.core.wsgi import get_wsgi_application

        app = get_wsgi_application()
        for name, (make, expect) in bare_maker(args.n).items():
            if name in paths:
                measure(app, name, make, expect, args.n, args.profile, args.top)
        return
    reuse_bench_database(DB)
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    found = makers(args.n)
    for name in paths:
        if name in found:
            make, expect = found[name]
            measure(app, name, make, expect, args.n, args.profile, args.top)
    if any(name == "bare" or name.startswith("same-") for name in paths):
        cmd = [sys.executable, __file__, "--bare-child", "-n", str(args.n), "--top", str(args.top)]
        cmd += ["--paths", args.paths]
        env = {**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'benchmarks'}"}
        subprocess.run(cmd + (["--profile"] if args.profile else []), check=True, env=env)


if __name__ == "__main__":
    main()
