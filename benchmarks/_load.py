"""The HTTP load generator shared by the benchmarks that measure the project over HTTP.

gunicorn (gthread) serves the real project on loopback (`serve`); a bounded closed-loop
load (`drive`: processes × threads, one keep-alive connection each) sends the requests a
picklable `make(rng, n) -> Request` describes, for a warm-up and then a fixed time.
Measured: the latency of every request started after the warm-up, the units a success
carries (1, or the scans of a batch), errors, all requests sent (warm-up included), the
load generator's CPU, and the server workers' CPU from /proc over the whole drive."""

import contextlib
import http.client
import multiprocessing
import os
import random
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from _db import ROOT, percentile


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    units: int = 1  # what a success counts (e.g. the scans of a batch)
    ok_status: tuple[int, ...] = (200, 201)
    expect: bytes = b""  # a success's body contains this


@dataclass
class Totals:
    lat: list[float]  # seconds, requests started after the warm-up
    units: int  # carried by the measured successes
    errors: int  # measured failures
    sent: int  # every request, warm-up included
    client_cpu: float  # seconds, the load generator's processes
    server_cpu: float = 0.0  # seconds, the gunicorn workers during the drive

    def summary(self, seconds: float) -> dict:
        """Rate of successes, latency percentiles (ms) and CPU per request sent (ms)."""
        return {
            "rate": self.units / seconds,
            "ok": self.units,
            "errors": self.errors,
            "p50": percentile(self.lat, 50) * 1000,
            "p95": percentile(self.lat, 95) * 1000,
            "p99": percentile(self.lat, 99) * 1000,
            "server_cpu_ms": 1000 * self.server_cpu / max(self.sent, 1),
            "client_cpu_ms": 1000 * self.client_cpu / max(self.sent, 1),
        }


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of the processes (0 for one that has gone)."""
    total = 0
    for pid in pids:
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


@contextlib.contextmanager
def serve(
    port: int,
    workers: int,
    threads: int,
    tries: int = 150,
    app: str = "fangkong.wsgi",
    settings_module: str | None = None,
) -> Iterator[list[int]]:
    """gunicorn gthread `workers` × `threads` on 127.0.0.1:`port`, up once /healthz
    answers; yields the worker pids and stops the server (its process group) after.
    `app` and `settings_module` (modules of this folder may be named) serve something
    else than the project: the limits of `_limits.py`."""
    env = {**os.environ, "FANGKONG_LOG_LEVEL": "WARNING"}
    if settings_module:
        env["DJANGO_SETTINGS_MODULE"] = settings_module
    cmd = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        app,
        "--pythonpath",
        f"{ROOT},{ROOT / 'benchmarks'}",
        "--bind",
        f"127.0.0.1:{port}",
        "--worker-class",
        "gthread",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    try:
        for _ in range(tries):
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield children(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


Make = Callable[[random.Random, int], Request]


def worker(args: tuple) -> Totals:
    """One load-generator process: `threads` closed loops, each with its own keep-alive
    connection and random stream (seed × 1000 + thread), request n = thread, thread + 1…"""
    port, make, threads, seconds, warmup, seed, timeout = args
    total = Totals([], 0, 0, 0, 0.0)
    lock = threading.Lock()
    stop_at = time.perf_counter() + warmup + seconds
    measure_from = time.perf_counter() + warmup

    def run(k: int) -> None:
        rng = random.Random(seed * 1000 + k)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        mine: list[float] = []
        units = err = sent = 0
        n = k
        while time.perf_counter() < stop_at:
            req = make(rng, n)
            n += 1
            t0 = time.perf_counter()
            try:
                conn.request(req.method, req.path, body=req.body, headers=req.headers)
                resp = conn.getresponse()
                body = resp.read()
                good = resp.status in req.ok_status and req.expect in body
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
                good = False
            t1 = time.perf_counter()
            sent += 1
            if t0 >= measure_from:
                mine.append(t1 - t0)
                units += req.units if good else 0
                err += not good
        with lock:
            total.lat.extend(mine)
            total.units += units
            total.errors += err
            total.sent += sent

    ts = [threading.Thread(target=run, args=(k,)) for k in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    cpu = os.times()
    total.client_cpu = cpu.user + cpu.system
    return total


def drive(
    port: int,
    make: Make,
    *,
    procs: int,
    threads: int,
    seconds: float,
    warmup: float,
    server_pids: list[int],
    timeout: float = 30,
) -> Totals:
    """Run `procs` load-generator processes (forked) against the server and sum them."""
    per = [(port, make, threads, seconds, warmup, i, timeout) for i in range(procs)]
    before = cpu_seconds(server_pids)
    with multiprocessing.get_context("fork").Pool(procs) as pool:
        results = pool.map(worker, per)
    server_cpu = cpu_seconds(server_pids) - before
    return Totals(
        lat=[x for r in results for x in r.lat],
        units=sum(r.units for r in results),
        errors=sum(r.errors for r in results),
        sent=sum(r.sent for r in results),
        client_cpu=sum(r.client_cpu for r in results),
        server_cpu=server_cpu,
    )


def drive_from(args: Any, make: Make, server_pids: list[int], **options: Any) -> Totals:
    """`drive` with a benchmark's usual options (--port, --client-procs, --client-threads,
    --seconds, --warmup); `options` override them."""
    kw: dict[str, Any] = {
        "procs": args.client_procs,
        "threads": args.client_threads,
        "seconds": args.seconds,
        "warmup": args.warmup,
        "server_pids": server_pids,
    }
    return drive(args.port, make, **{**kw, **options})
