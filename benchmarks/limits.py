"""What this machine does without our code (issue #21 item 4): the limits the hot-path
benchmarks state beside their figures — a small JSON POST through a bare Django view and
through gunicorn alone (same workers, threads and load generator as the hot paths),
COPY's rows/s into a plain table, one core's AES-GCM + HMAC rate. Checks the load
average first.

Usage: DATABASE_URL=postgres://… python benchmarks/limits.py [--seconds S] [--copy-rows N]
"""

import argparse
import json
import sys

from _db import machine, setup_django, use_bench_database
from _limits import copy_rate, crypto_rate, http_limits, load_check


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--port", type=int, default=8760)
    parser.add_argument("--gunicorn-workers", type=int, default=2)
    parser.add_argument("--gunicorn-threads", type=int, default=4)
    parser.add_argument("--client-procs", type=int, default=2)
    parser.add_argument("--client-threads", type=int, default=6)
    parser.add_argument("--copy-rows", type=int, default=1_000_000)
    parser.add_argument("--crypto", type=int, default=200_000)
    args = parser.parse_args()
    load_check()
    use_bench_database("fangkong_bench_limits")
    setup_django()
    print(f"machine: {machine()}")
    body = json.dumps({"token": "F1." + "x" * 120, "venue_code": "V" * 12})
    bare = http_limits(args, body)
    copy = copy_rate(args.copy_rows)
    crypto = crypto_rate(args.crypto)
    print("| limit | figure | CPU per request (server, client) |")
    print("| --- | ---: | --- |")
    for label, out in bare.items():
        print(
            f"| {label} | {out['rate']:,.0f} req/s | {out['server_cpu_ms']:.3f} ms, "
            f"{out['client_cpu_ms']:.3f} ms |"
        )
    print(f"| COPY into a plain table | {copy:,.0f} rows/s | |")
    print(f"| AES-GCM + HMAC, one core | {crypto:,.0f}/s | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
