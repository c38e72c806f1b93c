"""Refuse API input carrying NUL characters before it reaches a view.

PostgreSQL text cannot hold U+0000, so such a value would otherwise surface as a
server error deep in a query (SQLite would silently store it). Django's form fields
already refuse it; the JSON API gets the same rule here, with the field named."""

import json
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

NUL = "\x00"


def nul_paths(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[list[str | int]]:
    """Every location in decoded JSON where a key or a string contains NUL."""
    if isinstance(value, str):
        if NUL in value:
            yield list(path)
    elif isinstance(value, dict):
        for key, item in value.items():
            if NUL in key:
                yield [*path, key.replace(NUL, "\\u0000")]
            yield from nul_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from nul_paths(item, (*path, index))


class RejectNulInApi:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            errors = self.errors(request)
            if errors:
                return JsonResponse({"detail": errors}, status=422)
        return self.get_response(request)

    def errors(self, request: HttpRequest) -> list[dict]:
        message = _("must not contain the NUL character (U+0000)")
        found: list[list[str | int]] = [["path"]] if NUL in request.path else []
        found += [
            ["query", key.replace(NUL, "\\u0000")]
            for key, values in request.GET.lists()
            if any(NUL in v for v in [key, *values])
        ]
        if request.content_type == "application/json" and request.body:
            try:
                data = json.loads(request.body)
            except ValueError:
                data = None  # the API's own parser reports malformed JSON
            found += [["body", *p] for p in nul_paths(data)]
        return [{"loc": loc, "msg": message} for loc in found]
