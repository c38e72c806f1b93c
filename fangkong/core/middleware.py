"""Refuse API input that no database column can hold, before it reaches a view.

PostgreSQL text cannot hold U+0000, and neither database takes an integer outside
64 bits (SQLite raises, PostgreSQL widens to numeric and fails later); such a value
would otherwise surface as a server error deep in a query. Django's form fields
already refuse NUL; the JSON API gets the same rules here, with the field named. A body
sent as JSON that does not decode is a 400 saying where it breaks."""

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

NUL = "\x00"
INT_RANGE = range(-(2**63), 2**63)
INTEGER = re.compile(r"[+-]?\d+")
MAX_DEPTH = 32  # no operation takes JSON nested deeper
# A UTF-8 JSON text in which none of these occur holds no NUL, no lone surrogate and no
# integer out of range (2**63 has 19 digits), so the value-by-value walk can be skipped
# (a batch of thousands of scans); any match, even a harmless one, takes the walk
# (`suspect`: the escapes by a regex where a backslash-u or an 0xED byte occurs at all,
# the run of 19 digits by a translated copy, several times faster than one regex).
ESCAPES = re.compile(rb"\\u0000|\\u[dD][89abcdefABCDEF]|\xed[\xa0-\xbf]")
DIGITS = bytes.maketrans(b"0123456789", b"0000000000")
LONG_NUMBER = b"0" * 19
PARSED = "_fangkong_json"  # the decoded body, kept on the request for the API's parser


def suspect(body: bytes) -> bool:
    """Whether a JSON body may hold what no column stores (so it is walked value by
    value): not an object or a list, an escaped NUL or surrogate, a raw surrogate, or a
    run of 19 digits."""
    if body[:1] not in (b"{", b"["):
        return True
    if (b"\\u" in body or b"\xed" in body) and ESCAPES.search(body):
        return True
    return LONG_NUMBER in body.translate(DIGITS)


def decode(body: bytes) -> Any:
    """JSON text decoded by orjson (several times faster than the standard library, and
    the body of a batch of scans is megabytes), else by `json` as before: orjson refuses
    what `json` reads leniently (NaN, a lone surrogate, an infinite number), and those
    keep their old answers. Only for a body that is not `suspect`: orjson reads an
    integer beyond 64 bits as a float, which the range check would then miss."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return json.loads(body)


def _lone_surrogate(text: str) -> bool:
    """A lone UTF-16 surrogate (JSON "\\ud800"): no database text column takes it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def depth(value: Any) -> int:
    """How deeply lists and objects nest in decoded JSON (without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def containers_depth(value: Any, limit: int = MAX_DEPTH) -> int:
    """`depth` of decoded JSON (which holds no other containers than lists and objects),
    level by level; it stops counting past `limit`."""
    if type(value) is not dict and type(value) is not list:
        return 0
    deepest, level = 0, [value]
    while level and deepest <= limit:
        deepest += 1
        below = []
        for item in level:
            for child in item.values() if type(item) is dict else item:
                if type(child) is dict or type(child) is list:
                    below.append(child)
        level = below
    return deepest


def _key(key: str) -> str:
    return key.replace(NUL, "\\u0000")


def unstorable(
    value: Any, path: tuple[str | int, ...] = (), text_as_number: bool = False
) -> Iterator[tuple[list, str]]:
    """(location, problem) for every key or string with NUL and every integer out of
    range in decoded JSON; with `text_as_number` (URL parts, where every value is text)
    also digit strings out of range, since they will be read as numbers."""
    if isinstance(value, str):
        if NUL in value:
            yield list(path), "nul"
        elif _lone_surrogate(value):
            yield list(path), "surrogate"
        elif text_as_number and INTEGER.fullmatch(value) and int(value) not in INT_RANGE:
            yield list(path), "range"
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if value not in INT_RANGE:
            yield list(path), "range"
    elif isinstance(value, dict):
        for key, item in value.items():
            if NUL in key:
                yield [*path, _key(key)], "nul"
            elif _lone_surrogate(key):
                yield [*path, key.encode("utf-8", "replace").decode()], "surrogate"
            yield from unstorable(item, (*path, _key(key)), text_as_number)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from unstorable(item, (*path, index), text_as_number)


class NotJson(ValueError):
    """A body sent as JSON that does not decode: 400, saying where it breaks."""


class RejectUnstorableInApi:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            try:
                errors = self.errors(request)
            except NotJson as exc:
                return JsonResponse({"detail": str(exc)}, status=400)
            if errors:
                return JsonResponse({"detail": errors}, status=422)
        return self.get_response(request)

    @staticmethod
    def message(problem: str) -> str:
        """The words of a problem, translated only when there is one (not per request)."""
        if problem == "nul":
            return _("must not contain the NUL character (U+0000)")
        if problem == "range":
            return _("is not a number that can be stored (out of range)")
        if problem == "surrogate":
            return _("is not valid Unicode text (a lone surrogate)")
        return _("is nested too deeply (at most %(n)d levels)") % {"n": MAX_DEPTH}

    def errors(self, request: HttpRequest) -> list[dict]:
        found: list[tuple[list, str]] = [
            (["path"], p) for _loc, p in unstorable(request.path.split("/"), (), True)
        ][:1]
        for key, values in request.GET.lists():
            found += [(["query", _key(key)], p) for _l, p in unstorable([key, *values], (), True)][
                :1
            ]
        if request.content_type == "application/json" and request.body:
            body = request.body
            walk = suspect(body)
            try:
                data = json.loads(body) if walk else decode(body)
            except json.JSONDecodeError as exc:
                raise NotJson(
                    _("the request body is not valid JSON (line %(line)d, column %(column)d)")
                    % {"line": exc.lineno, "column": exc.colno}
                ) from None
            except ValueError:  # bytes that are not UTF-8 (or UTF-16/32) text
                raise NotJson(_("the request body is not valid JSON (not UTF-8 text)")) from None
            except RecursionError:
                return [{"loc": ["body"], "msg": self.message("depth")}]
            else:
                setattr(request, PARSED, data)  # parsed once (fangkong.api.KeptParser)
            if containers_depth(data) > MAX_DEPTH:
                return [{"loc": ["body"], "msg": self.message("depth")}]
            if walk:
                found += [(["body", *loc], p) for loc, p in unstorable(data)]
        return [{"loc": loc, "msg": self.message(problem)} for loc, problem in found]


class NoStoreForDownloads:
    """`Cache-Control: no-store` on every file download (exports of lists, reports,
    certificates): none may stay in a browser's or a proxy's cache (issue #16, item 6).
    Reveal answers set it in their views (never_cache)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.utils.cache import add_never_cache_headers

        response = self.get_response(request)
        if "attachment" in response.get("Content-Disposition", ""):
            add_never_cache_headers(response)
        return response


class ClientAddress:
    """Make the client's address (behind FANGKONG_PROXY_HOPS trusted proxies) known to
    services that limit per client, such as the one-time codes of core.otp_codes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from fangkong.core import otp_codes, ratelimit

        token = otp_codes.current_client.set(ratelimit.client_key(request))
        try:
            return self.get_response(request)
        finally:
            otp_codes.current_client.reset(token)
