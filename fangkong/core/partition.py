"""Pure-CPU work on worker processes, partitioned by a key (issue 21: imports at the
machine's speed).

`Partitioned.map` takes chunks of `(key, item)` and yields, chunk by chunk and in item
order, `work(state, item)` for every item. Items of one key always go to the same worker
(`shard`: CRC-32 of the key modulo the number of workers), so the rows of one person are
handled by one process. At most `depth` chunks are in flight: memory stays flat however
long the input is, while the parent writes one chunk the workers prepare the next.

The workers are started with the 'spawn' context: they inherit no database connection,
set Django up from the parent's settings module, take the parent's data key, language,
time zone and database name, and build their `state = start(setup)` once. Most work is
pure CPU and never touches the database; a worker that writes (the bulk load's, see
`people.bulk`) opens its own connection to the parent's database and closes it when the
map ends. `Partitioned(..., per_chunk=True)` hands `work` a worker's whole share of a
chunk (`work(state, items)` → one result per item, in order) so it can write them in one
statement. With one worker (`FANGKONG_IMPORT_WORKERS=1`, the tests' default) everything
runs in the calling process through the same `start` and `work`.
"""

import importlib
import multiprocessing
import os
import pickle
import queue
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

WAIT = 1.0  # seconds between liveness checks while waiting for a worker


def worker_count() -> int:
    """Settings' FANGKONG_IMPORT_WORKERS (0 or unset: one per CPU)."""
    from django.conf import settings

    configured = int(getattr(settings, "FANGKONG_IMPORT_WORKERS", 0) or 0)
    return max(1, configured or os.cpu_count() or 1)


def shard(key: str, workers: int) -> int:
    return zlib.crc32(key.encode()) % workers if workers > 1 else 0


def _context() -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone, translation

    from fangkong.core import crypto

    return {
        "settings": os.environ.get("DJANGO_SETTINGS_MODULE", "fangkong.settings"),
        "master": crypto.master_key(),
        "language": translation.get_language(),
        "timezone": timezone.get_current_timezone_name(),
        "testing": bool(getattr(settings, "TESTING", False)),
        "database": connection.settings_dict["NAME"],  # the tests' own, under pytest
    }


def _bootstrap(context: dict[str, Any]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", context["settings"])
    if context["testing"]:  # the parent runs under the tests' settings: so do we
        os.environ["FANGKONG_TESTING"] = "1"
    import django

    django.setup()
    from django.conf import settings
    from django.utils import timezone, translation

    settings.DATABASES["default"]["NAME"] = context["database"]  # before any connection

    from fangkong.core import crypto

    crypto.use_master_key(context["master"])
    if context["language"]:
        translation.activate(context["language"])
    timezone.activate(context["timezone"])


def _name(fn: Callable) -> str:
    return f"{fn.__module__}:{fn.__qualname__}"


def _resolve(name: str) -> Callable:
    module, _sep, attr = name.partition(":")
    return getattr(importlib.import_module(module), attr)  # type: ignore[no-any-return]


def _serve(  # noqa: PLR0913
    index: int,
    inbox: Any,
    outbox: Any,
    start_name: str,
    work_name: str,
    setup: bytes,
    context: dict[str, Any],
    per_chunk: bool = False,
) -> None:
    """A worker's loop: (seq, positions, items) in, (seq, index, positions, results) out.
    The functions and the setup are named and pickled by the parent and taken up only
    once Django is set up (they may import models)."""
    _bootstrap(context)
    from django.db import connections

    start, work = _resolve(start_name), _resolve(work_name)
    state = start(pickle.loads(setup))  # noqa: S301 (our own parent's bytes)
    while (message := inbox.get()) is not None:
        seq, positions, items = message
        try:
            results = work(state, items) if per_chunk else [work(state, item) for item in items]
            outbox.put((seq, index, positions, results, ""))
        except Exception as exc:  # reported to the parent, which stops the import
            outbox.put((seq, index, positions, None, f"{type(exc).__name__}: {exc}"))
    connections.close_all()  # a writing worker's connection, closed rather than dropped


class WorkerFailed(RuntimeError):
    """A worker raised or died; the import stops (nothing of the chunk was written)."""


class Partitioned:
    def __init__(
        self,
        start: Callable[[Any], Any],
        work: Callable[[Any, Any], Any],
        setup: Any,
        workers: int = 1,
        depth: int = 2,
        per_chunk: bool = False,
    ):
        self.start, self.work, self.setup = start, work, setup
        self.workers, self.depth = max(1, workers), max(1, depth)
        self.per_chunk = per_chunk
        self._state: Any = None
        self._procs: list[Any] = []
        self._inboxes: list[Any] = []
        self._outbox: Any = None

    # --- one process ---------------------------------------------------------------------

    def local(self) -> Any:
        if self._state is None:
            self._state = self.start(self.setup)
        return self._state

    def _map_local(self, chunks: Iterable[list[tuple[str, Any]]]) -> Iterator[list[Any]]:
        state = self.local()
        for chunk in chunks:
            items = [item for _key, item in chunk]
            yield (
                self.work(state, items) if self.per_chunk else [self.work(state, i) for i in items]
            )

    # --- worker processes ----------------------------------------------------------------

    def _spawn(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        context = _context()
        setup = pickle.dumps(self.setup, protocol=pickle.HIGHEST_PROTOCOL)
        names = (_name(self.start), _name(self.work))
        self._outbox = ctx.Queue()
        for index in range(self.workers):
            inbox = ctx.Queue(maxsize=self.depth + 1)
            proc = ctx.Process(
                target=_serve,
                args=(index, inbox, self._outbox, *names, setup, context, self.per_chunk),
                daemon=True,
                name=f"fangkong-worker-{index}",
            )
            proc.start()
            self._inboxes.append(inbox)
            self._procs.append(proc)

    def _send(self, seq: int, chunk: list[tuple[str, Any]]) -> list[Any]:
        """Split a chunk by key over the workers; returns the chunk's record."""
        parts: list[tuple[list[int], list[Any]]] = [([], []) for _ in range(self.workers)]
        for position, (key, item) in enumerate(chunk):
            positions, items = parts[shard(key, self.workers)]
            positions.append(position)
            items.append(item)
        busy = 0
        for index, (positions, items) in enumerate(parts):
            if items:
                self._inboxes[index].put((seq, positions, items))
                busy += 1
        return [[None] * len(chunk), busy]

    def _receive(self) -> tuple[int, list[int], list[Any]]:
        while True:
            try:
                seq, _index, positions, results, error = self._outbox.get(timeout=WAIT)
            except queue.Empty:
                if not all(p.is_alive() for p in self._procs):
                    raise WorkerFailed("a worker process died") from None
                continue
            if error:
                raise WorkerFailed(error)
            return seq, positions, results

    def _map_workers(self, chunks: Iterable[list[tuple[str, Any]]]) -> Iterator[list[Any]]:
        if not self._procs:
            self._spawn()
        source = iter(chunks)
        pending: dict[int, list[Any]] = {}
        sent = done = 0
        while True:
            while sent - done < self.depth:
                chunk = next(source, None)
                if chunk is None:
                    break
                pending[sent] = self._send(sent, chunk)
                sent += 1
            if done == sent:
                return
            record = pending[done]
            while record[1]:
                seq, positions, results = self._receive()
                slots = pending[seq]
                for position, result in zip(positions, results, strict=True):
                    slots[0][position] = result
                slots[1] -= 1
            del pending[done]
            done += 1
            yield record[0]

    def map(self, chunks: Iterable[list[tuple[str, Any]]]) -> Iterator[list[Any]]:
        if self.workers == 1:
            return self._map_local(chunks)
        return self._map_workers(chunks)

    def close(self) -> None:
        for inbox in self._inboxes:
            try:
                inbox.put_nowait(None)
            except queue.Full:
                pass
        for proc in self._procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout=5)
        for q in [*self._inboxes, self._outbox]:
            if q is not None:
                q.cancel_join_thread()
                q.close()
        self._procs, self._inboxes, self._outbox = [], [], None

    def __enter__(self) -> "Partitioned":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
