"""The public rate limit counts in the cache shared by every worker process, per client
address, and behind trusted proxies takes the address the outermost proxy saw."""

from django.core.cache import caches
from django.test import RequestFactory

from fangkong.core import ratelimit


def request(remote="10.0.0.9", forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().post("/", REMOTE_ADDR=remote, **extra)


def test_counts_live_in_the_shared_cache(db):
    r = request()
    assert all(ratelimit.hit(r, "ask", 3) for _ in range(3))
    assert not ratelimit.hit(r, "ask", 3)
    assert ratelimit.hit(request(remote="10.0.0.10"), "ask", 3)  # another client
    caches["default"].clear()  # the per-process cache forgets; the shared one does not
    assert not ratelimit.hit(r, "ask", 3)
    caches["shared"].clear()
    assert ratelimit.hit(r, "ask", 3)


def test_client_address_behind_proxies(settings):
    settings.FANGKONG_PROXY_HOPS = 0
    assert ratelimit.client_key(request(forwarded="1.2.3.4")) == "10.0.0.9"
    settings.FANGKONG_PROXY_HOPS = 1
    # A client's own X-Forwarded-For claim comes first; the proxy appends what it saw.
    assert ratelimit.client_key(request(forwarded="6.6.6.6, 203.0.113.7")) == "203.0.113.7"
    settings.FANGKONG_PROXY_HOPS = 2
    assert ratelimit.client_key(request(forwarded="203.0.113.7, 10.1.1.1")) == "203.0.113.7"
    assert ratelimit.client_key(request(forwarded="")) == "10.0.0.9"


def test_lockout_address_is_an_ip_or_nothing(settings, client, make_user):
    """django-axes stores the address in an IP column: a forwarded header holding no address,
    or a request without one (a test client's login), must not break the login (a 500 on
    PostgreSQL)."""
    from fangkong.core.ratelimit import client_address

    settings.FANGKONG_PROXY_HOPS = 1
    assert client_address(request(forwarded="203.0.113.7")) == "203.0.113.7"
    assert client_address(request(forwarded="not-an-address")) is None
    bare = RequestFactory().get("/")
    bare.META.pop("REMOTE_ADDR", None)
    assert client_address(bare) is None
    assert settings.AXES_CLIENT_IP_CALLABLE == "fangkong.core.ratelimit.client_address"
    user = make_user("grid_worker", "330602001004G01")
    client.force_login(user)  # axes records the login with no address
    client.logout()
    response = client.post(
        "/accounts/login/",
        {"username": user.username, "password": "wrong"},
        HTTP_X_FORWARDED_FOR="not-an-address",
    )
    assert response.status_code in (200, 403)
