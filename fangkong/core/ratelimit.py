"""A small cache-backed limiter for public submissions: fixed windows per client and
scope. Over the limit the caller answers 429 with a clear Chinese message (`refused(request, template)`
renders any page with a `message`)."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from fangkong.core import clock

WINDOW = 3600


def client_key(request: HttpRequest) -> str:
    """The client's address: the socket's, or behind FANGKONG_PROXY_HOPS trusted proxies
    the address the outermost of them saw (earlier X-Forwarded-For entries are the
    client's own claims and are ignored)."""
    hops = settings.FANGKONG_PROXY_HOPS
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if hops > 0 and len(forwarded) >= hops:
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or "unknown"


def client_address(request: HttpRequest) -> str | None:
    """The client's address as django-axes stores it (an IP column): `client_key` when it
    is an IP address, else None — a request without one (a test client's login, a
    forwarded header holding no address) must not break the login on PostgreSQL."""
    import ipaddress

    key = client_key(request)
    try:
        return str(ipaddress.ip_address(key))
    except ValueError:
        return None


def hit(request: HttpRequest, scope: str, limit: int) -> bool:
    """Count one submission; False when the client is over `limit` in this window."""
    return hit_key(client_key(request), scope, limit)


def hit_key(client: str, scope: str, limit: int) -> bool:
    """Count one event for `client` (an address, or any key such as a phone's blind
    index) in `scope`; False when over `limit` in this hour."""
    window = int(clock.now().timestamp()) // WINDOW
    key = f"public:rl:{scope}:{client}:{window}"
    cache = caches["shared"]  # one count across worker processes
    if cache.add(key, 1, WINDOW + 60):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW + 60)
            count = 1
    return count <= limit


def message() -> Any:
    return _("Too many submissions from your network. Please try again in an hour.")


def refused(request: HttpRequest, template: str) -> HttpResponse:
    """The 429 page: `template` shows `message`."""
    return render(request, template, {"message": message()}, status=429)


def retry_after() -> int:
    """Seconds until the current window ends, when every client's count starts again."""
    return WINDOW - int(clock.now().timestamp()) % WINDOW


class RetryAfter:
    """Every 429 (a page or an API answer over a per-client limit) says when to come back:
    `Retry-After`, the seconds left in the window, unless the answer set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 429 and not response.has_header("Retry-After"):
            response["Retry-After"] = str(retry_after())
        return response
