"""Exchange benchmark (issue 19): N hand-over requests (default 10,000) between two
deployments on loopback, and their answers back.

Two deployments as in tests/exchange/test_loopback.py — Shaoxing and Hangzhou, each
with its own SQLite database, data key and Ed25519 exchange key, each served by its own
gunicorn process on 127.0.0.1. Shaoxing records N requests (distinct residents of
Hangzhou); the outbox is delivered over HTTP in signed batches of 500; Hangzhou checks
every signature, puts each person in its screening queue, answers every request, and
its outbox goes back. Reports the time of each leg and checks that nothing is lost:
the set of message ids received equals the set sent, every request lands in the
screening queue, and every request sent is answered.

Usage: python benchmarks/exchange_loopback.py [--requests N]
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

from _db import ROOT, machine

sys.path.insert(0, str(ROOT))

from tests.exchange.loopback import two_deployments  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=10_000)
    args = parser.parse_args()
    n = args.requests
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="fk-exchange-") as tmp:
        a = b = None
        try:
            started = time.perf_counter()
            a, b = two_deployments(Path(tmp))
            print(f"two deployments ready in {time.perf_counter() - started:.1f} s")
            made = a.run("bulk-requests", "330100", str(n), timeout=7200)
            print(f"recorded {n} requests in Shaoxing: {made['seconds']:.1f} s")
            sent = a.run("deliver", timeout=7200)
            print(
                f"delivered Shaoxing → Hangzhou over HTTP: {sent['seconds']:.1f} s "
                f"({n / sent['seconds']:.0f} requests/s), {sent}"
            )
            answered = b.run("answer-all", timeout=7200)
            print(f"answered in Hangzhou: {answered['seconds']:.1f} s")
            back = b.run("deliver", timeout=7200)
            print(
                f"answers delivered Hangzhou → Shaoxing: {back['seconds']:.1f} s "
                f"({n / back['seconds']:.0f} answers/s), {back}"
            )
            ca, cb = a.run("counts"), b.run("counts")
            lost = set(ca["out_ids"]) - set(cb["in_ids"])
            checks = {
                "sent": ca["out"],
                "received": cb["in"],
                "lost": len(lost),
                "in screening queue": cb["in_with_subject"],
                "answered at the sender": ca["out_answered"],
                "undelivered (Shaoxing, Hangzhou)": (ca["undelivered"], cb["undelivered"]),
            }
            print(f"checks: {checks}")
            ok = (
                ca["out"] == n
                and cb["in"] == n
                and not lost
                and cb["in_with_subject"] == n
                and ca["out_answered"] == n
                and ca["undelivered"] == 0
                and cb["undelivered"] == 0
            )
            total = sent["seconds"] + answered["seconds"] + back["seconds"]
            print(f"round trip of {n} requests: {total:.1f} s · {'no loss' if ok else 'LOSS'}")
            return 0 if ok else 1
        finally:
            for d in (a, b):
                if d is not None:
                    d.stop()


if __name__ == "__main__":
    sys.exit(main())
