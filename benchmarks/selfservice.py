"""Self-service health code benchmark (issue 19), on PostgreSQL in its own database.

gunicorn (gthread) serves the project on loopback with an SMS gateway that writes each
code to a file (the outbox backend across processes). Each simulated resident does what
the phone page does: ask for a code (POST /api/v1/public/open/codes), read it from the
outbox, apply (POST /api/v1/selfservice/open/applications) with a declaration — one in
five with a stay in Wuhan ten days before, one in ten for an elderly parent, one in four
an already registered person matched by the blind index. Bounded: N applications or
--seconds, whichever comes first. Measured: applications per second (code + apply) and
the p50/p95 latency of the application request and of the whole two-step exchange;
every application must answer 201 with a colour, and a Wuhan stay must be red.

Usage: DATABASE_URL=postgres://… python benchmarks/selfservice.py [--applications N]
        [--registered R] [--workers W] [--threads T] [--clients C] [--seconds S]
"""

import argparse
import datetime as dt
import http.client
import json
import os
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

from _db import ROOT, machine, percentile, setup_django, use_bench_database

HERE = Path(__file__).resolve().parent
DIVISIONS = ROOT / "fangkong" / "geo" / "data" / "divisions-shaoxing.csv"


def id_number(region: str, birth: dt.date, seq: int) -> str:
    from stdnum.cn import ric

    base = f"{region}{birth:%Y%m%d}{seq:03d}"
    return base + ric.calc_check_digit(base + "0")


def resident(i: int) -> tuple[str, dt.date, int]:
    """A distinct valid resident ID per i (region, birth date, sequence)."""
    region = ("330602", "330603", "330604", "330624", "330681", "330683")[i % 6]
    birth = dt.date(1940, 1, 1) + dt.timedelta(days=(i * 37) % 25000)
    return region, birth, 100 + (i // 25000) % 800


def build(registered: int) -> list[str]:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from fangkong.core import clock
    from fangkong.geo.loaders import load_divisions, read_csv
    from fangkong.geo.models import Division
    from fangkong.people.actions import set_protected
    from fangkong.people.models import Person
    from fangkong.riskareas.seed import seed_2020

    load_divisions(read_csv(DIVISIONS))
    seed_2020()
    from fangkong.riskareas.models import RiskArea

    # The server runs on today's clock: a designation in force today for the Wuhan stays.
    RiskArea.objects.create(
        code="4201",
        name="湖北省武汉市",
        level="city",
        risk="high",
        starts_on=clock.today() - dt.timedelta(days=30),
        source="benchmark only",
    )
    # each resident comes from its own address (see post()): the real limits stay
    villages = list(Division.objects.filter(level="village").order_by("code"))
    batch = []
    for i in range(registered):
        region, birth, seq = resident(i)
        v = villages[i % len(villages)]
        p = Person(name="王建国", birth_date=birth, node=v, path=v.path, name_initials="WJG")
        set_protected(p, "id_number", id_number(region, birth, seq))
        batch.append(p)
    Person.objects.bulk_create(batch, batch_size=5000)
    return [v.code for v in villages]


class Outbox:
    """The SMS file, read incrementally; codes by phone."""

    def __init__(self, path: str):
        self.path, self.offset, self.codes = path, 0, {}
        self.lock = threading.Lock()

    def code(self, phone: str, wait: float = 10) -> str:
        end = time.perf_counter() + wait
        while time.perf_counter() < end:
            with self.lock:
                if phone in self.codes:
                    return self.codes.pop(phone)
                with open(self.path, encoding="utf-8") as fh:
                    fh.seek(self.offset)
                    for line in fh:
                        number, text = line.rstrip("\n").split("\t", 1)
                        self.codes[number] = re.search(r"\d{6}", text).group()
                    self.offset = fh.tell()
                if phone in self.codes:
                    return self.codes.pop(phone)
            time.sleep(0.005)
        raise TimeoutError(phone)


def run_clients(args, villages: list[str], registered: int, outbox: Outbox) -> dict:
    from fangkong.core import clock

    left_on = (clock.today() - dt.timedelta(days=10)).isoformat()
    counter = iter(range(args.applications))
    lock = threading.Lock()
    out = {"apply": [], "both": [], "errors": 0, "red_ok": 0, "red_wrong": 0, "ok": 0}
    stop_at = time.perf_counter() + args.seconds

    def post(conn, path, body, address):
        # every resident's own phone: the server sits behind one proxy (the benchmark's
        # settings trust one hop), which passes the resident's address on
        headers = {"Content-Type": "application/json", "X-Forwarded-For": address}
        conn.request("POST", path, body=json.dumps(body), headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.read()

    def loop() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
        while time.perf_counter() < stop_at:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            phone = f"139{i:08d}"
            address = f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"
            # one in four an already registered person; the others new
            k = i // 4 if i % 4 == 0 and i // 4 < registered else registered + i
            region, birth, seq = resident(k)
            wuhan = i % 5 == 0
            body = {
                "relation": "child" if birth.year < 1960 and i % 10 == 0 else "self",
                "applicant_name": "王小明",
                "name": "王建国",
                "id_number": id_number(region, birth, seq),
                "phone": phone,
                "node_code": villages[i % len(villages)],
                "address": "3幢2单元401室",
                "stays": [{"code": "4201", "left_on": left_on}] if wuhan else [],
                "symptoms": ["cough"] if i % 17 == 0 else [],
                "consent": True,
            }
            t0 = time.perf_counter()
            try:
                s1, _ = post(conn, "/api/v1/public/open/codes", {"phone": phone}, address)
                body["code"] = outbox.code(phone)
                t1 = time.perf_counter()
                s2, raw = post(conn, "/api/v1/selfservice/open/applications", body, address)
                t2 = time.perf_counter()
            except (OSError, http.client.HTTPException, TimeoutError):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
                with lock:
                    out["errors"] += 1
                continue
            good = s1 == 202 and s2 == 201
            colour = json.loads(raw).get("colour") if good else None
            with lock:
                if not good:
                    out["errors"] += 1
                    if out["errors"] <= 3:
                        print("refused:", s1, s2, raw[:300], file=sys.stderr)
                    continue
                out["ok"] += 1
                out["apply"].append(t2 - t1)
                out["both"].append(t2 - t0)
                if wuhan:
                    out["red_ok" if colour == "red" else "red_wrong"] += 1

    threads = [threading.Thread(target=loop) for _ in range(args.clients)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    out["elapsed"] = time.perf_counter() - t
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=5_000)
    parser.add_argument("--registered", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--port", type=int, default=8739)
    args = parser.parse_args()
    from _limits import load_check

    load_check()
    use_bench_database("fangkong_bench_selfservice")
    sms = tempfile.NamedTemporaryFile(prefix="fk-bench-sms-", suffix=".txt", delete=False)
    sms.close()
    os.environ["FANGKONG_BENCH_SMS_FILE"] = sms.name
    os.environ["DJANGO_SETTINGS_MODULE"] = "_selfservice_settings"
    os.environ["PYTHONPATH"] = os.pathsep.join([str(HERE), str(ROOT)])
    sys.path.insert(0, str(HERE))
    setup_django()
    t = time.perf_counter()
    villages = build(args.registered)
    print(
        f"{machine()}\nset up: {args.registered:,} registered persons in {time.perf_counter() - t:.1f} s"
    )
    from _load import cpu_seconds, serve

    try:
        with serve(args.port, args.workers, args.threads) as pids:
            server0, client0 = cpu_seconds(pids), os.times()
            r = run_clients(args, villages, args.registered, Outbox(sms.name))
            server = cpu_seconds(pids) - server0
            client1 = os.times()
            client = client1.user + client1.system - client0.user - client0.system
    finally:
        os.unlink(sms.name)
    n = r["ok"]
    print(
        f"{n:,} applications in {r['elapsed']:.1f} s = {n / r['elapsed']:.1f} applications/s "
        f"({args.clients} clients, gunicorn {args.workers}×{args.threads}); errors {r['errors']}"
    )
    if n:
        print(
            f"apply request p50 {1000 * percentile(r['apply'], 50):.1f} ms, "
            f"p95 {1000 * percentile(r['apply'], 95):.1f} ms; code + apply p95 "
            f"{1000 * percentile(r['both'], 95):.1f} ms"
        )
    per = max(n, 1)
    print(
        f"CPU per application (code request + apply): server {1000 * server / per:.2f} ms, "
        f"client {1000 * client / per:.2f} ms (user + sys); wall {r['elapsed']:.1f} s"
    )
    print(f"Wuhan stays red: {r['red_ok']}, not red: {r['red_wrong']}")
    from fangkong.people.models import Person

    dup = Person.objects.values("id_number_index").distinct().count() != Person.objects.count()
    print(
        f"persons {Person.objects.count():,}; duplicated resident IDs: {'YES' if dup else 'none'}"
    )
    sys.exit(1 if r["errors"] or r["red_wrong"] or dup else 0)


if __name__ == "__main__":
    main()
