"""The lean path (issue #21 item 1): bearer-token API requests and the signed-link public
endpoints skip the session, CSRF, messages, OTP, axes and locale middleware, and keep
everything that guards them: security headers, the language of answers, the input
checks, rate limits, audit entries and the token's revocation."""

import datetime as dt
import time
import uuid

import pytest
from django.conf import settings

from fangkong.accounts import actions as accounts
from fangkong.accounts.models import ApiToken
from fangkong.core import clock
from tests.conftest import GRID_A, YUECHENG

pytestmark = pytest.mark.django_db
SKIPPED = {
    "session": ("django.contrib.sessions.middleware", "SessionMiddleware", "process_request"),
    "csrf": ("django.middleware.csrf", "CsrfViewMiddleware", "process_request"),
    "messages": ("django.contrib.messages.middleware", "MessageMiddleware", "process_request"),
    "locale": ("django.middleware.locale", "LocaleMiddleware", "process_request"),
    "auth": ("django.contrib.auth.middleware", "AuthenticationMiddleware", "process_request"),
    "otp": ("django_otp.middleware", "OTPMiddleware", "__call__"),
    "axes": ("axes.middleware", "AxesMiddleware", "__call__"),
}


@pytest.fixture
def seen(monkeypatch):
    """The names of the full chain's middleware that ran, request by request."""
    import importlib

    ran: list[str] = []
    for name, (module, cls, method) in SKIPPED.items():
        klass = getattr(importlib.import_module(module), cls)
        original = getattr(klass, method)

        def spy(self, *args, _original=original, _name=name, **kwargs):
            ran.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(klass, method, spy)
    return ran


def bearer(user, days=30):
    raw = ApiToken.new_raw()
    ApiToken.objects.create(
        user=user, digest=ApiToken.hash(raw), expires_at=clock.now() + dt.timedelta(days=days)
    )
    return raw, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_lean_chain_is_first_and_keeps_the_guards():
    assert settings.MIDDLEWARE[0] == "fangkong.core.lean.LeanPath"
    lean = settings.LEAN_MIDDLEWARE
    for kept in (
        "django.middleware.security.SecurityMiddleware",
        "fangkong.core.security.CapUploads",
        "fangkong.core.middleware.RejectUnstorableInApi",
        "fangkong.core.middleware.ClientAddress",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ):
        assert kept in lean and kept in settings.MIDDLEWARE
    # auditlog's request context through one receiver for all lean requests; the
    # content security policy built once, without a nonce (test below)
    assert "fangkong.core.lean.RequestAudit" in settings.MIDDLEWARE
    assert "fangkong.core.lean.RequestAudit" in lean
    assert "django.middleware.csp.ContentSecurityPolicyMiddleware" in settings.MIDDLEWARE
    assert "fangkong.core.lean.LeanCSP" in lean
    # the same relative order as in the full chain
    full = [m for m in settings.MIDDLEWARE if m in lean]
    assert full == [m for m in lean if m in full]
    assert not any("session" in m.lower() or "csrf" in m.lower() for m in lean)


def test_a_bearer_request_skips_what_it_does_not_use(client, make_user, seen):
    _raw, headers = bearer(make_user("grid_worker", GRID_A))
    r = client.get("/api/v1/auth/tokens", **headers)
    assert r.status_code == 200
    assert seen == []
    assert "sessionid" not in r.cookies and "csrftoken" not in r.cookies
    # the same security headers as every answer
    assert "frame-ancestors 'none'" in r["Content-Security-Policy"]
    assert r["X-Frame-Options"] == "DENY"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin"
    assert r["Content-Language"] == "zh-hans" and "Accept-Language" in r["Vary"]
    assert r["Content-Length"] == str(len(r.content))


def test_a_lean_answer_has_the_full_chains_policy(client, make_user, settings):
    _raw, headers = bearer(make_user("grid_worker", GRID_A))
    lean = client.get("/api/v1/auth/tokens", **headers)["Content-Security-Policy"]
    client.cookies["sessionid"] = "x"  # a session cookie: the full chain
    full = client.get("/api/v1/auth/tokens", **headers)["Content-Security-Policy"]
    assert lean == full and "nonce" not in lean  # a JSON answer uses none on either
    assert lean == client.get("/api/v1/auth/tokens", **headers)["Content-Security-Policy"]
    # a changed setting is built anew
    settings.SECURE_CSP = {**settings.SECURE_CSP, "img-src": ["'self'"]}
    del client.cookies["sessionid"]
    again = client.get("/api/v1/auth/tokens", **headers)["Content-Security-Policy"]
    assert "img-src 'self';" in again and "data:" not in again.split("img-src")[1].split(";")[0]


def test_pages_and_session_calls_keep_the_full_chain(client, make_user, seen):
    user = make_user("grid_worker", GRID_A)
    client.force_login(user)
    client.get("/")
    assert {"session", "csrf", "messages", "locale", "auth", "otp", "axes"} <= set(seen)
    seen.clear()
    _raw, headers = bearer(user)
    client.get("/api/v1/auth/tokens", **headers)  # with its session cookie: full chain
    assert "session" in seen


def test_password_sign_in_stays_under_axes_even_with_a_bearer_header(client, make_user, seen):
    user = make_user("grid_worker", GRID_A)
    _raw, headers = bearer(user)
    r = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": "wrong"},
        content_type="application/json",
        **headers,
    )
    assert r.status_code in (400, 401) and "axes" in seen


def test_signed_link_endpoints_are_lean_and_answer_in_chinese_by_default(client, seen):
    url = "/api/v1/observation/self/forged-token/checkins"
    body = {"client_id": str(uuid.uuid4()), "temperature": "36.5"}
    r = client.post(url, body, content_type="application/json")
    assert r.status_code == 404 and r.json()["detail"] == "此报告链接无效"
    assert seen == [] and r["Content-Language"] == "zh-hans"
    english = client.post(url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == "this check-in link is not valid"
    again = client.post(url, body, content_type="application/json")
    assert again.json()["detail"] == "此报告链接无效"  # the thread's language was reset


def test_input_checks_hold_on_the_lean_path(client, make_user):
    _raw, headers = bearer(make_user("county_hq", YUECHENG))
    r = client.post(
        "/api/v1/tracing/scans",
        '{"venue_code": "a\\u0000b", "client_id": "%s"}' % uuid.uuid4(),
        content_type="application/json",
        **headers,
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "venue_code"]
    deep = "[" * 40 + "]" * 40
    r = client.post("/api/v1/tracing/scans", deep, content_type="application/json", **headers)
    assert r.status_code == 422
    big = '{"scans": [], "n": 123456789012345678901}'
    r = client.post("/api/v1/tracing/scans/batch", big, content_type="application/json", **headers)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "n"]


def test_rate_limits_hold_on_the_lean_path(client, seen):
    from fangkong.public import actions

    limit = actions.rules_on().submissions_per_hour
    codes = [
        client.post(
            "/api/v1/public/open/codes",
            {"phone": f"136{n:08d}"},
            content_type="application/json",
        ).status_code
        for n in range(limit + 1)
    ]
    assert codes[:limit] == [202] * limit and codes[limit] == 429
    assert "session" not in seen
    # a 429 says when the window ends, when the count starts again
    with clock.frozen(clock.now().replace(minute=59, second=30, microsecond=0)):
        r = client.post(
            "/api/v1/public/open/codes", {"phone": "13600000000"}, content_type="application/json"
        )
    assert r.status_code == 429 and r["Retry-After"] == "30"


def test_reads_are_audited_on_the_lean_path(client, make_user, node):
    from auditlog.models import LogEntry

    from fangkong.tracing import venues

    keeper = make_user("county_hq", YUECHENG)
    venue = venues.create_venue(keeper, {"name": "东门", "kind": "gate", "node": node(GRID_A)})
    _raw, headers = bearer(keeper)
    before = LogEntry.objects.count()
    r = client.post(
        f"/api/v1/tracing/venues/{venue.code}/gate-lookup",
        {"id_tail": "1234"},
        content_type="application/json",
        **headers,
    )
    assert r.status_code == 200, r.content
    entry = LogEntry.objects.order_by("pk").last()
    assert LogEntry.objects.count() == before + 1
    assert entry.actor == keeper and entry.remote_addr == "127.0.0.1"


def test_audit_context_of_a_lean_request_names_its_client_and_ends_with_it(client, make_user):
    """The lean path's audit context (core.lean.RequestAudit): each entry a request writes
    carries the actor, that request's client address and correlation id; the next
    request from another address gets its own; the thread's context is as it was after."""
    from auditlog.context import auditlog_value
    from auditlog.models import LogEntry

    user = make_user("grid_worker", GRID_A)
    _raw, headers = bearer(user)
    before = auditlog_value.get(None)
    for address, cid in (("10.0.0.7", "gate-7-0001"), ("10.0.0.8", "gate-8-0001")):
        token = ApiToken.objects.get(digest=ApiToken.hash(bearer(user)[0]))
        r = client.post(
            f"/api/v1/auth/tokens/{token.pk}/revoke",
            REMOTE_ADDR=address,
            HTTP_X_CORRELATION_ID=cid,
            **headers,
        )
        assert r.status_code == 200, r.content
        entry = LogEntry.objects.get_for_object(token).order_by("pk").last()
        assert "revoked_at" in entry.changes_dict
        assert (entry.actor, entry.remote_addr, entry.cid) == (user, address, cid)
        assert auditlog_value.get(None) is before
    # after the requests, an action outside any request names no client address
    token = ApiToken.objects.get(digest=ApiToken.hash(bearer(user)[0]))
    accounts.revoke(user, token)
    entry = LogEntry.objects.get_for_object(token).order_by("pk").last()
    assert (entry.actor, entry.remote_addr) == (user, None)


def test_a_revoked_token_is_refused_at_once_here_and_within_the_cache_life_elsewhere(
    client, make_user, monkeypatch
):
    user = make_user("grid_worker", GRID_A)
    raw, headers = bearer(user)
    assert client.get("/api/v1/auth/tokens", **headers).status_code == 200
    # another process revokes it (no signal reaches this one): honoured when the
    # cached record runs out
    ApiToken.objects.filter(digest=ApiToken.hash(raw)).update(
        revoked_at=clock.now(), revoked_reason="admin"
    )
    assert client.get("/api/v1/auth/tokens", **headers).status_code == 200
    later = time.monotonic() + settings.FANGKONG_TOKEN_CACHE_SECONDS + 0.1
    monkeypatch.setattr(accounts.time, "monotonic", lambda: later)
    assert client.get("/api/v1/auth/tokens", **headers).status_code == 401
    # revoked in this process: refused at once, however fresh the cache
    monkeypatch.undo()
    raw2, headers2 = bearer(user)
    assert client.get("/api/v1/auth/tokens", **headers2).status_code == 200
    accounts.revoke(user, ApiToken.objects.get(digest=ApiToken.hash(raw2)))
    assert client.get("/api/v1/auth/tokens", **headers2).status_code == 401


def test_an_expired_token_is_refused_from_the_cache(client, make_user):
    user = make_user("grid_worker", GRID_A)
    _raw, headers = bearer(user, days=1)
    assert client.get("/api/v1/auth/tokens", **headers).status_code == 200
    with clock.frozen(clock.now() + dt.timedelta(days=2)):
        assert client.get("/api/v1/auth/tokens", **headers).status_code == 401


def test_requests_do_not_share_the_cached_account(client, make_user):
    user = make_user("grid_worker", GRID_A)
    raw, _headers = bearer(user)
    first, second = accounts.token_for(raw), accounts.token_for(raw)
    assert first is not second and first.user is not second.user
    first.user.marked = True
    assert not hasattr(second.user, "marked") and second.user.pk == user.pk


def test_lean_url_matches_are_remembered_for_paths_without_parameters(rf):
    """The lean handler resolves a parameterless path once and a path with parameters
    every time; another URL configuration (override_settings) starts again."""
    from django.test import override_settings
    from django.urls import Resolver404

    from fangkong.core.lean import _LeanHandler

    handler = _LeanHandler()
    handler.load_lean([])
    verify = rf.post("/api/v1/healthcode/verify")
    first = handler.resolve_request(verify)
    assert handler.resolve_request(rf.post("/api/v1/healthcode/verify")) is first
    assert verify.resolver_match is first and first.url_name
    with_pk = rf.get("/api/v1/persons/1")
    assert handler.resolve_request(with_pk).kwargs and "/api/v1/persons/1" not in handler._resolved
    with pytest.raises(Resolver404):
        handler.resolve_request(rf.get("/api/v1/no-such-endpoint"))
    with override_settings(ROOT_URLCONF="fangkong.urls"):
        from django.urls import clear_url_caches

        clear_url_caches()
        again = handler.resolve_request(rf.post("/api/v1/healthcode/verify"))
        assert again is not first and again.route == first.route
    clear_url_caches()
