"""The daily briefing of the whole city (issue 8 benchmark), on PostgreSQL.

Builds (not timed): the Shaoxing tree; N persons (default 5.3 million; plain rows copied
by one INSERT … SELECT: the briefing reads only their path, creation time and status);
M active observation periods (default 100,000) with yesterday's check-ins of 70 %;
as many screening subjects and tasks; a 60-day epidemic of confirmed cases from a renewal
simulation spread over the villages, with clusters, onset dates 1–7 days before the
report (one case in twenty without) and the simulation's imported cases marked as
imported (so the curve and Rt are by onset). Then times:

1. computing the city's briefing (`briefing.compute.compute`, what the background task
   runs): every section, Rt / doubling time / forecast, the R15/R16 map of 6 counties and
   103 towns, stored;
2. opening it: the real page (`GET /briefing/3306/<day>/`) and the API
   (`GET /api/v1/briefing/briefings/3306/<day>`) through Django's test client, p50 / p95
   and SQL queries per request.

Usage: DATABASE_URL=postgres://… python benchmarks/briefing.py [--persons N] [--periods M]
"""

import argparse
import datetime as dt
import random
import time
import uuid

from _db import ROOT, machine, percentile, setup_django, use_bench_database

DIVISIONS = ROOT / "fangkong" / "geo" / "data" / "divisions-shaoxing.csv"


def build(n_persons: int, n_periods: int, seed: int = 8) -> dt.date:
    import numpy as np
    from django.db import connection
    from django.utils import timezone

    from fangkong.accounts.models import User
    from fangkong.analytics.serial import discr_si
    from fangkong.analytics.simulate import simulate_renewal
    from fangkong.clinical.models import Case, Cluster, Facility
    from fangkong.core import clock
    from fangkong.geo.loaders import load_divisions, read_csv
    from fangkong.geo.models import Division
    from fangkong.observation.actions import rules_in_force
    from fangkong.observation.models import CheckIn, ObservationPeriod
    from fangkong.people.models import Person
    from fangkong.screening.models import ScreeningSubject, ScreeningTask

    rng = random.Random(seed)
    t = time.perf_counter()
    load_divisions(read_csv(DIVISIONS))
    villages = list(Division.objects.filter(level="village").values_list("id", "path"))
    print(f"jurisdictions: {len(villages):,} villages in {time.perf_counter() - t:.1f} s")
    today = clock.today()
    yesterday = today - dt.timedelta(days=1)
    early = clock.now() - dt.timedelta(days=3)

    t = time.perf_counter()
    first = Person.objects.create(
        name="模板", name_initials="mb", node_id=villages[0][0], path=villages[0][1]
    )
    cols = [f.column for f in Person._meta.local_concrete_fields if f.column not in ("id",)]
    vary = {"name": "'居民' || g", "node_id": "v.id", "path": "v.path", "created_at": "%s"}
    select = ", ".join(vary.get(c, f"t.{c}") for c in cols)
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE bench_v AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, path FROM geo_division WHERE level = 'village'"
        )
        cur.execute(
            f"INSERT INTO people_person ({', '.join(cols)}) SELECT {select} "
            f"FROM people_person t, generate_series(2, %s) g JOIN bench_v v ON v.k = g %% %s WHERE t.id = %s",
            [early, n_persons, len(villages), first.pk],
        )
    print(f"persons: {n_persons:,} in {time.perf_counter() - t:.1f} s")

    t = time.perf_counter()
    rules = rules_in_force(today)
    worker = User.objects.create(
        username="gw-bench", role="grid_worker", node_id=villages[0][0], password="!"
    )
    pids = list(Person.objects.order_by("pk").values_list("pk", "node_id", "path")[: 2 * n_periods])
    periods = []
    for pk, node_id, path in pids[:n_periods]:
        start = today - dt.timedelta(days=rng.randint(1, 12))
        periods.append(
            ObservationPeriod(
                person_id=pk,
                reason="close_contact",
                start_date=start,
                last_exposure=start,
                planned_end=start + dt.timedelta(days=14),
                rules=rules,
                grid_id=node_id,
                responsible=worker,
                path=path,
                created_at=early,
            )
        )
    ObservationPeriod.objects.bulk_create(periods, batch_size=5000)
    evening = timezone.make_aware(dt.datetime.combine(yesterday, dt.time(8)))
    CheckIn.objects.bulk_create(
        [
            CheckIn(
                period_id=p.pk,
                client_id=uuid.uuid4(),
                taken_at=evening,
                local_date=yesterday,
                window="morning",
                temperature="36.6",
                reporter_kind="self",
                path=p.path,
            )
            for p in periods
            if rng.random() < 0.7
        ],
        batch_size=5000,
    )
    subjects = ScreeningSubject.objects.bulk_create(
        [
            ScreeningSubject(
                person_id=pk,
                name="排查",
                node_id=node_id,
                path=path,
                placement="registry",
                created_at=early,
            )
            for pk, node_id, path in pids[n_periods:]
        ],
        batch_size=5000,
    )
    due = clock.now() - dt.timedelta(hours=rng.randint(1, 30))
    ScreeningTask.objects.bulk_create(
        [
            ScreeningTask(
                subject_id=s.pk,
                node_id=s.node_id,
                path=s.path,
                due_at=due,
                created_at=early,
                status="done" if rng.random() < 0.8 else "open",
            )
            for s in subjects
        ],
        batch_size=5000,
    )
    print(
        f"observation and screening: {len(periods):,} periods, {len(subjects):,} tasks in {time.perf_counter() - t:.1f} s"
    )

    t = time.perf_counter()
    county = Division.objects.get(code="330602")
    facility = Facility.objects.create(name="定点医院", kind="designated_hospital", node=county)
    r_t = np.concatenate([np.full(25, 2.0), np.full(35, 0.7)])
    si = discr_si(np.arange(61), 6.3, 4.2)
    local, imported = simulate_renewal(np.tile(r_t, (6, 1)), si, seed_cases=3, seed=seed)
    cases = []
    start = today - dt.timedelta(days=60)
    k = 0
    for row in range(6):
        for d in range(60):
            n_local = int(local[row, d])
            for j in range(n_local + int(imported[row, d])):
                pk, node_id, path = pids[(k * 7919) % len(pids)]
                at = timezone.make_aware(
                    dt.datetime.combine(start + dt.timedelta(days=d), dt.time(10))
                )
                # Onset 1-7 days before the report (none for one case in twenty).
                delay = rng.choice([1, 2, 3, 3, 4, 4, 5, 6, 7])
                onset = None if k % 20 == 0 else start + dt.timedelta(days=d - delay)
                cases.append(
                    Case(
                        number=f"B{k:07d}",
                        person_id=pk,
                        facility=facility,
                        path=path,
                        county=path.split("/")[1],
                        status="confirmed",
                        diagnosed_at=at,
                        confirmed_at=at,
                        outcome="discharged" if d < 40 and rng.random() < 0.5 else "",
                        onset_date=onset,
                        source="local" if j < n_local else "outside_province",
                    )
                )
                k += 1
    Case.objects.bulk_create(cases, batch_size=5000)
    for c in cases[::40]:
        Cluster.objects.create(
            setting="家庭",
            detected_at=c.confirmed_at,
            threshold=2,
            emergency_due=c.confirmed_at,
            path=c.path,
        )
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    print(f"cases: {len(cases):,} confirmed over 60 days in {time.perf_counter() - t:.1f} s")
    return today


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=5_300_000)
    parser.add_argument("--periods", type=int, default=100_000)
    parser.add_argument("--opens", type=int, default=50)
    args = parser.parse_args()
    use_bench_database("fk_bench_briefing")
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    print(machine())
    day = build(args.persons, args.periods)

    from fangkong.accounts.models import ApiToken, User
    from fangkong.briefing.compute import compute
    from fangkong.core import clock
    from fangkong.geo.models import Division

    city = Division.objects.get(code="3306")
    times = []
    for _ in range(3):
        t = time.perf_counter()
        b = compute(city, day)
        times.append(time.perf_counter() - t)
    d = b.data
    print(
        f"compute the city's briefing: {min(times):.2f} s best, {max(times):.2f} s worst of 3 "
        f"(confirmed {d['cases']['confirmed']['cumulative']:,}, Rt {d['epi']['rt']['latest']['mean']:.2f}, "
        f"{len(d['risk'])} areas rated, {d['persons']['total']:,} persons, {d['observation']['open']:,} under observation)"
    )

    user = User.objects.create_user("hq-bench", password="x-bench-pw-1", role="city_hq", node=city)
    client = Client()
    client.force_login(user)
    raw = ApiToken.new_raw()
    ApiToken.objects.create(
        user=user, digest=ApiToken.hash(raw), expires_at=clock.now() + dt.timedelta(days=1)
    )
    for name, url, kw in [
        ("page", f"/briefing/3306/{day}/", {}),
        ("API", f"/api/v1/briefing/briefings/3306/{day}", {"HTTP_AUTHORIZATION": f"Bearer {raw}"}),
    ]:
        client.get(url, **kw)  # warm
        samples = []
        for _ in range(args.opens):
            with CaptureQueriesContext(connection) as q:
                t = time.perf_counter()
                r = client.get(url, **kw)
                samples.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, r.status_code
        print(
            f"open ({name}): p50 {percentile(samples, 50):.0f} ms, p95 {percentile(samples, 95):.0f} ms, "
            f"{len(q.captured_queries)} SQL queries, {len(r.content) / 1024:.0f} KiB"
        )


if __name__ == "__main__":
    main()
