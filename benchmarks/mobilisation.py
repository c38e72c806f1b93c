"""Duty rosters at district scale (issue #10 benchmark), on PostgreSQL.

1. M confirmed members (default 10,000) registered at V communities (default 100) of
   the city, each community with 10 checkpoints (three 8-hour shifts a day, 2 people)
   and 5 gates (two 12-hour shifts, 2 people): 80 places a day per community, D days
   of shifts (default 30), loaded in bulk;
2. the pure rest-rule check (`rules.check_rest`) throughput: days 1 … D-1 are rostered
   greedily in memory, each place taking the next member of the community whom the
   rules allow; every check counts (allowed or not); the assignments are then loaded;
3. assignment throughput through `actions.assign` (row lock on the member, the
   member's shifts read back from the database, the rules, the insert, the audit
   entry) for every place of day D, one at a time: assignments/s and latency;
4. the roster page of one checkpoint for day D (HTTP through the test client, a
   community staff account) and the city's mobilisation figures: median of repeats.

Usage: DATABASE_URL=postgres://… python benchmarks/mobilisation.py [--members M] [--villages V] [--days D]
"""

import argparse
import datetime as dt
import statistics
import sys
import time
from zoneinfo import ZoneInfo

from _db import ROOT, machine, percentile, setup_django, use_bench_database

from fangkong.core.querysets import system_actor

DIVISIONS = ROOT / "fangkong" / "geo" / "data" / "divisions-shaoxing.csv"
DB = "fangkong_bench_mobilisation"
TZ = ZoneInfo("Asia/Shanghai")
START = dt.date(2020, 2, 1)


def build(members: int, villages: int, days: int) -> list:
    from fangkong.core import crypto
    from fangkong.geo.loaders import load_divisions, read_csv
    from fangkong.geo.models import Division
    from fangkong.mobilisation import rules
    from fangkong.mobilisation.models import Member, Post, Registration, Shift
    from fangkong.people.rules import mask_phone

    load_divisions(read_csv(DIVISIONS))
    pool = list(Division.objects.filter(level="village").order_by("code")[:villages])
    t0 = time.perf_counter()
    rows = []
    for i in range(members):
        v = pool[i % len(pool)]
        phone = f"139{i:08d}"
        rows.append(
            Member(
                name=f"队员{i}",
                phone_enc=crypto.encrypt(phone, "member.phone"),
                phone_index=crypto.blind_index(phone, "member.phone"),
                phone_masked=mask_phone(phone),
                is_party_member=True,
                community=v,
                path=v.path,
            )
        )
    Member.objects.bulk_create(rows, batch_size=2000)
    Registration.objects.bulk_create(
        [
            Registration(member=m, community=m.community, status="confirmed", path=m.path)
            for m in rows
        ],
        batch_size=2000,
    )
    posts = []
    for v in pool:
        for k in range(10):
            posts.append(
                Post(
                    name=f"{v.name}卡口{k + 1}",
                    kind="checkpoint",
                    node=v,
                    path=v.path,
                    required_per_shift=2,
                    shift_hours=8,
                )
            )
        for k in range(5):
            posts.append(
                Post(
                    name=f"{v.name}大门{k + 1}",
                    kind="gate",
                    node=v,
                    path=v.path,
                    required_per_shift=2,
                    shift_hours=12,
                    first_shift_hour=7,
                )
            )
    Post.objects.bulk_create(posts)
    shifts = []
    for p in posts:
        for d in range(days):
            for s, e in rules.shift_starts(
                START + dt.timedelta(days=d), p.shift_hours, p.first_shift_hour, TZ
            ):
                shifts.append(Shift(post=p, starts_at=s, ends_at=e, required=2, path=p.path))
    Shift.objects.bulk_create(shifts, batch_size=5000)
    print(
        f"built {members} members at {len(pool)} communities, {len(posts)} posts, "
        f"{len(shifts)} shifts over {days} days in {time.perf_counter() - t0:.1f} s"
    )
    return pool


def greedy(days: int) -> dict:
    """Roster days 1 … days-1 in memory with the pure rules; load the assignments."""
    from fangkong.mobilisation import rules
    from fangkong.mobilisation.models import Assignment, Member, RestRuleSet, Shift

    rs = rules.RestRules.of(RestRuleSet.in_force(START))
    by_village: dict[str, list[int]] = {}
    for pk, path in Member.objects.values_list("pk", "path").order_by("pk"):
        by_village.setdefault(path, []).append(pk)
    spans: dict[int, list] = {pk: [] for ids in by_village.values() for pk in ids}
    pointer = dict.fromkeys(by_village, 0)
    last = START + dt.timedelta(days=days - 1)
    shifts = Shift.objects.filter(starts_at__lt=dt.datetime.combine(last, dt.time(0), tzinfo=TZ))
    todo = list(
        shifts.order_by("starts_at", "pk").values_list("pk", "path", "starts_at", "ends_at")
    )
    checks = placed = unfilled = 0
    out = []
    t0 = time.perf_counter()
    window = rs.lookback()
    for pk, path, s, e in todo:
        ids = by_village[path]
        need, tried = 2, 0
        while need and tried < len(ids):
            m = ids[(pointer[path] + tried) % len(ids)]
            tried += 1
            recent = [x for x in spans[m] if x[1] > s - window]
            spans[m] = recent
            checks += 1
            if rules.check_rest(recent, (s, e), rs, TZ):
                continue
            recent.append((s, e))
            out.append(Assignment(member_id=m, shift_id=pk, starts_at=s, ends_at=e, path=path))
            need -= 1
            placed += 1
        pointer[path] = (pointer[path] + tried) % len(ids)
        unfilled += need
    secs = time.perf_counter() - t0
    t1 = time.perf_counter()
    Assignment.objects.bulk_create(out, batch_size=5000)
    print(
        f"pure rest-rule checks: {checks} in {secs:.1f} s = {checks / secs:,.0f} checks/s "
        f"({placed} places filled, {unfilled} left open by the rules); "
        f"loaded in {time.perf_counter() - t1:.1f} s"
    )
    return {"checks": checks, "secs": secs}


def assign_bench(days: int, limit: int) -> None:
    from fangkong.mobilisation.actions import rosters
    from fangkong.mobilisation.models import Assignment, Member, Shift

    system = system_actor()
    day = START + dt.timedelta(days=days - 1)
    start = dt.datetime.combine(day, dt.time(0), tzinfo=TZ)
    shifts = list(
        Shift.objects.filter(starts_at__gte=start)
        .select_related("post")
        .order_by("starts_at", "pk")
    )
    by_village: dict[str, list[Member]] = {}
    for m in Member.objects.order_by("pk"):
        by_village.setdefault(m.path, []).append(m)
    pointer = dict.fromkeys(by_village, 0)
    lat: list[float] = []
    refused = 0
    t0 = time.perf_counter()
    for shift in shifts:
        people = by_village[shift.path]
        need, tried = shift.required, 0
        while need and tried < len(people) and len(lat) < limit:
            m = people[(pointer[shift.path] + tried) % len(people)]
            tried += 1
            t = time.perf_counter()
            try:
                rosters.assign(system, shift, m)
                need -= 1
            except rosters.RestRuleError:
                refused += 1
            lat.append(time.perf_counter() - t)
        pointer[shift.path] = (pointer[shift.path] + tried) % len(people)
        if len(lat) >= limit:
            break
    secs = time.perf_counter() - t0
    ms = [x * 1000 for x in lat]
    print(
        f"rosters.assign on day {days}: {len(lat)} calls ({len(lat) - refused} assigned, "
        f"{refused} refused by the rules) in {secs:.1f} s = {len(lat) / secs:,.0f} calls/s; "
        f"latency p50 {percentile(ms, 50):.1f} ms, p95 {percentile(ms, 95):.1f} ms, "
        f"p99 {percentile(ms, 99):.1f} ms; {Assignment.objects.count():,} assignments in all"
    )


def page_bench(pool: list, days: int, repeat: int) -> None:
    from django.test import Client

    from fangkong.accounts.models import User
    from fangkong.mobilisation import figures, roster
    from fangkong.mobilisation.models import Post

    day = START + dt.timedelta(days=days - 1)
    village = pool[0]
    staff = User.objects.create_user(
        username="bench_staff", password="x-bench-1", role="village_staff", node=village
    )
    post = Post.objects.filter(node=village, kind="checkpoint").order_by("pk").first()
    client = Client()
    client.force_login(staff)
    url = f"/mobilisation/posts/{post.pk}/?day={day:%Y-%m-%d}"
    n_candidates = len(roster.candidates(staff, post))
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        r = client.get(url)
        times.append(time.perf_counter() - t)
        assert r.status_code == 200, r.status_code
    print(
        f"roster page (1 checkpoint, 3 shifts, {n_candidates} candidates): "
        f"median {statistics.median(times) * 1000:.0f} ms over {repeat}"
    )
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        r = client.get(f"/mobilisation/posts/?day={day:%Y-%m-%d}")
        times.append(time.perf_counter() - t)
    print(
        f"posts page of the community (15 posts with gaps): median {statistics.median(times) * 1000:.0f} ms"
    )
    city = village.path.split("/")[0] + "/"
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f = figures.compute(city, day)
        times.append(time.perf_counter() - t)
    print(
        f"city figures ({f['shifts_today']} shifts, {f['places_filled']} places filled, "
        f"{f['registered_confirmed']} registered): median {statistics.median(times) * 1000:.0f} ms"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=10_000)
    ap.add_argument("--villages", type=int, default=100)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument(
        "--assign", type=int, default=8_000, help="actions.assign calls on the last day"
    )
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    use_bench_database(DB)
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    print(f"machine: {machine()}")
    if connection.vendor != "postgresql":
        sys.exit("this benchmark runs on PostgreSQL (set DATABASE_URL)")
    print(f"database: {connection.vendor} {connection.pg_version}")
    call_command("migrate", verbosity=0)
    pool = build(args.members, args.villages, args.days)
    greedy(args.days)
    assign_bench(args.days, args.assign)
    page_bench(pool, args.days, args.repeat)


if __name__ == "__main__":
    main()
