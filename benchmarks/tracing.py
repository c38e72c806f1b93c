"""Contact tracing and health code at city scale (issue 6 benchmark), on PostgreSQL.

1. Scan ingest over HTTP on loopback with gunicorn (gthread) serving the project:
   single scans (`POST /api/v1/tracing/scans`, one client id each) and the batch API
   (`POST /api/v1/tracing/scans/batch`, B scans per request);
2. health code verification (`POST /api/v1/healthcode/verify`, a fresh signed QR token
   of a random person at a venue): rate and latency percentiles;
3. the daily colour batch (`recompute_all`) for N persons (default 5.3 M) of whom about
   1 % have facts (arrivals, fever check-ins, overrides): first run (creates every code)
   and the steady daily run.

4. with `--kinds batch`, batch scans in-process (no HTTP): µs of CPU per scan split
   into parse (body checks, JSON decoding), validate (`venues.check_batch`) and write
   (`venues.write_batch`, this process and the PostgreSQL backend).

Usage: DATABASE_URL=postgres://… python benchmarks/tracing.py [--persons N] [--seconds S]
       [--kinds recompute,http,batch] [--batch B] [--rounds R]
"""

import argparse
import datetime as dt
import json
import os
import random
import time
import uuid
from dataclasses import dataclass
from functools import partial

from _db import ROOT, machine, reuse_bench_database, setup_django, use_bench_database
from _limits import (
    SAME_LABEL,
    Row,
    SameStatements,
    copy_rate,
    describe,
    http_limits,
    load_check,
    table,
)
from _load import Request, drive_from, serve

DIVISIONS = ROOT / "fangkong" / "geo" / "data" / "divisions-shaoxing.csv"


def _sql_literal_columns() -> tuple[list[str], list[str]]:
    """Columns of people_person and a SQL expression for each (g = the series number)."""
    from fangkong.people.models import Person

    cols, exprs = [], []
    for f in Person._meta.concrete_fields:
        if f.primary_key:
            continue
        cols.append(f.column)
        if f.name == "name":
            exprs.append("'居民' || g")
        elif f.name == "name_initials":
            exprs.append("'jm'")
        elif f.name == "node":
            exprs.append("v.id")
        elif f.name == "path":
            exprs.append("v.path")
        elif f.name in ("created_at", "updated_at"):
            exprs.append("now()")
        elif f.name == "version":
            exprs.append("1")
        elif f.name == "sex":
            exprs.append("'U'")
        elif f.null:
            exprs.append("NULL")
        else:
            exprs.append("''")
    return cols, exprs


def build(n: int) -> dict:
    from django.db import connection

    from fangkong.accounts.models import ApiToken, User
    from fangkong.core import clock
    from fangkong.geo.loaders import load_divisions, read_csv
    from fangkong.geo.models import Division
    from fangkong.healthcode.models import Arrival, CodeOverride, DailyCheckIn
    from fangkong.people.models import Person
    from fangkong.tracing.models import Venue

    t = time.perf_counter()
    load_divisions(read_csv(DIVISIONS))
    villages = list(Division.objects.filter(level="village").values_list("id", "path"))
    cols, exprs = _sql_literal_columns()
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE bv (k int, id bigint, path text)")
        cur.executemany(
            "INSERT INTO bv VALUES (%s, %s, %s)", [(k, i, p) for k, (i, p) in enumerate(villages)]
        )
        step = 500_000
        for start in range(1, n + 1, step):
            end = min(n, start + step - 1)
            cur.execute(
                f"INSERT INTO {Person._meta.db_table} ({', '.join(cols)}) "  # noqa: S608
                f"SELECT {', '.join(exprs)} FROM generate_series(%s, %s) g "
                f"JOIN bv v ON v.k = g %% %s",
                [start, end, len(villages)],
            )
    print(f"{n:,} persons inserted in {time.perf_counter() - t:.1f} s (not timed below)")
    root = Division.objects.get(code="3306")
    user = User.objects.create(username="bench-hq", role="city_hq", node=root, password="!")
    raw = ApiToken.new_raw()
    ApiToken.objects.create(
        user=user, digest=ApiToken.hash(raw), expires_at=clock.now() + dt.timedelta(days=30)
    )
    venues = Venue.objects.bulk_create(
        [
            Venue(name=f"场所{i}", kind="shop", node_id=v[0], path=v[1])
            for i, v in enumerate(villages[:1000])
        ]
    )
    # ~1 % of persons with facts: arrivals, check-ins (some with fever), overrides.
    rng = random.Random(6)
    ids = list(Person.objects.order_by("pk").values_list("pk", "path"))
    sample = rng.sample(ids, max(10, n // 100))
    today = clock.today()
    arrivals, checkins, overrides = [], [], []
    for k, (pid, path) in enumerate(sample):
        if k % 3 == 0:
            arrivals.append(
                Arrival(
                    person_id=pid,
                    origin="某地",
                    risk_level="high" if k % 9 == 0 else "medium",
                    arrived_on=today - dt.timedelta(days=rng.randint(0, 20)),
                    path=path,
                )
            )
        for d in range(rng.randint(1, 10)):
            checkins.append(
                DailyCheckIn(
                    person_id=pid,
                    day=today - dt.timedelta(days=d),
                    client_id=uuid.uuid4(),
                    temperature="38.0" if rng.random() < 0.05 else "36.6",
                    abnormal=False,
                    path=path,
                )
            )
        if k % 500 == 0:
            overrides.append(
                CodeOverride(person_id=pid, colour="red", reason="benchmark", by=user, path=path)
            )
    for c in checkins:
        c.abnormal = str(c.temperature) >= "37.3"
    Arrival.objects.bulk_create(arrivals, batch_size=5000)
    DailyCheckIn.objects.bulk_create(checkins, batch_size=5000)
    CodeOverride.objects.bulk_create(overrides)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    print(
        f"facts: {len(arrivals):,} arrivals, {len(checkins):,} check-ins, {len(overrides)} overrides"
    )
    return {
        "token": raw,
        "venues": [v.code for v in venues],
        "persons": [p for p, _ in ids],
        "prefix": root.path,
    }


def reuse() -> dict:
    """Context of an earlier run: a fresh API token, its venues and persons."""
    from fangkong.accounts.models import ApiToken, User
    from fangkong.core import clock
    from fangkong.people.models import Person
    from fangkong.tracing.models import Venue

    raw = ApiToken.new_raw()
    ApiToken.objects.create(
        user=User.objects.get(username="bench-hq"),
        digest=ApiToken.hash(raw),
        expires_at=clock.now() + dt.timedelta(days=1),
    )
    step = max(1, Person.objects.count() // 100_000)
    persons = list(Person.objects.order_by("pk").values_list("pk", flat=True))[::step]
    return {
        "token": raw,
        "venues": list(Venue.objects.values_list("code", flat=True)),
        "persons": persons,
        "prefix": User.objects.get(username="bench-hq").node.path,
    }


def codes_derived() -> None:
    """Every person's code derived, as the daily batch leaves a city (a gate meeting a
    person without one derives it on the spot, which is not what the gate's figure is)."""
    from fangkong.healthcode.actions import recompute_all
    from fangkong.healthcode.models import HealthCode
    from fangkong.people.models import Person

    if HealthCode.objects.count() < Person.objects.count():
        recompute_all()


def recompute_bench() -> None:
    from fangkong.healthcode.actions import recompute_all
    from fangkong.healthcode.models import HealthCode

    for label in ("first run (creates every code)", "daily run"):
        t = time.perf_counter()
        result = recompute_all()
        took = time.perf_counter() - t
        print(
            f"recompute {label}: {took:.1f} s; persons with facts {result['with_facts']:,}, "
            f"colour changes {result['changes']:,}, new green codes {result['new_green']:,}"
        )
    counts = {c: HealthCode.objects.filter(colour=c).count() for c in ("red", "yellow", "green")}
    print(f"codes: {counts}")


# ---------------------------------------------------------------- batch scans in-process


def _backend_cpu() -> float:
    """CPU seconds (user + system) of this connection's PostgreSQL backend so far, read
    from /proc (the server runs on this machine); 0.0 where it cannot be read."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        (pid,) = cur.fetchone()
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _batch_body(ctx: dict, rng: random.Random, size: int) -> bytes:
    """A batch as a gate device sends it: every field filled."""
    when = dt.datetime.now(dt.UTC).replace(microsecond=0)
    rows = [
        {
            "venue_code": ctx["venues"][rng.randrange(len(ctx["venues"]))],
            "client_id": str(uuid.uuid4()),
            "scanned_at": (when - dt.timedelta(seconds=rng.randrange(3600))).isoformat(),
            "person_id": ctx["persons"][rng.randrange(len(ctx["persons"]))],
            "direction": "entry",
            "temperature": round(36 + rng.random(), 1),
            "colour": "green",
        }
        for _ in range(size)
    ]
    return json.dumps({"scans": rows}).encode()


def batch_in_process(ctx: dict, size: int, rounds: int) -> dict:
    """CPU per scan of the batch path without HTTP, split as the server spends it:
    parse (the API's body checks and JSON decoding in RejectUnstorableInApi, then the
    body's model), validate (`venues.check_batch`: venues, persons, each row) and write
    (`venues.write_batch`: COPY and merge). CPU is this process's (user + sys) and,
    for the write, the PostgreSQL backend's too (read from /proc); one round is a
    warm-up."""
    from django.test import RequestFactory

    from fangkong.accounts.models import User
    from fangkong.core.middleware import PARSED, RejectUnstorableInApi
    from fangkong.tracing import venues
    from fangkong.tracing.api import TracingBatchIn

    user = User.objects.get(username="bench-hq")
    checks = RejectUnstorableInApi(lambda request: None)  # type: ignore[arg-type, return-value]
    factory = RequestFactory()
    rng = random.Random(21)
    parts = {"parse": 0.0, "validate": 0.0, "write": 0.0, "write (PostgreSQL)": 0.0}
    wall = 0.0
    stored = 0
    for n in range(rounds + 1):
        body = _batch_body(ctx, rng, size)
        request = factory.post("/api/v1/tracing/scans/batch", body, content_type="application/json")
        w0, c0 = time.perf_counter(), time.process_time()
        assert not checks.errors(request)
        rows = TracingBatchIn.model_validate(getattr(request, PARSED)).scans
        c1 = time.process_time()
        good, rejected = venues.check_batch(user, rows)
        w2, c2 = time.perf_counter(), time.process_time()
        b0 = _backend_cpu()
        w3, c3 = time.perf_counter(), time.process_time()
        written = venues.write_batch(good)
        w4, c4 = time.perf_counter(), time.process_time()
        b1 = _backend_cpu()
        assert not rejected and written == size, (rejected[:3], written)
        if n == 0:
            continue  # warm-up
        parts["parse"] += c1 - c0
        parts["validate"] += c2 - c1
        parts["write"] += c4 - c3
        parts["write (PostgreSQL)"] += b1 - b0
        wall += (w2 - w0) + (w4 - w3)
        stored += written
    per = {k: v / stored * 1e6 for k, v in parts.items()}
    total = sum(per.values())
    print(f"batch scans in-process: {rounds} batches of {size:,} ({stored:,} scans stored)")
    for name, us in per.items():
        print(f"  {name:<20} {us:7.2f} µs CPU per scan")
    print(
        f"  {'total':<20} {total:7.2f} µs CPU per scan → {1e6 / total:,.0f} scans per "
        f"CPU-second; wall {wall / stored * 1e6:.2f} µs per scan"
    )
    return {"per_scan_us": per, "total_us": total, "scans": stored}


# ---------------------------------------------------------------- HTTP load


def _body(kind: str, ctx: dict, rng: random.Random) -> tuple[str, str, int]:
    """(path, JSON body, scans carried) of one request of this kind."""
    venue = ctx["venues"][rng.randrange(len(ctx["venues"]))]
    if kind == "single":
        return (
            "/api/v1/tracing/scans",
            # a resident's code scanned at a venue (the usual single scan)
            json.dumps(
                {
                    "venue_code": venue,
                    "client_id": str(uuid.uuid4()),
                    "token": ctx["qr"][rng.randrange(len(ctx["qr"]))],
                }
            ),  # fmt: skip
            1,
        )
    if kind == "batch":
        rows = [
            {
                "venue_code": ctx["venues"][rng.randrange(len(ctx["venues"]))],
                "client_id": str(uuid.uuid4()),
                "person_id": ctx["persons"][rng.randrange(len(ctx["persons"]))],
            }
            for _ in range(ctx["batch"])
        ]
        return "/api/v1/tracing/scans/batch", json.dumps({"scans": rows}), len(rows)
    token = ctx["qr"][rng.randrange(len(ctx["qr"]))]
    return "/api/v1/healthcode/verify", json.dumps({"token": token, "venue_code": venue}), 1


def _same_params(kind: str, ctx: dict, rng: random.Random) -> dict:
    """The parameters of one request to the bare view running the path's statements
    (`_bare.same`): the person a code names, the venue, the caller's area."""
    params = {
        "p": ctx["persons"][rng.randrange(len(ctx["persons"]))],
        "v": ctx["venues"][rng.randrange(len(ctx["venues"]))],
        "prefix": ctx["prefix"],
    }
    if kind == "scan":
        params["client_id"] = str(uuid.uuid4())
    if kind == "batch":  # the batch's rows resolved: what its write needs
        places, persons = ctx["venue_places"], ctx["persons"]
        rows = []
        for _ in range(ctx["batch"]):
            venue_id, path = places[rng.randrange(len(places))]
            person = persons[rng.randrange(len(persons))]
            rows.append({"venue_id": venue_id, "path": path, "person_id": person,
                         "client_id": str(uuid.uuid4()), "colour": "green"})  # fmt: skip
        return {"scans": rows}
    return params


@dataclass(frozen=True)
class Calls:
    """Requests of one kind (single scan, batch, verification) with the bearer token;
    a success counts the scans it carried."""

    kind: str
    ctx: dict

    def __call__(self, rng: random.Random, n: int) -> Request:
        path, body, carried = _body(self.kind, self.ctx, rng)
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {self.ctx['token']}",
        }
        return Request("POST", path, body=body, headers=headers, units=carried)


AIMS = {
    "single": ("single venue scan", "≥ 2,000/s, p95 < 50 ms"),
    "batch": ("batch scans", "≥ 100,000 scans/s"),
    "verify": ("health-code verification at a gate", "≥ 2,000/s, p95 < 50 ms"),
}


def http_bench(ctx: dict, args: argparse.Namespace) -> dict:
    """Each kind over HTTP through the project: rate, latency, wall time and CPU (server
    and load generator) per request and per scan; the summaries by kind."""
    from fangkong.core import clock
    from fangkong.healthcode.tokens import qr_token

    results = {}
    with serve(args.port, args.gunicorn_workers, args.gunicorn_threads, tries=100) as workers:
        for kind in ("single", "batch", "verify"):
            if kind in ("single", "verify"):  # fresh QR tokens (the rule set's 120 s)
                rng = random.Random(9)
                ctx["qr"] = [
                    qr_token(ctx["persons"][rng.randrange(len(ctx["persons"]))])
                    for _ in range(min(5000, 50 * len(ctx["persons"])))
                ]
                assert clock.now()
            threads = 2 if kind == "batch" else args.client_threads
            t = drive_from(args, Calls(kind, ctx), workers, threads=threads, timeout=60)
            out = t.summary(args.seconds)
            unit = "scan" if kind != "verify" else "verification"
            describe(f"{kind} ({AIMS[kind][0]})", args.seconds, out, "request")
            if kind == "batch":  # per scan as well: a request carries args.batch scans
                per = args.batch
                print(
                    f"  {args.batch} scans per request: server CPU "
                    f"{out['server_cpu_ms'] / per * 1000:.1f} µs, client "
                    f"{out['client_cpu_ms'] / per * 1000:.1f} µs per scan"
                )
            out["unit"] = unit
            results[kind] = out
    print(
        f"(gunicorn gthread {args.gunicorn_workers}×{args.gunicorn_threads}; load generator "
        f"{args.client_procs} processes on the same {os.cpu_count()} cores; "
        f"load average {os.getloadavg()[0]:.1f})"
    )
    return results


def limits_and_table(ctx: dict, results: dict, args: argparse.Namespace) -> None:
    """The same requests through a bare Django view and gunicorn alone, COPY's rows/s;
    then the table: path, aim, result, limit (the bare Django view for single
    requests, COPY for batches), result/limit."""
    rng = random.Random(3)
    _path, verify_body, _n = _body("single", ctx, rng)
    from fangkong.tracing.models import Venue

    ctx["venue_places"] = list(Venue.objects.values_list("pk", "path"))
    same = {"verify": "verify", "single": "scan", "batch": "batch"}
    batch = ctx["batch"]  # a batch request carries its scans, on the batch's 2 threads
    makers = [
        SameStatements(same[k], partial(_same_params, same[k], ctx))
        if k != "batch"
        else SameStatements("batch", partial(_same_params, "batch", ctx), batch, threads=2)
        for k in same
        if k in results
    ]
    bare = http_limits(args, verify_body, same=makers)
    copy = copy_rate(args.copy_rows)
    django_rate = bare["bare Django view"]["rate"]
    gunicorn_rate = bare["gunicorn alone"]["rate"]
    rows = []
    for kind in ("verify", "single"):
        if kind in results:
            limit = bare[f"{SAME_LABEL}: {same[kind]}"]["rate"]
            result = results[kind]["rate"]
            note = (
                f"{SAME_LABEL}; bare Django view without them {django_rate:,.0f}/s "
                f"(result/that {result / django_rate:.2f}); gunicorn alone {gunicorn_rate:,.0f}/s"
            )
            rows.append(Row(*AIMS[kind], result, limit, note=note))
    if "batch" in results:
        result, merged = results["batch"]["rate"], bare[f"{SAME_LABEL}: batch"]["rate"]
        note = (
            f"{SAME_LABEL}: COPY into the stage and the merge, rows given resolved; COPY "
            f"into a plain table {copy:,.0f} rows/s (result/that {result / copy:.2f})"
        )
        rows.append(Row(*AIMS["batch"], result, merged, note=note))
    table(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=5_300_000)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--port", type=int, default=8716)
    parser.add_argument("--gunicorn-workers", type=int, default=2)
    parser.add_argument("--gunicorn-threads", type=int, default=4)
    parser.add_argument("--client-procs", type=int, default=2)
    parser.add_argument("--client-threads", type=int, default=6)
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--http-only", action="store_true", help="reuse an earlier run's data")
    parser.add_argument("--copy-rows", type=int, default=1_000_000, help="COPY limit's rows")
    parser.add_argument("--skip-limits", action="store_true")
    parser.add_argument(
        "--kinds",
        default="recompute,http",
        help="comma-separated: recompute (the daily colour batch), http (scans and "
        "verifications through gunicorn), batch (batch scans in-process: CPU per scan "
        "split into parse / validate / write)",
    )
    parser.add_argument("--rounds", type=int, default=20, help="batches for --kinds batch")
    args = parser.parse_args()
    kinds = set(args.kinds.split(","))
    load_check()

    if args.http_only:
        reuse_bench_database("fangkong_bench_tracing")
    else:
        use_bench_database("fangkong_bench_tracing")
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    print(f"machine: {machine()}")
    if args.http_only:
        ctx = reuse()
    else:
        call_command("migrate", verbosity=0)
        ctx = build(args.persons)
    print(f"database: {connection.vendor} {connection.pg_version}")
    ctx["batch"] = args.batch
    if not args.http_only and "recompute" in kinds:
        recompute_bench()
    if "batch" in kinds:
        batch_in_process(ctx, args.batch, args.rounds)
    if not args.skip_http and "http" in kinds:
        ctx["persons"] = ctx["persons"][:: max(1, len(ctx["persons"]) // 100_000)]
        codes_derived()
        connection.close()
        results = http_bench(ctx, args)
        if not args.skip_limits:
            limits_and_table(ctx, results, args)


if __name__ == "__main__":
    main()
