"""The public bulletin's fast path: a GET of the resident's bulletin pages is answered
from the cache before sessions, authentication, messages and audit middleware run —
the pages carry no personal data and no per-user content. On a miss the request goes
through the ordinary stack and the view fills the cache."""

from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from fangkong.core import cached_pages
from fangkong.public import pages


class BulletinFastPath:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.keys: dict[str, str] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "GET" and not request.GET:
            if self.keys is None:
                self.keys = {
                    reverse("public:home"): pages.cache_key("home"),
                    reverse("public:history"): pages.cache_key("history"),
                }
            key = self.keys.get(request.path_info)
            if key is not None:
                body = cache.get(key)
                if body is not None:
                    return cached_pages.response(body, pages.BULLETIN_TTL)
        return self.get_response(request)
