"""The injectable clock: every rule asks `now()` / `today()` here, never the system.

Tests and demos replay days with `frozen(datetime)`; production uses the real time.
"""

import contextlib
import datetime as dt
import threading
from collections.abc import Iterator

from django.utils import timezone

_state = threading.local()
_global_override: dt.datetime | None = None


def now() -> dt.datetime:
    override = getattr(_state, "override", None) or _global_override
    return override if override is not None else timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())


def set_now(value: dt.datetime | None) -> None:
    """Fix the clock for the whole process (demo replays); None restores real time."""
    global _global_override
    if value is not None and timezone.is_naive(value):
        raise ValueError("clock.set_now needs an aware datetime")
    _global_override = value


def thread_override() -> dt.datetime | None:
    """This thread's `frozen` time, if any (to carry it to a helper thread)."""
    return getattr(_state, "override", None)


@contextlib.contextmanager
def frozen(value: dt.datetime) -> Iterator[None]:
    """Fix the clock for this thread inside the block."""
    if timezone.is_naive(value):
        raise ValueError("clock.frozen needs an aware datetime")
    previous = getattr(_state, "override", None)
    _state.override = value
    try:
        yield
    finally:
        _state.override = previous
