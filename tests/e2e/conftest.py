"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded
browser). The Makefile installs the `chromium` package when it is missing."""

import threading

import pytest
from django.test import testcases

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# The live servers answering one request at a time, and whether the test session holds
# their lock (between a test's end and the next one's start: see _quiet_between_tests).
_SHARED: list["_OneAtATime"] = []
_HELD: list["_OneAtATime"] = []


class _OneAtATime:
    """The live server's request threads share the test's one in-memory SQLite
    connection, which two threads must not use at once: a service worker's fetch of
    /sw.js beside a page load failed with `sqlite3.InterfaceError` and lost the session
    (the test then met the sign-in page). With that database the server answers one
    request at a time; each connection keeps its own thread, so keep-alive is unharmed."""

    def __init__(self, app):
        self.app, self.lock = app, threading.Lock()
        _SHARED.append(self)

    def __call__(self, environ, start_response):
        with self.lock:
            result = self.app(environ, start_response)
            try:
                return [b"".join(result)]
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()


_create_server = testcases.LiveServerThread._create_server


def _server_for_shared_connection(self, connections_override=None):
    httpd = _create_server(self, connections_override=connections_override)
    if connections_override:  # pytest-django passes only in-memory SQLite connections
        set_app = httpd.set_app
        httpd.set_app = lambda app: set_app(_OneAtATime(app))
    return httpd


testcases.LiveServerThread._create_server = _server_for_shared_connection


@pytest.fixture(autouse=True)
def _tree_for_browser_tests(request):
    if "live_server" in request.fixturenames:
        request.getfixturevalue("tree")


@pytest.fixture(autouse=True)
def _quiet_between_tests(request):
    """A browser test ends with its pages closed, but the live server may still be
    answering one of them (a service worker's fetch, a late script's request) on the
    shared in-memory SQLite connection while the test's database is flushed: the flush
    then fails with "database table is locked". The server is held still from the end of
    each test (its last request finished) to the start of the next, the flush between."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("live_server")
    while _HELD:
        _HELD.pop().lock.release()
    yield
    for server in _SHARED:
        if server.lock.acquire(timeout=60):
            _HELD.append(server)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A 375-px-wide phone page in Simplified Chinese."""
    yield from _page(browser, 375, 740)


@pytest.fixture
def desktop(browser):
    """A 1280-px-wide desktop page in Simplified Chinese."""
    yield from _page(browser, 1280, 900)


def _page(browser, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    yield context.new_page()
    context.close()


@pytest.fixture
def seeded_rules():
    """Transactional tests flush the database: put back the seeded rule sets."""
    import importlib

    from django.apps import apps

    for name in (
        "fangkong.tracing.migrations.0002_seed_rules",
        "fangkong.healthcode.migrations.0002_seed_rules",
    ):
        importlib.import_module(name).seed(apps, None)


def sign_in(page, base_url, username, password="pw-for-tests-1"):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
