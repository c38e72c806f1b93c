"""Shedding under overload (issue #21, "Bad input"): a hot request that the process has no
room for is answered at once — 503 with `Retry-After` — never left to wait until the
client gives up.

The hot requests are the lean path's (bearer-token API calls from gate devices and venue
systems, signed-link check-ins: `core/lean.py`). gunicorn's gthread worker hands accepted
connections to its threads through an unbounded queue, so without a bound a burst of batch
uploads takes every thread and everything behind them waits, pages and health checks too,
until clients time out. `ShedOverload` (in LEAN_MIDDLEWARE, before the body is read) keeps a
per-process count of hot requests in flight; at FANGKONG_MAX_INFLIGHT (default: the 8
threads `make run` starts, less one kept for the rest) the next hot request gets 503 with
`Retry-After: FANGKONG_RETRY_AFTER` seconds and a JSON `detail` in the caller's language,
having done nothing — so a batch is either not started or written whole (one transaction,
`tracing.venues.write_batch`). A pooled database connection not had within the pool's
timeout is answered the same way instead of with a server error. 0 turns the bound off."""

import threading
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _


class InFlight:
    """A count of requests in flight in this process, bounded by the setting (read at
    each entry, so a changed setting applies at once)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0

    def enter(self) -> bool:
        """Take a place; False (and nothing taken) when the process is full."""
        limit = settings.FANGKONG_MAX_INFLIGHT
        with self._lock:
            if limit and self.count >= limit:
                return False
            self.count += 1
            return True

    def leave(self) -> None:
        with self._lock:
            self.count -= 1


HOT = InFlight()  # one per process: every lean chain counts here


def busy() -> JsonResponse:
    """The answer of a shed request: 503, Retry-After, what to do, in JSON."""
    seconds = settings.FANGKONG_RETRY_AFTER
    response = JsonResponse(
        {
            "detail": _("The server is busy. Please send this again in %(n)d seconds.")
            % {"n": seconds},
            "retry_after": seconds,
        },
        status=503,
    )
    response["Retry-After"] = str(seconds)
    return response


def _pool_timeout(exc: BaseException) -> bool:
    """Whether `exc` is (or wraps) psycopg's pool timeout: no connection free in time."""
    try:
        from psycopg_pool import PoolTimeout
    except ImportError:  # pragma: no cover - psycopg_pool is a dependency
        return False
    return isinstance(exc, PoolTimeout) or isinstance(exc.__cause__, PoolTimeout)


class ShedOverload:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not HOT.enter():
            return busy()
        try:
            return self.get_response(request)
        finally:
            HOT.leave()

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return busy() if _pool_timeout(exception) else None
