"""Supervision benchmark (issue 10), on PostgreSQL in its own database.

Data: the real Shaoxing tree; C cadres (default 10,000, a fifth with accounts) in
villages of the whole city, each on a few shifts; N rectification tasks (default
100,000) with their findings and inspections (one inspection per 5 findings, open and
unannounced, most recorded), owned by villages and by cadres' accounts, in every state,
deadlines spread around the benchmark day so that a share are overdue.

Measured (median / best of repeated runs, in process):
1. the overdue list escalated to a town and to a county (`metrics.escalated`) and its
   count, and the whole overview page `/supervision/` of a town headquarters;
2. the figures per level (`metrics.per_level`) for the city, a county and a town;
3. a cadre's front-line record: the page, the API endpoint and the XLSX export, for
   the busiest cadre (the most tasks and shifts).

Usage: DATABASE_URL=postgres://… python benchmarks/supervision.py [--tasks N] [--cadres C]
"""

import argparse
import datetime as dt
import random
import statistics
import time

from _db import ROOT, machine, setup_django, use_bench_database

DIVISIONS = ROOT / "fangkong" / "geo" / "data" / "divisions-shaoxing.csv"
T0 = dt.datetime(2020, 2, 20, 4, 0, tzinfo=dt.UTC)  # 12:00 in Shaoxing
BATCH = 10_000


def _bulk(model, rows):  # type: ignore[no-untyped-def]
    for i in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[i : i + BATCH])


def build(n_tasks: int, n_cadres: int) -> dict:
    from fangkong.accounts.models import User
    from fangkong.geo.loaders import load_divisions, read_csv
    from fangkong.geo.models import Division
    from fangkong.mobilisation.models import Assignment, Member, Post, Shift
    from fangkong.supervision import rules
    from fangkong.supervision.models import (
        Finding,
        Inspection,
        InspectionPlan,
        InspectionTeam,
        Rectification,
    )

    load_divisions(read_csv(DIVISIONS))
    city = Division.objects.get(code="3306")
    villages = list(Division.objects.filter(level="village").only("id", "path", "code"))
    rng = random.Random(12)
    t = time.perf_counter()
    inspector = User.objects.create_user(
        "bench_discipline", password="bench-only-pw-1", role="discipline", node=city
    )
    n_accounts = n_cadres // 5
    _bulk(
        User,
        [
            User(
                username=f"cadre{i}",
                password="!",
                role="village_staff",
                node_id=villages[i % len(villages)].id,
            )
            for i in range(n_accounts)
        ],
    )
    accounts = list(User.objects.filter(username__startswith="cadre").order_by("pk"))
    members = [
        Member(
            name=f"干部{i}",
            is_cadre=True,
            is_party_member=True,
            cadre_rank="科级",
            user=accounts[i] if i < n_accounts else None,
            path=(accounts[i].node.path if i < n_accounts else villages[i % len(villages)].path),
        )
        for i in range(n_cadres)
    ]
    _bulk(Member, members)
    members = list(Member.objects.order_by("pk"))
    # One post per village in use; 8-hour shifts over 14 days; ~5 shifts per cadre.
    used = villages[: min(len(villages), 2000)]
    _bulk(
        Post,
        [Post(name=f"{v.code}卡口", kind="checkpoint", node_id=v.id, path=v.path) for v in used],
    )
    posts = list(Post.objects.order_by("pk"))
    start = T0 - dt.timedelta(days=14)
    shifts = [
        Shift(
            post=p,
            starts_at=start + dt.timedelta(hours=8 * k),
            ends_at=start + dt.timedelta(hours=8 * (k + 1)),
            path=p.path,
        )
        for p in posts
        for k in range(42)
    ]
    _bulk(Shift, shifts)
    shifts = list(Shift.objects.order_by("pk").only("id", "path", "starts_at", "ends_at"))
    assignments = []
    for i, m in enumerate(members):
        for k in range(5 if i else 120):  # the first cadre is the busiest
            s = shifts[(i * 7 + k * 43) % len(shifts)]
            assignments.append(
                Assignment(member=m, shift=s, starts_at=s.starts_at, ends_at=s.ends_at, path=s.path)
            )
    _bulk(Assignment, assignments)
    plan = InspectionPlan.objects.create(
        node=city,
        path=city.path,
        title="bench",
        starts_on=start.date(),
        ends_on=T0.date(),
        topics=["screening"],
        created_by=inspector,
    )
    team = InspectionTeam.objects.create(plan=plan, path=city.path, name="t", leader=inspector)
    n_insp = max(1, n_tasks // 5)
    insp_rows = []
    for i in range(n_insp):
        v = villages[(i * 13) % len(villages)]
        recorded = i % 10 != 0
        insp_rows.append(
            Inspection(
                team=team,
                node_id=v.id,
                path=v.path,
                kind="unannounced" if i % 3 == 0 else "open",
                topics=["screening"],
                planned_on=(start + dt.timedelta(days=i % 14)).date(),
                leader=inspector,
                subject=members[i % len(members)],
                status="recorded" if recorded else "planned",
                recorded_at=start + dt.timedelta(days=i % 14, hours=6) if recorded else None,
            )
        )
    _bulk(Inspection, insp_rows)
    inspections = list(
        Inspection.objects.filter(status="recorded").order_by("pk").only("id", "path", "node_id")
    )
    findings = [
        Finding(
            inspection=inspections[i % len(inspections)],
            path=inspections[i % len(inspections)].path,
            description="卡口值守不到位",
            created_by=inspector,
        )
        for i in range(n_tasks)
    ]
    _bulk(Finding, findings)
    findings = list(Finding.objects.order_by("pk").only("id", "path", "inspection_id"))
    node_of = {v.path: v.id for v in villages}
    tasks = []
    for i, f in enumerate(findings):
        status = rng.choice(["open", "open", "replied", "verified", "closed", "closed"])
        owner = accounts[i % len(accounts)] if i % 4 == 0 else None
        if i % 50 == 0:
            owner = accounts[0]  # the busiest cadre's account
        path = owner.node.path if owner else f.path
        tasks.append(
            Rectification(
                finding=f,
                owner_node_id=node_of[path],
                owner_user=owner,
                path=path,
                escalate_path=rules.escalation_path(path),
                requirement="立即整改",
                deadline=(T0 + dt.timedelta(days=rng.randrange(-10, 10))).date(),
                status=status,
                created_by=inspector,
                created_at=start,
            )
        )
    _bulk(Rectification, tasks)
    print(
        f"inserted {n_cadres:,} cadres ({n_accounts:,} with accounts), {len(assignments):,} "
        f"assignments, {n_insp:,} inspections, {n_tasks:,} findings and rectification tasks "
        f"over {len(villages):,} villages in {time.perf_counter() - t:.1f} s"
    )
    return {"busiest": members[0]}


def time_it(fn, repeat: int = 7) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    fn()
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t) * 1000)
    return statistics.median(runs), min(runs)


def bench(busiest) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test import Client

    from fangkong.accounts.models import User
    from fangkong.core import clock
    from fangkong.geo.models import Division
    from fangkong.supervision import metrics

    with connection.cursor() as c:
        c.execute("ANALYZE")
    city = Division.objects.get(code="3306")
    county = Division.objects.get(code="330602")
    town = Division.objects.filter(parent=county).order_by("code").first()
    town_hq = User.objects.create_user(
        "bench_town", password="bench-only-pw-1", role="town_hq", node=town
    )
    county_hq = User.objects.create_user(
        "bench_county", password="bench-only-pw-1", role="county_hq", node=county
    )
    org = User.objects.create_user(
        "bench_org", password="bench-only-pw-1", role="organisation", node=city
    )
    with clock.frozen(T0):
        for who, user in (("town", town_hq), ("county", county_hq)):
            n = metrics.escalated_count(user)
            med, best = time_it(
                lambda user=user: list(metrics.escalated(user).select_related("owner_node")[:100])
            )
            cmed, cbest = time_it(lambda user=user: metrics.escalated_count(user))
            print(
                f"escalated to the {who} ({n:,} overdue tasks of the level below): first 100 "
                f"median {med:.1f} ms (best {best:.1f}); count median {cmed:.1f} ms (best {cbest:.1f})"
            )
        client = Client()
        client.force_login(town_hq)
        assert client.get("/supervision/").status_code == 200
        med, best = time_it(lambda: client.get("/supervision/"))
        print(
            f"GET /supervision/ as the town headquarters (whole page): median {med:.1f} ms, best {best:.1f} ms"
        )
        for node in (city, county, town):
            user = org if node is city else county_hq
            med, best = time_it(lambda node=node, user=user: metrics.per_level(user, node))
            total = metrics.per_level(user, node)[-1]
            print(
                f"figures per level {node.level} {node.code}: median {med:.1f} ms, best {best:.1f} ms "
                f"(inspections {total['inspections_open'] + total['inspections_unannounced']:,}, "
                f"findings {total['findings']:,}, tasks open {total['rectifications_open']:,}, "
                f"overdue {total['rectifications_overdue']:,}, closed {total['rectifications_closed']:,})"
            )
        client.force_login(org)
        url = f"/supervision/cadres/{busiest.pk}/"
        r = client.get(url)
        assert r.status_code == 200, r.status_code
        from fangkong.supervision import record

        rec = record.build(org, busiest)
        med, best = time_it(lambda: client.get(url))
        print(
            f"GET {url} (busiest cadre: {len(rec.shifts)} shifts, {len(rec.rectifications)} tasks, "
            f"{len(rec.inspections_as_subject)} inspections undergone): median {med:.1f} ms, best {best:.1f} ms"
        )
        from fangkong.accounts.models import ApiToken

        raw = ApiToken.new_raw()
        ApiToken.objects.create(
            user=org, digest=ApiToken.hash(raw), expires_at=T0 + dt.timedelta(days=30)
        )
        api = f"/api/v1/supervision/cadres/{busiest.pk}/record"
        assert client.get(api, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
        med, best = time_it(lambda: client.get(api, HTTP_AUTHORIZATION=f"Bearer {raw}"))
        print(f"GET {api}: median {med:.1f} ms, best {best:.1f} ms")
        xlsx = f"/supervision/cadres/{busiest.pk}/export.xlsx"
        med, best = time_it(lambda: client.get(xlsx), repeat=3)
        print(f"GET {xlsx}: median {med:.1f} ms, best {best:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--cadres", type=int, default=10_000)
    args = parser.parse_args()
    use_bench_database("fangkong_bench_supervision")
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    print(f"machine: {machine()}")
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    made = build(args.tasks, args.cadres)
    bench(made["busiest"])


if __name__ == "__main__":
    main()
