"""Write one chunk while the caller prepares the next (issue 21: imports at the
machine's speed).

A bulk writer that decides a chunk in Python and then waits for PostgreSQL to store it
leaves one of the two cores idle half the time. `Writer.submit(fn, *args, then=…)` runs
`fn` on a thread with its own database connection, in submission order, at most one at a
time: the caller goes on with the next chunk meanwhile, and `submit` first waits for the
chunk in flight (raising its error, calling its `then` with its result in the caller's
thread). `fn` opens its own transaction: a chunk is stored whole or not at all, and a
failure stops the writer with the chunks before it stored.

It overlaps only on PostgreSQL and outside a caller's transaction (a second connection
would not see the caller's uncommitted rows, and the caller could not roll the chunks
back); otherwise `fn` runs at once in the calling thread, on the caller's connection.
The thread takes the caller's language, time zone and frozen clock."""

import contextlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from django.db import connection
from django.utils import timezone, translation

from fangkong.core import clock


def may_overlap() -> bool:
    """PostgreSQL, outside a transaction, unless settings' FANGKONG_OVERLAP_WRITES is off
    (to measure the difference, or where the database has no spare connection)."""
    from django.conf import settings

    if not getattr(settings, "FANGKONG_OVERLAP_WRITES", True):
        return False
    return connection.vendor == "postgresql" and not connection.in_atomic_block


class Writer:
    def __init__(self, overlapped: bool | None = None):
        self.overlapped = may_overlap() if overlapped is None else overlapped
        self._pool = ThreadPoolExecutor(1, "writer") if self.overlapped else None
        self._pending: tuple[Future, Callable[[Any], None] | None] | None = None

    def __enter__(self) -> "Writer":
        return self

    def submit(
        self, fn: Callable[..., Any], *args: Any, then: Callable[[Any], None] | None = None
    ) -> None:
        if self._pool is None:
            result = fn(*args)
            if then is not None:
                then(result)
            return
        self.wait()
        context = (translation.get_language(), timezone.get_current_timezone())
        self._pending = (self._pool.submit(_run, fn, args, *context, clock.thread_override()), then)

    def wait(self) -> None:
        """Until the chunk in flight is stored (its error raised, its `then` called)."""
        if self._pending is not None:
            (future, then), self._pending = self._pending, None
            result = future.result()
            if then is not None:
                then(result)

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if self._pool is None:
            return
        try:
            if kind is None:
                self.wait()
        finally:  # after the chunk in flight (one thread, in order): its connection closed
            self._pool.submit(_close).result()
            self._pool.shutdown()


def _run(fn: Callable[..., Any], args: tuple, language: str | None, zone: Any, at: Any) -> Any:
    frozen = clock.frozen(at) if at is not None else contextlib.nullcontext()
    with translation.override(language), timezone.override(zone), frozen:
        return fn(*args)


def _close() -> None:
    connection.close()  # looked up on the writer thread: its own connection
