"""The lean path (issue #21 item 1): machine and resident traffic skips the middleware it
does not use.

A gate device, a venue system or a resident's phone calls the API with a bearer token or
a signed link; neither uses a session, a CSRF cookie, flash messages, the OTP session
check, django-axes (no password is checked) or the HTML-only table labels. `LeanPath`,
first in settings.MIDDLEWARE, sends those requests through a second middleware chain,
built once from settings.LEAN_MIDDLEWARE, that keeps everything they do use, in the same
order as the full chain: the security headers (SecurityMiddleware, the Content-Security-
Policy, X-Frame-Options), the upload cap, the input checks of the API, the client
address for per-client limits, `no-store` on downloads, the audit log's request context
(remote address, correlation id) and the language of answers (`LeanLocale`: the same
choice as Django's LocaleMiddleware — the language cookie, then Accept-Language, else
Chinese).

What goes lean (settings):
- FANGKONG_LEAN_PATHS: path prefixes of the signed-link public endpoints, whatever the
  request carries (observation check-in link, self-service code, SMS code requests);
- any /api/ request with `Authorization: Bearer …` and no session cookie, except the
  paths in FANGKONG_LEAN_EXCLUDE (the password sign-in, which django-axes watches). A
  request that carries a session cookie takes the full chain, since an endpoint that
  accepts a session as well (the offline phone API) may fall back to it.
Everything else — pages, the admin, session-authenticated API calls — takes the full
chain as before."""

import re
from collections.abc import Callable
from functools import partial
from typing import Any

from auditlog import get_logentry_model
from auditlog.cid import set_cid
from auditlog.context import _set_extra_data, auditlog_value
from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, MiddlewareNotUsed
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.db.models.signals import pre_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.urls import ResolverMatch, get_resolver
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.csp import CSP, build_policy
from django.utils.module_loading import import_string
from ninja.renderers import JSONRenderer


class _LeanHandler(BaseHandler):
    """A handler whose middleware chain is LEAN_MIDDLEWARE (synchronous, as the WSGI
    server runs the project); URL resolution and the view call are Django's own."""

    def load_lean(self, paths: list[str]) -> Callable[[HttpRequest], Any]:
        self._view_middleware: list[Any] = []
        self._template_response_middleware: list[Any] = []
        self._exception_middleware: list[Any] = []
        handler = convert_exception_to_response(self._get_response)  # type: ignore[attr-defined]
        for path in reversed(paths):
            middleware = import_string(path)
            if not getattr(middleware, "sync_capable", True):
                raise ImproperlyConfigured(f"lean middleware {path} must run synchronously")
            try:
                instance = middleware(handler)
            except MiddlewareNotUsed:
                continue
            if instance is None:
                raise ImproperlyConfigured(f"Middleware factory {path} returned None.")
            if hasattr(instance, "process_view"):
                self._view_middleware.insert(0, instance.process_view)
            if hasattr(instance, "process_template_response"):
                self._template_response_middleware.append(instance.process_template_response)
            if hasattr(instance, "process_exception"):
                self._exception_middleware.append(instance.process_exception)
            handler = convert_exception_to_response(instance)
        self._middleware_chain = handler
        self._resolved: dict[str, Any] = {}
        self._resolver: Any = None
        self._fast: tuple[Any, list[tuple[re.Pattern[str], str]]] = (None, [])
        self._shaped: dict[str, ResolverMatch] = {}
        return handler

    def _routes(self) -> list[tuple[re.Pattern[str], str]]:
        """The parameterised routes of FANGKONG_LEAN_FAST (`/self/<token>/checkins`) as
        patterns, compiled once per setting; a parameter is one path segment, as the
        API's `{token}` (Django's `str` converter)."""
        fast = settings.FANGKONG_LEAN_FAST
        if self._fast[0] is not fast:
            routes = [(_pattern(route), h) for route, h in fast.items() if "<" in route]
            self._fast, self._shaped = (fast, routes), {}
        return self._fast[1]

    def resolve_request(self, request: HttpRequest) -> Any:
        """Django's URL resolution, remembered for paths without parameters (a gate's
        POST /api/v1/healthcode/verify walks some 180 patterns each time otherwise):
        the same match for the same path while the URL configuration is the same. A
        path of a parameterised fast route (a person's check-in link) is resolved by
        Django the first time and then by its pattern: the same view, its parameters."""
        if hasattr(request, "urlconf"):
            return super().resolve_request(request)
        resolver = get_resolver()
        if resolver is not self._resolver:  # another ROOT_URLCONF (tests): start again
            self._resolver, self._resolved, self._shaped = resolver, {}, {}
        path = request.path_info
        match = self._resolved.get(path)
        if match is None:
            match = self._by_route(request, path)
        if match is None:
            match = super().resolve_request(request)
            if not match.args and not match.kwargs and len(self._resolved) < 256:
                fast = settings.FANGKONG_LEAN_FAST.get(path)
                if fast:
                    match = _fast_match(match, import_string(fast), match.kwargs)
                self._resolved[path] = match
        request.resolver_match = match
        return match

    def _by_route(self, request: HttpRequest, path: str) -> ResolverMatch | None:
        """The match of a parameterised fast route, or None (Django resolves it)."""
        for pattern, handler in self._routes():
            found = pattern.match(path)
            if found is None:
                continue
            shaped = self._shaped.get(handler)
            kwargs = found.groupdict()
            if shaped is None:  # the first time: Django's resolution decides the view
                match = super().resolve_request(request)
                if match.args or match.kwargs != kwargs:
                    return match  # another view answers this path: never shaped
                self._shaped[handler] = shaped = _fast_match(match, import_string(handler), {})
            return _fast_match(shaped, None, kwargs)
        return None


_RENDERER = JSONRenderer()  # django-ninja's, as the API renders (fangkong.api)
_CONTENT_TYPE = f"{_RENDERER.media_type}; charset={_RENDERER.charset}"


def _pattern(route: str) -> re.Pattern[str]:
    """`/a/<name>/b` → the pattern of such paths, `name` one path segment."""
    parts = re.split(r"<(\w+)>", route)  # literal, name, literal, …
    return re.compile(
        "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>[^/]+)" for i, p in enumerate(parts))
        + r"\Z"
    )


def _fast_match(match: Any, fast: Callable[..., Any] | None, kwargs: dict[str, Any]) -> Any:
    """`match` with `kwargs`, its view behind `fast` (None: the view as it is)."""
    func = match.func if fast is None else _fast_view(fast, match.func)
    return ResolverMatch(
        func,
        (),
        kwargs,
        url_name=match.url_name,
        app_names=match.app_names,
        namespaces=match.namespaces,
        route=match.route,
        captured_kwargs=kwargs,
        extra_kwargs=match.extra_kwargs,
    )


def _fast_view(fast: Callable[..., Any], view: Callable[..., Any]) -> Any:
    """`view` (the API's) behind `fast` (FANGKONG_LEAN_FAST): a POST that `fast` answers
    (status, body) is rendered as django-ninja renders it; anything else goes to `view`.
    `fast` takes the request and the route's parameters, as the view does."""

    def lean_view(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.method == "POST":
            found = fast(request, **kwargs)
            if found is not None:
                status, body = found
                content = _RENDERER.render(request, body, response_status=status)
                return HttpResponse(content, status=status, content_type=_CONTENT_TYPE)
        return view(request, *args, **kwargs)

    lean_view.csrf_exempt = True  # type: ignore[attr-defined]  # as the API's views
    return lean_view


def _session_cookie(request: HttpRequest) -> bool:
    cookies = request.META.get("HTTP_COOKIE", "")
    return bool(cookies) and settings.SESSION_COOKIE_NAME in request.COOKIES


class LeanPath:
    """First in MIDDLEWARE: lean requests go through the lean chain, the rest on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.lean = _LeanHandler().load_lean(list(settings.LEAN_MIDDLEWARE))
        self.prefixes = tuple(settings.FANGKONG_LEAN_PATHS)
        self.exclude = frozenset(settings.FANGKONG_LEAN_EXCLUDE)

    def matches(self, request: HttpRequest) -> bool:
        """Whether this request takes the lean chain (see the module's docstring)."""
        path = request.path_info
        return path.startswith(self.prefixes) or (
            path.startswith("/api/")
            and request.META.get("HTTP_AUTHORIZATION", "")[:7].lower() == "bearer "
            and path not in self.exclude
            and not _session_cookie(request)
        )

    def __call__(self, request: HttpRequest) -> Any:
        if self.matches(request):
            request.lean = True  # type: ignore[attr-defined]
            # No session to read a user from: anonymous until the bearer token says who.
            request.user = AnonymousUser()
            response = self.lean(request)
            # as CommonMiddleware does on the full chain: keep-alive without chunking
            if not response.streaming and not response.has_header("Content-Length"):
                response.headers["Content-Length"] = str(len(response.content))
            return response
        return self.get_response(request)


class LeanLocale:
    """The language of the answer, chosen as LocaleMiddleware chooses it for this
    project (no language prefixes in URLs): the language cookie, then Accept-Language,
    else LANGUAGE_CODE (Chinese). Activated for the request's thread, stated in
    Content-Language, and the answer varies by Accept-Language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class RequestAudit(AuditlogMiddleware):
    """auditlog's request context — the correlation id, the client's address and port,
    the signed-in account — on every audit entry a request writes, on both chains, and
    gone when the request ends: auditlog's own middleware leaves it in the thread (and
    connects and disconnects a signal receiver for each request, taking the signal's lock
    twice and emptying its receiver cache: some 7 % of a gate request's CPU). One
    receiver, connected once, fills the entries of whichever request is running in this
    thread or task (the context variable says which). `core.access.actor` inside the
    request keeps its client address (`access.request_client`), outside a request none."""

    SIGNAL_DUID = ("fangkong-request-audit", 0.0)

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        super().__init__(get_response)
        pre_save.connect(
            partial(_set_extra_data, signal_duid=self.SIGNAL_DUID),
            sender=get_logentry_model(),
            dispatch_uid=self.SIGNAL_DUID,
            weak=False,
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from fangkong.core.access import request_client

        set_cid(request)
        data = self.get_extra_data(request)
        data["signal_duid"] = self.SIGNAL_DUID
        token = auditlog_value.set(data)
        client = request_client.set((data["remote_addr"], data["remote_port"]))
        try:
            return self.get_response(request)
        finally:
            request_client.reset(client)
            auditlog_value.reset(token)


class LeanCSP(ContentSecurityPolicyMiddleware):
    """The Content-Security-Policy on lean answers, the full chain's: a JSON answer uses
    no nonce (the full chain leaves an unused one out of the header), so none is made,
    and the header is built once per policy setting instead of for every request."""

    _built: tuple[Any, Any, dict[str, str]] = (None, None, {})

    def process_request(self, request: HttpRequest) -> None:
        request._csp_nonce = None  # type: ignore[attr-defined]

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if hasattr(response, "_csp_config") or hasattr(response, "_csp_ro_config"):
            return super().process_response(request, response)  # a view's own policy
        enforce: Any = settings.SECURE_CSP  # (the stubs type the two settings apart)
        report: Any = settings.SECURE_CSP_REPORT_ONLY
        if self._built[0] is not enforce or self._built[1] is not report:
            headers = {
                str(header): build_policy(config)
                for header, config in (
                    (CSP.HEADER_ENFORCE, enforce),
                    (CSP.HEADER_REPORT_ONLY, report),
                )
                if config
            }
            type(self)._built = (enforce, report, headers)
        for header, value in self._built[2].items():
            if header not in response:
                response.headers[header] = value
        return response
