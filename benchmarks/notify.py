"""Notices at city scale (issue 18 benchmark), on PostgreSQL.

1. One directive from the city headquarters to every node of the city (6 counties,
   103 towns, 2,168 villages and communities, and ~12,000 grids): time to issue it
   (receipts), to create and enqueue one notice per node (in-app + SMS deliveries), and
   to deliver them through the outbox backend (accounts with a phone at every village,
   the other nodes in-app only, counted).
2. The morning check-in reminders to N persons under observation (default 100,000, each
   with an encrypted mobile number) who have not reported: time to create and enqueue
   the notices with their personal links, and to deliver them to the outbox, in the
   delivery task's batches of 500 (aim: < 60 s together).

Usage: DATABASE_URL=postgres://… python benchmarks/notify.py [--persons N] [--grids-per-village G]
"""

import argparse
import datetime as dt
import os
import random
import time

from _db import ROOT, machine, setup_django, use_bench_database

DIVISIONS = ROOT / "fangkong" / "geo" / "data" / "divisions-shaoxing.csv"


def deliver_all(kind: str) -> tuple[int, float]:
    """What `fangkong db_worker` does with the enqueued batches: deliver_batch per 500."""
    from fangkong.notify.actions import deliver_batch
    from fangkong.notify.models import Delivery

    t = time.perf_counter()
    ids = list(
        Delivery.objects.filter(notice__kind=kind, status="pending").values_list("pk", flat=True)
    )
    for start in range(0, len(ids), 500):
        deliver_batch(ids[start : start + 500])
    return len(ids), time.perf_counter() - t


def build_tree(grids_per_village: int) -> None:
    from fangkong.geo.loaders import import_grids, load_divisions, read_csv
    from fangkong.geo.models import Division

    t = time.perf_counter()
    load_divisions(read_csv(DIVISIONS))
    villages = list(Division.objects.filter(level="village").values_list("code", flat=True))
    rows = [
        {"village_code": v, "grid_code": str(g), "name": f"第{g}网格", "households": "300"}
        for v in villages
        for g in range(1, grids_per_village + 1)
    ]
    report = import_grids(rows)
    print(
        f"tree: {Division.objects.count():,} nodes ({len(rows) - len(report.rejected):,} grids) "
        f"in {time.perf_counter() - t:.1f} s (not timed below)"
    )


def directive_bench() -> dict:
    from django.db import connection

    from fangkong.accounts.models import User
    from fangkong.command import actions
    from fangkong.core import clock, crypto
    from fangkong.geo.models import Division
    from fangkong.notify.actions import PREF_PHONE
    from fangkong.notify.models import Delivery, Notice, OutboxMessage, Preference
    from fangkong.notify.senders import directive_issued

    root = Division.objects.get(parent__isnull=True)
    hq = User.objects.create_user("bench_hq", password=None, role="city_hq", node=root)
    villages = list(Division.objects.filter(level="village").values_list("pk", flat=True))
    staff = User.objects.bulk_create(
        [
            User(username=f"cun{i}", role="village_staff", node_id=v, password="!")
            for i, v in enumerate(villages)
        ]
    )
    Preference.objects.bulk_create(
        [
            Preference(
                user=u,
                phone_enc=crypto.encrypt(f"139{i:08d}", PREF_PHONE),
                phone_masked=f"139****{i % 10000:04d}",
            )
            for i, u in enumerate(staff)
        ]
    )
    # the fan-out is measured directly (the post-save hook would enqueue it to the worker)
    from django.db.models.signals import post_save

    from fangkong.notify import signals

    post_save.disconnect(dispatch_uid="notify-directive-issued", sender="command.Directive")
    t = time.perf_counter()
    d = actions.issue_directive(
        hq,
        root,
        title="关于全面开展地毯式排查的紧急通知",
        text="各地立即组织力量，逐户排查。",
        owner=hq,
        deadline=clock.now() + dt.timedelta(hours=8),
        levels=["county", "town", "village", "grid"],
    )
    issued = time.perf_counter() - t
    receipts = d.receipts.count()
    t = time.perf_counter()
    created = directive_issued(d.pk)
    created_s = time.perf_counter() - t
    post_save.connect(
        signals._directive_saved, sender="command.Directive", dispatch_uid="notify-directive-issued"
    )
    n, deliver_s = deliver_all("directive")
    sms = Delivery.objects.filter(notice__kind="directive", channel="sms")
    print(
        f"directive to {receipts:,} nodes: issued in {issued:.2f} s; {created:,} notices "
        f"created and enqueued in {created_s:.2f} s; {n:,} deliveries in {deliver_s:.2f} s "
        f"(SMS sent {sms.filter(status='sent').count():,}, no phone {sms.filter(status='failed').count():,}; "
        f"outbox {OutboxMessage.objects.count():,})"
    )
    assert Notice.objects.filter(kind="directive").count() == receipts
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return {"nodes": receipts, "issue_s": issued, "create_s": created_s, "deliver_s": deliver_s}


def reminders_bench(n: int) -> dict:
    from django.db import connection

    from fangkong.core import clock, crypto
    from fangkong.geo.models import Division
    from fangkong.notify.models import OutboxMessage
    from fangkong.notify.senders import checkin_reminders
    from fangkong.observation.actions import rules_in_force
    from fangkong.observation.models import ObservationPeriod
    from fangkong.people.models import Person

    rng = random.Random(18)
    villages = list(Division.objects.filter(level="village").values_list("id", "path"))
    today = clock.today()
    rules = rules_in_force(today)
    t = time.perf_counter()
    persons = []
    for i in range(n):
        v = villages[i % len(villages)]
        phone = f"138{i:08d}"
        persons.append(
            Person(
                name=f"观察{i}",
                name_initials="gc",
                node_id=v[0],
                path=v[1],
                phone_enc=crypto.encrypt(phone, "person.phone"),
                phone_index=crypto.blind_index(phone, "person.phone"),
                phone_masked=f"138****{phone[-4:]}",
            )
        )
    Person.objects.bulk_create(persons, batch_size=5000)
    periods = []
    for p in persons:
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
                path=p.path,
                created_at=clock.now() - dt.timedelta(days=3),
            )
        )
    ObservationPeriod.objects.bulk_create(periods, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    print(f"setup: {n:,} persons with phones under observation in {time.perf_counter() - t:.1f} s")
    before = OutboxMessage.objects.count()
    t = time.perf_counter()
    created = checkin_reminders(today, "morning")
    create_s = time.perf_counter() - t
    sent, deliver_s = deliver_all("checkin_reminder")
    outbox = OutboxMessage.objects.count() - before
    total = create_s + deliver_s
    print(
        f"morning reminders: {created:,} created and enqueued in {create_s:.1f} s "
        f"({created / create_s:,.0f}/s); {sent:,} delivered to the outbox ({outbox:,} messages) "
        f"in {deliver_s:.1f} s ({sent / max(deliver_s, 1e-9):,.0f}/s); total {total:.1f} s "
        f"(aim < 60 s for 100,000)"
    )
    assert outbox == created
    return {"reminders": created, "create_s": create_s, "deliver_s": deliver_s}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--grids-per-village", type=int, default=6)
    args = parser.parse_args()
    use_bench_database("fangkong_bench_notify")
    os.environ.setdefault("FANGKONG_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import translation

    print(f"machine: {machine()}")
    print(f"database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    translation.activate("zh-hans")
    build_tree(args.grids_per_village)
    directive_bench()
    reminders_bench(args.persons)


if __name__ == "__main__":
    main()
