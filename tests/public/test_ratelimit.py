"""The public rate limit counts in the cache shared by every worker process, per client
address, and behind trusted proxies takes the address the outermost proxy saw."""

from django.core.cache import caches
from django.test import RequestFactory

from fangkong.public import ratelimit


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


def test_lockout_address_is_an_ip_or_nothing(settings):
    """django-axes stores the address in an IP column (PostgreSQL refuses anything else):
    a forged non-address behind a proxy, or a request with no socket address, gives None."""
    from django.http import HttpRequest

    from fangkong.core.ratelimit import client_ip

    settings.FANGKONG_PROXY_HOPS = 1
    assert client_ip(request(forwarded="203.0.113.7")) == "203.0.113.7"
    assert client_ip(request(forwarded="not-an-address")) is None
    settings.FANGKONG_PROXY_HOPS = 0
    assert client_ip(HttpRequest()) is None
    assert client_ip(request(remote="2001:db8::1")) == "2001:db8::1"
