"""Residents' pages kept as rendered bytes: the same for everyone, so written in Chinese
whatever the browser asks, cached for `ttl` seconds, and answered with headers that let
a browser or a proxy keep them as long. The public bulletin (public.pages, also answered
by its fast path before the middleware) and the published deeds (care.pages) use them."""

from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation


def response(body: bytes, ttl: int) -> HttpResponse:
    """A cached page's answer. X-Frame-Options is set here, not left to the middleware:
    a fast path may answer before the middleware runs."""
    answer = HttpResponse(body)
    answer["Cache-Control"] = f"public, max-age={ttl}"
    answer["Content-Language"] = "zh-hans"
    answer["X-Frame-Options"] = "DENY"
    return answer


def page(key: str, build: Callable[[], bytes], ttl: int) -> HttpResponse:
    """The page kept under `key`, or `build()` rendered in Chinese and kept for `ttl`."""
    body = cache.get(key)
    if body is None:
        with translation.override("zh-hans"):
            body = build()
        cache.set(key, body, ttl)
    return response(body, ttl)
