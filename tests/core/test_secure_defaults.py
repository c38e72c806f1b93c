"""Secure by default (issue #16 item 6): no start on a known key, private files under
var/, CSP and (behind HTTPS) HSTS and Secure cookies, lockout per real client, uploads
capped in bytes and pixels."""

import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import override_settings
from PIL import Image

from fangkong.core import security

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, var: Path, **env: str) -> subprocess.CompletedProcess:
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FANGKONG_", "DATABASE_URL", "PYTEST", "DJANGO_"))
    }
    environ.update(
        PYTHONPATH=str(ROOT),
        FANGKONG_VAR_DIR=str(var),
        DJANGO_SETTINGS_MODULE="fangkong.settings",
        **env,
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, timeout=120
    )


SETUP = "import django; django.setup(); from django.db import connection; connection.ensure_connection(); print('started')"


def test_refuses_to_start_without_keys_then_starts_after_init_keys(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    refused = run_python(SETUP, var)
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr and "fangkong init-keys" in refused.stderr
    debug = run_python(SETUP, var, FANGKONG_DEBUG="1")  # a throw-away development server
    assert "started" in debug.stdout, debug.stderr
    init = run_python(
        "import sys; sys.argv = ['fangkong', 'init-keys']; from fangkong.__main__ import main; main()",
        var,
    )
    assert init.returncode == 0, init.stderr
    started = run_python(SETUP, var)
    assert "started" in started.stdout, started.stderr
    for path in [var / "keys" / "secret.key", var / "keys" / "data.key", var / "fangkong.sqlite3"]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(var.stat().st_mode) == 0o700


def test_a_weak_secret_or_a_bad_data_key_is_refused(settings):
    settings.SECRET_KEY = "dev-only-not-secret-" + "x" * 40
    with pytest.raises(ImproperlyConfigured, match="signing key"):
        security.check_keys(force=True)
    settings.SECRET_KEY = "k" * 50
    settings.FANGKONG_DATA_KEY = "c2hvcnQ="  # 5 bytes
    with pytest.raises(ImproperlyConfigured, match="data key"):
        security.check_keys(force=True)
    settings.FANGKONG_DATA_KEY = "dGVzdC1vbmx5LWtleS1mb3ItZmFuZ2tvbmctdGVzdHM="
    security.check_keys(force=True)


def test_files_created_by_the_app_are_private(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    (tmp_path / "demo-accounts.txt").write_text("x")
    os.chmod(tmp_path / "demo-accounts.txt", 0o644)
    security.private_files()
    assert stat.S_IMODE((tmp_path / "demo-accounts.txt").stat().st_mode) == 0o600
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "new.jpg").write_bytes(b"x")
    assert stat.S_IMODE((tmp_path / "media").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "media" / "new.jpg").stat().st_mode) == 0o600


@pytest.mark.django_db
def test_content_security_policy_and_nonce_on_pages(client):
    r = client.get("/accounts/login/")
    policy = r["Content-Security-Policy"]
    script = policy.split("script-src ")[1].split(";")[0]
    assert script.startswith("'self'") and "unsafe" not in script
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_inline_scripts_carry_the_nonce(client):
    from django.urls import reverse

    r = client.get(reverse("public:ask"))
    nonce = r["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in r.text
    assert "onchange=" not in r.text and "onclick=" not in r.text


def test_no_inline_handlers_or_unnonced_scripts_in_templates():
    for path in (ROOT / "fangkong").rglob("templates/**/*.html"):
        text = path.read_text()
        for handler in ("onclick=", "onchange=", "onsubmit=", "oninput=", "onload="):
            assert handler not in text, path
        assert "<script>" not in text, path


@pytest.mark.django_db
def test_hsts_and_secure_cookies_when_asked(client, settings, make_user):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.FANGKONG_SECURE_COOKIES = True
    user = make_user("city_hq", "3306")
    r = client.post(
        "/accounts/login/",
        {"username": user.username, "password": "pw-for-tests-1"},
        secure=True,
    )
    assert r["Strict-Transport-Security"].startswith("max-age=31536000")
    assert r.cookies["sessionid"]["secure"]


def test_settings_switch_on_hsts_and_secure_cookies():
    on = run_python(
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.SECURE_HSTS_SECONDS, settings.SESSION_COOKIE_SECURE, "
        "settings.CSRF_COOKIE_SECURE, settings.SECURE_SSL_REDIRECT)",
        Path("/nonexistent"),
        FANGKONG_SECURE_COOKIES="1",
        FANGKONG_DEBUG="1",
    )
    assert on.stdout.split() == ["31536000", "True", "True", "True"], on.stderr


@pytest.mark.django_db
def test_health_code_cookie_is_secure_when_asked(settings):
    from fangkong.healthcode import public

    source = Path(public.__file__).read_text()
    assert "secure=settings.FANGKONG_SECURE_COOKIES" in source


@pytest.mark.django_db
@override_settings(FANGKONG_PROXY_HOPS=1, AXES_ENABLED=True)
def test_lockout_counts_the_real_client_behind_the_proxy(client, make_user, settings):
    user = make_user("town_hq", "330602001")

    def login(password, client_address):
        return client.post(
            "/accounts/login/",
            {"username": user.username, "password": password},
            REMOTE_ADDR="10.0.0.1",  # the proxy
            HTTP_X_FORWARDED_FOR=client_address,
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        login("wrong-password", "203.0.113.66")
    assert login("pw-for-tests-1", "203.0.113.66").status_code in (403, 429)
    # The owner, behind the same proxy at another address, still signs in.
    r = login("pw-for-tests-1", "198.51.100.20")
    assert r.status_code == 302, r.status_code


@pytest.mark.django_db
def test_uploads_capped_in_bytes(client, settings):
    settings.FANGKONG_UPLOAD_MAX_BYTES = 1024
    r = client.post(
        "/api/v1/clinical/lab-results",
        data=b"x" * 4096,
        content_type="application/octet-stream",
    )
    assert r.status_code == 413 and "MB" in r.json()["detail"]


def big_png(width: int, height: int) -> io.BytesIO:
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, format="PNG", optimize=True)
    out.seek(0)
    out.name = "big.png"
    return out


def test_a_144_megapixel_photo_is_refused():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fangkong.supervision import photos

    data = big_png(12_000, 12_000).getvalue()
    assert len(data) < 1_000_000  # small on disk, huge in memory
    upload = SimpleUploadedFile("big.png", data, content_type="image/png")
    with pytest.raises(ValidationError) as refused:
        photos.reencode(upload)
    assert "photo" in refused.value.message_dict


def test_pixel_check_names_the_field():
    with pytest.raises(ValidationError) as refused:
        security.check_pixels(12_000, 12_000, "photos")
    assert "photos" in refused.value.message_dict
    security.check_pixels(4000, 3000, "photos")
