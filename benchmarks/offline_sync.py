"""Offline sync benchmark (issue 20), on PostgreSQL in its own database.

gunicorn (gthread) serves the project on loopback. Every simulated phone is a grid worker
with a bearer token and its own open door-to-door tasks; what it "recorded without a
signal" is sent as the phone does, `POST /api/v1/offline/sync` with the items' client
ids and the times they happened.

1. One phone sends a queue of Q visits (default 200, one request: the rule set's
   largest batch): time to accept; then the same request again (a retry after a lost
   answer) must answer every item as a duplicate.
2. P phones (default 1,000) each send V visits (default 20) at once, C at a time
   (default 64 concurrent connections): time until every phone's queue is accepted,
   phones per second, p50/p95/p99 per request.

Checks after each part: every answer "accepted" (then "duplicate" on the replay), as many
visits and receipts stored as items sent, every client id stored exactly once, each
visit stored with its recorded time — no loss, no duplicate.

Usage: DATABASE_URL=postgres://… python benchmarks/offline_sync.py [--phones P]
        [--visits V] [--queue Q] [--clients C] [--workers W] [--threads T]
"""

import argparse
import datetime as dt
import http.client
import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from _db import ROOT, machine, percentile, setup_django, use_bench_database
from _load import serve

DIVISIONS = ROOT / "fangkong" / "geo" / "data" / "divisions-shaoxing.csv"
VISIT = {
    "identity_checked": True,
    "phone_checked": True,
    "address_checked": True,
    "contact": "none",
    "health": "well",
    "temperature": "36.5",
    "household_members": 3,
    "outcome": "cleared",
}


def build(phones: int, per_phone: int, queue: int) -> list[dict]:
    """Phone 0 gets `queue` tasks, phones 1… `per_phone` each: [{token, tasks}]."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from fangkong.accounts.models import ApiToken, User
    from fangkong.core import clock
    from fangkong.geo.loaders import load_divisions, read_csv
    from fangkong.geo.models import Division
    from fangkong.people.models import Person
    from fangkong.screening.models import ScreeningSubject, ScreeningTask

    load_divisions(read_csv(DIVISIONS))
    villages = list(Division.objects.filter(level="village").order_by("code"))
    now = clock.now()
    out = []
    for i in range(phones + 1):
        village = villages[i % len(villages)]
        user = User.objects.create_user(
            username=f"gw{i:05d}", password=None, role="grid_worker", node=village
        )
        raw = ApiToken.new_raw()
        ApiToken.objects.create(
            user=user, digest=ApiToken.hash(raw), expires_at=now + dt.timedelta(days=1)
        )
        n = queue if i == 0 else per_phone
        persons = Person.objects.bulk_create(
            [Person(name=f"居民{i}-{k}", node=village, path=village.path) for k in range(n)]
        )
        subjects = ScreeningSubject.objects.bulk_create(
            [
                ScreeningSubject(
                    person=p,
                    name=p.name,
                    address=f"{village.name}{k + 1}号",
                    node=village,
                    path=village.path,
                    placement="address",
                    sources="电信推送",
                )
                for k, p in enumerate(persons)
            ]
        )
        tasks = ScreeningTask.objects.bulk_create(
            [
                ScreeningTask(
                    subject=s,
                    node=village,
                    path=village.path,
                    due_at=now + dt.timedelta(hours=24),
                )
                for s in subjects
            ]
        )
        out.append({"token": raw, "tasks": [t.pk for t in tasks]})
    return out


def items_for(tasks: list[int]) -> list[dict]:
    """The queue of a phone: one visit per task, recorded over the last hour."""
    start = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    return [
        {
            "client_id": str(uuid.uuid4()),
            "kind": "visit",
            "recorded_at": (start + dt.timedelta(seconds=10 * k)).isoformat(),
            "task": str(task),
            "data": VISIT,
        }
        for k, task in enumerate(tasks)
    ]


_local = threading.local()


def send(port: int, token: str, device: str, items: list[dict]) -> tuple[float, list[dict]]:
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    body = json.dumps({"device": device, "items": items})
    t0 = time.perf_counter()
    conn.request(
        "POST",
        "/api/v1/offline/sync",
        body=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    resp = conn.getresponse()
    data = resp.read()
    took = time.perf_counter() - t0
    if resp.status != 200:
        raise RuntimeError(f"HTTP {resp.status}: {data[:300]!r}")
    return took, json.loads(data)["results"]


def check(sent: list[dict], answers: list[dict], duplicate: bool) -> dict:
    """No loss, no duplicate: each item answered once and stored once, at its time."""
    from fangkong.offline.models import SyncReceipt
    from fangkong.screening.models import Visit

    ids = [i["client_id"] for i in sent]
    answered = {a["client_id"]: a for a in answers}
    bad = [a for a in answers if a["result"] != "accepted" or a["duplicate"] != duplicate]
    visits = dict(Visit.objects.filter(client_id__in=ids).values_list("client_id", "visited_at"))
    receipts = SyncReceipt.objects.filter(client_id__in=ids).count()
    recorded = {i["client_id"]: dt.datetime.fromisoformat(i["recorded_at"]) for i in sent}
    wrong_time = sum(1 for cid, at in visits.items() if at != recorded[str(cid)])
    result = {
        "sent": len(ids),
        "answered": len(answered),
        "not accepted": len(bad),
        "visits stored": len(visits),
        "receipts stored": receipts,
        "wrong recorded time": wrong_time,
    }
    result["ok"] = (
        len(set(ids)) == len(ids) == len(answered) == len(visits) == receipts
        and not bad
        and not wrong_time
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phones", type=int, default=1000)
    parser.add_argument("--visits", type=int, default=20)
    parser.add_argument("--queue", type=int, default=200)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--port", type=int, default=8931)
    args = parser.parse_args()

    use_bench_database("fangkong_bench_offline")
    setup_django()
    print(f"machine: {machine()}")
    t = time.perf_counter()
    phones = build(args.phones, args.visits, args.queue)
    print(
        f"built {args.phones + 1} phones and {args.queue + args.phones * args.visits} "
        f"tasks in {time.perf_counter() - t:.1f} s"
    )
    ok = True
    with serve(args.port, args.workers, args.threads):
        # 1. one phone, a long queue
        queue = items_for(phones[0]["tasks"])
        took, answers = send(args.port, phones[0]["token"], "phone-0", queue)
        first = check(queue, answers, duplicate=False)
        print(f"1. one phone, {len(queue)} queued visits: accepted in {took * 1000:.0f} ms")
        print(f"   {first}")
        took, answers = send(args.port, phones[0]["token"], "phone-0", queue)
        replay = check(queue, answers, duplicate=True)
        print(f"   the same queue again: {took * 1000:.0f} ms, {replay}")
        ok &= first["ok"] and replay["ok"]

        # 2. many phones at once
        queues = [items_for(p["tasks"]) for p in phones[1:]]
        lat: list[float] = []
        answers = []
        lock = threading.Lock()

        def one(k: int) -> None:
            took, got = send(args.port, phones[k + 1]["token"], f"phone-{k + 1}", queues[k])
            with lock:
                lat.append(took)
                answers.extend(got)

        t = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            list(pool.map(one, range(len(queues))))
        wall = time.perf_counter() - t
        items = [i for q in queues for i in q]
        many = check(items, answers, duplicate=False)
        print(
            f"2. {len(queues)} phones × {args.visits} visits, {args.clients} at a time: "
            f"all accepted in {wall:.1f} s ({len(queues) / wall:.0f} phones/s, "
            f"{len(items) / wall:.0f} visits/s); per request p50 "
            f"{percentile(lat, 50) * 1000:.0f} ms, p95 {percentile(lat, 95) * 1000:.0f} ms, "
            f"p99 {percentile(lat, 99) * 1000:.0f} ms"
        )
        print(f"   {many}")
        ok &= many["ok"]
    print("no loss, no duplicate" if ok else "FAILED: loss, duplicate or refusal (see above)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
