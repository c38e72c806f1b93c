"""Care benchmark (issue 10), on PostgreSQL in its own database.

1. Counts per level: N difficulties (default 200,000) spread over every village of
   Shaoxing, in every state; the open / overdue / solved counts per child node, rolled
   up, for the city (→ counties), a county (→ towns) and a town (→ villages), as the
   city headquarters sees them (`Difficulty.objects.restrict(user).level_counts`), and
   the whole staff page `/care/difficulties/levels/`.
2. The public deeds page: D published deeds (default 5,000); gunicorn (gthread) serves
   the project on loopback and a bounded load generator (the one of
   public_bulletin.py) requests `/public/care/deeds/` for the city and for districts
   (nine in ten) and a deed's page (one in ten) for a fixed time. The list pages are
   kept as rendered bytes for 60 s (dropped on publication), so the HTTP figure is
   mostly the cached path; the uncached render is timed separately in process.

Usage: DATABASE_URL=postgres://… python benchmarks/care.py [--difficulties N] [--deeds D]
"""

import argparse
import datetime as dt
import multiprocessing
import os
import random
import signal
import statistics
import subprocess
import time

from _db import ROOT, machine, percentile, setup_django, use_bench_database

DIVISIONS = ROOT / "fangkong" / "geo" / "data" / "divisions-shaoxing.csv"
T0 = dt.datetime(2020, 2, 20, 12, 0, tzinfo=dt.UTC)


def build(n: int, deeds: int) -> None:
    from fangkong.accounts.models import User
    from fangkong.care.models import Category, Deed, Difficulty
    from fangkong.core import crypto
    from fangkong.geo.loaders import load_divisions, read_csv
    from fangkong.geo.models import Division

    load_divisions(read_csv(DIVISIONS))
    villages = list(Division.objects.filter(level="village").only("id", "path"))
    cats = list(Category.objects.all())
    staff = User.objects.create_user("bench_org", password="bench-only-pw-1", role="organisation")
    rng = random.Random(10)
    token = crypto.encrypt("13900000000", "care.difficulty.phone")
    index = crypto.blind_index("13900000000", "person.phone")
    t = time.perf_counter()
    batch = []
    for i in range(n):
        v = villages[i % len(villages)]
        created = T0 - dt.timedelta(hours=rng.randrange(24 * 20))
        status = rng.choice(["open", "in_hand", "solved", "solved"])
        batch.append(
            Difficulty(
                category=cats[i % len(cats)],
                description="值班期间家中老人无人照看",
                reporter_name="王芳",
                phone_enc=token,
                phone_index=index,
                phone_masked="139****0000",
                node_id=v.id,
                path=v.path,
                deadline=created + dt.timedelta(days=3),
                status=status,
                solved_at=created + dt.timedelta(days=1) if status == "solved" else None,
                created_at=created,
                updated_at=created,
            )
        )
        if len(batch) == 10_000:
            Difficulty.objects.bulk_create(batch)
            batch = []
    Difficulty.objects.bulk_create(batch)
    print(
        f"inserted {n:,} difficulties over {len(villages):,} villages in {time.perf_counter() - t:.1f} s"
    )
    rows = []
    for i in range(deeds):
        v = villages[i % len(villages)]
        published = T0 - dt.timedelta(minutes=i)
        rows.append(
            Deed(
                title=f"坚守卡口的第{i}位党员",
                text="他主动请缨到村口卡口值守，二十天来每天测温登记过往车辆和人员，从未缺岗。" * 3,
                hero_name="李明",
                node_id=v.id,
                path=v.path,
                status="published" if i % 5 else "submitted",
                submitted_by=staff,
                published_at=published if i % 5 else None,
                created_at=published,
                updated_at=published,
            )
        )
    Deed.objects.bulk_create(rows, batch_size=5000)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE care_difficulty; ANALYZE care_deed")


def time_it(fn, repeat: int = 7) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t) * 1000)
    return statistics.median(runs), min(runs)


def counts_bench() -> None:
    from django.test import Client

    from fangkong.accounts.models import User
    from fangkong.care.models import Difficulty
    from fangkong.core import clock
    from fangkong.geo.models import Division

    city = Division.objects.get(code="3306")
    hq = User.objects.create_user("bench_hq", password="bench-only-pw-1", role="city_hq", node=city)
    county = Division.objects.get(code="330602")
    town = Division.objects.filter(parent=county).order_by("code").first()
    with clock.frozen(T0):
        for node in (city, county, town):
            children = list(Division.objects.filter(parent=node).order_by("code"))

            def run(node=node, children=children):  # type: ignore[no-untyped-def]
                return Difficulty.objects.restrict(hq).level_counts(node, children)

            result = run()
            total = {k: sum(r[k] for r in result.values()) for k in ("open", "overdue", "solved")}
            med, best = time_it(run)
            print(
                f"level counts {node.level} {node.code} → {len(children)} {children[0].level}s: "
                f"median {med:.1f} ms, best {best:.1f} ms (rows under it: open {total['open']:,}, "
                f"overdue {total['overdue']:,}, solved {total['solved']:,})"
            )
        from fangkong.care.pages import _render_deeds

        for area in ("3306", "330602"):
            med, best = time_it(lambda area=area: _render_deeds(area, 1))
            print(
                f"public deeds page {area}, page 1, rendered without the cache: "
                f"median {med:.1f} ms, best {best:.1f} ms"
            )
        client = Client()
        client.force_login(hq)
        for node in (city, county):
            url = f"/care/difficulties/levels/?node={node.code}"
            assert client.get(url).status_code == 200
            med, best = time_it(lambda url=url: client.get(url))
            print(f"GET {url} (whole page, in process): median {med:.1f} ms, best {best:.1f} ms")


def http_bench(args: argparse.Namespace) -> None:
    from public_bulletin import _children, _cpu_seconds, _worker

    from fangkong.care.models import Deed

    env = {**os.environ, "FANGKONG_LOG_LEVEL": "WARNING"}
    cmd = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "fangkong.wsgi",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--worker-class",
        "gthread",
        "--workers",
        "2",
        "--threads",
        "4",
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]
    deed = Deed.objects.published().order_by("-published_at").first()
    paths = [
        "/public/care/deeds/",
        "/public/care/deeds/?area=330602",
        "/public/care/deeds/?area=330681",
        "/public/care/deeds/?area=330602001&page=2",
        "/public/care/deeds/?area=3306&page=3",
        "/public/care/deeds/?area=330624",
        "/public/care/deeds/?area=330683",
        "/public/care/deeds/?area=330603",
        "/public/care/deeds/?area=330604",
        f"/public/care/deeds/{deed.pk}/",
    ]
    server = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    try:
        import http.client

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
        per = [(args.port, paths, 4, args.seconds, 3, b"") for _ in range(2)]
        workers = _children(server.pid)
        before = _cpu_seconds(workers)
        with multiprocessing.get_context("fork").Pool(len(per)) as pool:
            results = pool.map(_worker, per)
        server_cpu = _cpu_seconds(workers) - before
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    lat = [x for r in results for x in r[0]]
    ok, errors, sent = (sum(r[i] for r in results) for i in (1, 2, 3))
    print(
        f"GET public deeds pages (9 lists : 1 deed): {ok:,} in {args.seconds} s = "
        f"{ok / args.seconds:,.0f} req/s, errors {errors}, latency p50 "
        f"{percentile(lat, 50) * 1000:.1f} ms, p95 {percentile(lat, 95) * 1000:.1f} ms, p99 "
        f"{percentile(lat, 99) * 1000:.1f} ms (gunicorn gthread 2×4; 2×4 keep-alive client "
        f"connections on the same cores); server CPU {1000 * server_cpu / max(sent, 1):.2f} ms "
        "per request"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--difficulties", type=int, default=200_000)
    parser.add_argument("--deeds", type=int, default=5_000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--port", type=int, default=8733)
    args = parser.parse_args()
    use_bench_database("fangkong_bench_care")
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    print(f"machine: {machine()}")
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    build(args.difficulties, args.deeds)
    counts_bench()
    http_bench(args)


if __name__ == "__main__":
    main()
