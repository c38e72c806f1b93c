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
import json
import os
import random
import sys
import time
import uuid
from dataclasses import dataclass
from functools import partial

from _db import ROOT, machine, reuse_bench_database, setup_django, use_bench_database
from _limits import SAME_LABEL, Row, SameStatements, describe, http_limits, load_check, table
from _load import Request, drive_from, serve

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
    # As the nightly batch (00:30) leaves them: every code derived with its basis, so a
    # normal reading is judged on the basis as in production (issue #21).
    from fangkong.healthcode.actions import recompute_all

    t = time.perf_counter()
    recompute_all(today)
    print(f"health codes derived (the nightly batch) in {time.perf_counter() - t:.1f} s")
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


@dataclass(frozen=True)
class CheckIns:
    """A reading of a random person through their signed link, a new client id each."""

    tokens: tuple[str, ...]

    def __call__(self, rng: random.Random, n: int) -> Request:
        body = json.dumps(
            {"client_id": str(uuid.uuid4()), "temperature": f"{36 + rng.random():.1f}"}
        )
        token = self.tokens[rng.randrange(len(self.tokens))]
        return Request(
            "POST",
            f"/api/v1/observation/self/{token}/checkins",
            body=body,
            headers={"Content-Type": "application/json"},
        )


def _same_params(period_ids: tuple[int, ...], rng: random.Random) -> dict:
    """One request to the bare view running the check-in's statements (`_bare.same`):
    a period and a new client id."""
    return {"period": period_ids[rng.randrange(len(period_ids))], "client_id": str(uuid.uuid4())}


def http_bench(period_ids: list[int], args: argparse.Namespace) -> dict:
    from fangkong.observation.links import make_token
    from fangkong.observation.models import ObservationPeriod

    sample = random.Random(7).sample(period_ids, min(20_000, len(period_ids)))
    tokens = [make_token(p) for p in ObservationPeriod.objects.filter(pk__in=sample)]
    with serve(args.port, args.gunicorn_workers, args.gunicorn_threads, tries=100) as pids:
        t = drive_from(args, CheckIns(tuple(tokens)), pids)
    out = {**t.summary(args.seconds), "concurrency": args.client_procs * args.client_threads}
    describe("check-in (signed link)", args.seconds, out, "check-in")
    ok, errors, rate = out["ok"], out["errors"], out["rate"]
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
    parser.add_argument("--skip-limits", action="store_true")
    args = parser.parse_args()
    load_check()

    if args.http_only:
        reuse_bench_database("fangkong_bench_observation")
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
        out = http_bench(ids, args)
        if not args.skip_limits:
            body = json.dumps({"client_id": str(uuid.uuid4()), "temperature": "36.6"})
            same = SameStatements("checkin", partial(_same_params, tuple(ids)))
            bare = http_limits(args, body, same=[same])
            django_rate, result = bare["bare Django view"]["rate"], out["rate"]
            table(
                [
                    Row(
                        "observation check-in",
                        "≥ 800/s, p95 < 100 ms",
                        result,
                        bare[f"{SAME_LABEL}: checkin"]["rate"],
                        note=f"{SAME_LABEL}; bare Django view without them "
                        f"{django_rate:,.0f}/s (result/that {result / django_rate:.2f}); "
                        f"gunicorn alone {bare['gunicorn alone']['rate']:,.0f}/s",
                    )
                ]
            )


if __name__ == "__main__":
    sys.exit(main())
