"""The limiter lives in `fangkong.core.ratelimit`; the public pages add the 429 page."""

from django.http import HttpRequest, HttpResponse

from fangkong.core import ratelimit
from fangkong.core.ratelimit import WINDOW, client_key, hit, hit_key, message

__all__ = ["WINDOW", "client_key", "hit", "hit_key", "message", "refused"]


def refused(request: HttpRequest) -> HttpResponse:
    return ratelimit.refused(request, "public/p/limited.html")
