"""What a hot-path benchmark states beside its figure (issue #21 item 4): the machine's
load before it starts, wall time and CPU per operation, and the limit — what this
machine does for the same work without our code:

- the same request through a bare Django view (`_bare.py`: no middleware, one view)
  and through gunicorn alone (a plain WSGI callable), same workers, threads and load;
- the same statements through the bare view (`_bare.same`): the path's SQL with the
  parameters it needs and nothing else — the request's unavoidable database work, the
  limit of a path that must write or read;
- COPY's rows/s into a plain table of the scan's columns (the batch path's ceiling);
- one core's AES-GCM + HMAC rate (`fangkong.core.crypto`: encrypt + blind index).

`table` prints one table: path, aim, result, limit, result/limit."""

import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _load import Request, drive, serve

BUSY = 1.0  # 1-minute load average above which the figures are not the machine's own


def load_check() -> float:
    """Print the 1-minute load average before a benchmark starts; warn when the machine
    is not quiet (the lead runs benchmarks alone: other work makes them pessimistic)."""
    load = os.getloadavg()[0]
    print(f"load average (1 min) before the run: {load:.2f} on {os.cpu_count()} cores")
    if load > BUSY:
        print(
            f"WARNING: load average {load:.2f} > {BUSY}: the machine is not quiet; "
            "wall-clock figures below are pessimistic (CPU per operation much less so)"
        )
    return load


@dataclass
class Row:
    path: str
    aim: str
    result: float  # per second
    limit: float  # per second
    unit: str = "/s"
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.result / self.limit if self.limit else 0.0


def table(rows: list[Row]) -> str:
    """The one table of the issue: path, aim, result, limit, result/limit."""
    lines = [
        "| path | aim | result | limit | result/limit |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for r in rows:
        note = f" ({r.note})" if r.note else ""
        lines.append(
            f"| {r.path} | {r.aim} | {r.result:,.0f}{r.unit} | {r.limit:,.0f}{r.unit}{note} "
            f"| {r.ratio:.2f} |"
        )
    text = "\n".join(lines)
    print(text)
    return text


def describe(name: str, seconds: float, out: dict, unit: str = "request") -> None:
    """One line: rate, errors, latency, wall time and CPU (server and client) per unit."""
    print(
        f"{name}: {out['ok']:,} in {seconds} s (wall) = {out['rate']:,.0f}/s, errors "
        f"{out['errors']}; latency p50 {out['p50']:.1f} ms, p95 {out['p95']:.1f} ms, "
        f"p99 {out['p99']:.1f} ms; CPU per {unit}: server {out['server_cpu_ms']:.3f} ms, "
        f"client {out['client_cpu_ms']:.3f} ms (user + sys)"
    )


@dataclass(frozen=True)
class Same:
    """The hot path's request shape (method, body), sent to the bare server."""

    body: str

    def __call__(self, rng: Any, n: int) -> Request:
        return Request(
            "POST", "/bare", body=self.body, headers={"Content-Type": "application/json"}
        )


@dataclass(frozen=True)
class SameStatements:
    """A request to the bare view that runs a hot path's statements (`_bare.same`): the
    path's kind and a function giving one request's parameters."""

    kind: str
    params: Any  # (rng) -> dict
    units: int = 1  # what a success counts (the scans of a batch)
    threads: int | None = None  # client threads per process, if not the benchmark's

    def __call__(self, rng: Any, n: int) -> Request:
        return Request(
            "POST",
            f"/bare/same/{self.kind}",
            body=json.dumps(self.params(rng)),
            headers={"Content-Type": "application/json"},
            units=self.units,
        )


SAME_LABEL = "bare view, same statements"


def http_limits(
    args: Any, body: str, port_offset: int = 1, same: list[SameStatements] | None = None
) -> dict[str, dict]:
    """The same request (its body) through a bare Django view and through gunicorn
    alone, with the benchmark's gunicorn and load-generator settings: their summaries
    (rate, latency, CPU per request). With `same`, each path's statements through the
    bare view as well (under "bare view, same statements: <kind>")."""
    out = {}
    servers: list[tuple[str, str, str | None, Any]] = [
        ("bare Django view", "fangkong.wsgi", "_bare", Same(body)),
        ("gunicorn alone", "_bare:raw", None, Same(body)),
    ]
    servers += [(f"{SAME_LABEL}: {m.kind}", "fangkong.wsgi", "_bare", m) for m in same or []]
    for label, app, settings_module, make in servers:
        port = args.port + port_offset
        with serve(
            port,
            args.gunicorn_workers,
            args.gunicorn_threads,
            app=app,
            settings_module=settings_module,
        ) as pids:
            t = drive(
                port,
                make,
                procs=args.client_procs,
                threads=getattr(make, "threads", None) or args.client_threads,
                seconds=args.seconds,
                warmup=args.warmup,
                server_pids=pids,
                timeout=60,
            )
        out[label] = t.summary(args.seconds)
        describe(label, args.seconds, out[label])
    return out


def copy_rate(rows: int) -> float:
    """COPY rows/s into a plain (unlogged, unindexed) table of the scan's columns, on the
    benchmark's database; Django must be set up."""
    import datetime as dt
    from decimal import Decimal

    from django.db import connection

    now = dt.datetime.now(dt.UTC)
    data = [
        (i % 1000 + 1, i, uuid.uuid4(), now, now, "visit", Decimal("36.6"), "green", True, "", "33")
        for i in range(rows)
    ]
    with connection.cursor() as cur:
        cur.execute(
            "CREATE UNLOGGED TABLE IF NOT EXISTS bench_copy_limit (venue_id bigint, "
            "person_id bigint, client_id uuid, scanned_at timestamptz, received_at "
            "timestamptz, direction text, temperature numeric(3,1), colour text, "
            "admitted boolean, refusal text, path text)"
        )
        cur.execute("TRUNCATE bench_copy_limit")
        t = time.perf_counter()
        with cur.cursor.copy("COPY bench_copy_limit FROM STDIN") as copy:
            for row in data:
                copy.write_row(row)
        took = time.perf_counter() - t
        cur.execute("DROP TABLE bench_copy_limit")
    rate = rows / took
    print(f"COPY into a plain table: {rows:,} rows in {took:.3f} s = {rate:,.0f} rows/s")
    return rate


def inserted_counts() -> dict[str, int]:
    """Rows inserted so far into each table of the benchmark's database (the statistics
    collector's counters, read afresh); Django must be set up."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pg_stat_clear_snapshot()")
        cur.execute(
            "SELECT relname, n_tup_ins FROM pg_stat_user_tables WHERE schemaname = 'public'"
        )
        return dict(cur.fetchall())


@dataclass
class SameRows:
    """What writing a run's own rows costs: every table's new rows, copied back in one
    COPY each into an empty table shaped like it (its defaults, checks, indexes and
    foreign keys: every row's reference is checked as in the real one), logged as the
    real one."""

    rows: int  # rows written in all tables
    wall: float  # seconds
    backend_cpu: float  # PostgreSQL backend CPU seconds
    client_cpu: float  # this process's CPU seconds
    tables: dict[str, int]

    @property
    def cpu(self) -> float:
        return self.backend_cpu + self.client_cpu


def same_rows_cost(
    inserted: dict[str, int], least: int = 100, foreign_keys: bool = True
) -> SameRows:
    """Copy the newest `inserted[table]` rows of each table (by id) into a fresh table
    like it, timed; the rows are read out before the clock starts. `LIKE` does not carry
    foreign keys: they are added as the real table declares them (`foreign_keys=False`
    leaves them out, to show what the checks cost). Django must be set up."""
    import io

    from django.db import connection

    tables = {t: n for t, n in inserted.items() if n >= least}
    taken: dict[str, bytes] = {}
    with connection.cursor() as cur:
        for t in list(tables):
            cur.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_name = %s "
                "AND column_name = 'id'",
                [t],
            )
            if cur.fetchone() is None:
                del tables[t]
                continue
            buf = io.BytesIO()
            with cur.cursor.copy(
                f'COPY (SELECT * FROM "{t}" ORDER BY id DESC LIMIT {tables[t]}) '
                "TO STDOUT (FORMAT binary)"
            ) as out:
                for chunk in out:
                    buf.write(chunk)
            taken[t] = buf.getvalue()
            cur.execute(f'DROP TABLE IF EXISTS "bench_same_{t}"')
            cur.execute(
                f'CREATE TABLE "bench_same_{t}" (LIKE "{t}" INCLUDING DEFAULTS '
                "INCLUDING CONSTRAINTS INCLUDING INDEXES)"
            )
            if foreign_keys:
                cur.execute(
                    "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'f'",
                    [t],
                )
                for (definition,) in cur.fetchall():
                    cur.execute(f'ALTER TABLE "bench_same_{t}" ADD {definition}')
    wall = backend = client = 0.0
    for t, data in taken.items():
        db0, c0, w0 = database_cpu_seconds() or 0.0, time.process_time(), time.perf_counter()
        with connection.cursor() as cur:
            with cur.cursor.copy(f'COPY "bench_same_{t}" FROM STDIN (FORMAT binary)') as copy:
                for i in range(0, len(data), 1 << 20):
                    copy.write(data[i : i + (1 << 20)])
        wall += time.perf_counter() - w0
        client += time.process_time() - c0
        backend += (database_cpu_seconds() or 0.0) - db0
    with connection.cursor() as cur:
        for t in taken:
            cur.execute(f'DROP TABLE "bench_same_{t}"')
    done = SameRows(sum(tables.values()), wall, backend, client, tables)
    print(
        f"the same rows written again ({', '.join(f'{t} {n:,}' for t, n in tables.items())}): "
        f"{done.rows:,} rows by COPY into tables like theirs "
        f"({'with' if foreign_keys else 'without'} their foreign keys) in {wall:.2f} s wall, "
        f"{backend:.2f} s PostgreSQL CPU + {client:.2f} s client CPU"
    )
    return done


def crypto_rate(n: int) -> float:
    """One core's AES-GCM encryption + HMAC blind index of a resident ID per second
    (what registering a person costs in cryptography); Django must be set up."""
    from fangkong.core import crypto

    values = [f"33060219800101{i % 10000:04d}" for i in range(n)]
    t0, c0 = time.perf_counter(), time.process_time()
    for v in values:
        crypto.encrypt(v, "id_number")
        crypto.blind_index(v, "id_number")
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    rate = n / cpu if cpu else 0.0
    print(
        f"AES-GCM + HMAC, one core: {n:,} in {wall:.3f} s wall, {cpu:.3f} s CPU "
        f"= {rate:,.0f}/s per core"
    )
    return rate


# --- CPU and memory of a process and its workers (imports, bulk loads) --------------------


def cpu_seconds_self() -> float:
    """User + system CPU of this process alone (an importer without its workers)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def cpu_seconds_tree() -> float:
    """User + system CPU of this process and of its reaped children (the workers of
    `fangkong.core.partition` are joined when a run ends, so they are counted)."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return cpu_seconds_self() + children.ru_utime + children.ru_stime


def database_cpu_seconds() -> float | None:
    """User + system CPU so far of the PostgreSQL backend serving Django's connection
    (from /proc: the server runs on this machine), or None where it cannot be read. Only
    this session's backend: the WAL writer, checkpointer and autovacuum are not in it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_cpu_seconds() -> float | None:
    """User + system CPU so far of every PostgreSQL server process on this machine (the
    backends of all connections — an import's writer thread has its own — and the WAL
    writer, checkpointer and autovacuum), or None on SQLite. Run alone, its difference
    over a run is the run's whole database cost. The CPU of backends that have ended (a
    connection closed during the run: a writer thread's, a writing worker's) is counted
    through the postmaster, which reaps them (its children's CPU)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        name, _sep, rest = stat.partition(" (")[2].rpartition(")")
        if name != "postgres":
            continue
        fields = rest.split()  # utime, stime, then the reaped children's cutime, cstime
        total += sum(int(f) for f in fields[11:15]) / tick
    return total


def peak_rss_mib() -> tuple[float, float]:
    """(this process's peak RSS, the largest child's peak RSS) in MiB."""
    import resource

    return (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    )


def tree_rss_mib() -> float:
    """Resident memory now of this process and its live children (from /proc)."""
    me = os.getpid()
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            if int(entry) != me and ppid != me:
                continue
            with open(f"/proc/{entry}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) / 1024
        except (OSError, ValueError, IndexError):
            continue
    return total


class RssSampler:
    """Samples `tree_rss_mib` every `every` seconds on a thread; `mark(label)` keeps
    the value at a moment (e.g. after 100,000 rows)."""

    def __init__(self, every: float = 0.5) -> None:
        import threading

        self.every = every
        self.samples: list[float] = []
        self.marks: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append(tree_rss_mib())
            self._stop.wait(self.every)

    def mark(self, label: str) -> None:
        self.marks.setdefault(label, tree_rss_mib())

    def __enter__(self) -> "RssSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append(tree_rss_mib())

    def describe(self) -> str:
        marks = ", ".join(f"{k} {v:,.0f} MiB" for k, v in self.marks.items())
        peak = max(self.samples, default=0.0)
        return f"resident memory (process + workers): {marks}; peak sampled {peak:,.0f} MiB"
