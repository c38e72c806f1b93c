"""Two-factor sign-in (issue #16 item 5): available to every role, required per role by
configuration, and enrolled only with an administrator's one-time setup code."""

import base64

import pyotp
import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from fangkong.accounts.actions import issue_enrolment_code
from tests.conftest import GRID_A, YUECHENG, ZHUJI

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def sign_in(client, user):
    client.post(reverse("login"), {"username": user.username, "password": "pw-for-tests-1"})


def totp(user):
    device = TOTPDevice.objects.get(user=user)
    return pyotp.TOTP(base64.b32encode(device.bin_key).decode()).now()


def test_a_password_alone_cannot_enrol_a_device(client, make_user, settings):
    settings.FANGKONG_2FA_ROLES = ["county_hq"]
    user = make_user("county_hq", YUECHENG)
    sign_in(client, user)
    page = client.get(reverse("two_factor"))
    assert page.context["need_setup"] and "qr_svg_b64" not in page.context
    r = client.post(reverse("two_factor"), {"setup_code": "AAAA-BBBB-CCCC"})
    assert r.context["error"] and not TOTPDevice.objects.filter(user=user).exists()
    assert client.get(reverse("people:list")).status_code == 302


def test_administrator_issues_a_code_on_the_page_and_the_holder_enrols(client, make_user, settings):
    settings.FANGKONG_2FA_ROLES = ["county_hq"]
    user = make_user("county_hq", YUECHENG)
    admin = make_user("sysadmin", YUECHENG)
    client.force_login(admin)
    page = client.post(reverse("enrolment"), {"username": user.username})
    code = page.context["issued"]["code"]
    assert 'id="setup-code"' in page.text
    client.logout()
    sign_in(client, user)
    assert client.post(reverse("two_factor"), {"setup_code": code}).status_code == 302
    assert client.post(reverse("two_factor"), {"code": totp(user)}).status_code == 302
    assert client.get(reverse("people:list")).status_code == 200
    # The code served once.
    other = make_user("county_hq", YUECHENG)
    client.logout()
    sign_in(client, other)
    assert client.post(reverse("two_factor"), {"setup_code": code}).context["error"]


def test_required_per_role_by_configuration(client, make_user, settings):
    worker = make_user("grid_worker", GRID_A)
    sign_in(client, worker)
    assert client.get(reverse("people:list")).status_code == 200
    settings.FANGKONG_2FA_ROLES = ["grid_worker"]
    assert client.get(reverse("people:list")).status_code == 302
    r = client.post(
        "/api/v1/auth/token",
        {"username": worker.username, "password": "pw-for-tests-1"},
        content_type="application/json",
    )
    assert r.status_code == 401


def test_any_role_may_enrol_and_is_then_asked(client, make_user):
    worker = make_user("grid_worker", GRID_A)
    raw, _r = issue_enrolment_code(make_user("sysadmin", YUECHENG), worker)
    sign_in(client, worker)
    client.post(reverse("two_factor"), {"setup_code": raw})
    client.post(reverse("two_factor"), {"code": totp(worker)})
    client.logout()
    sign_in(client, worker)
    assert client.get(reverse("people:list")).status_code == 302  # now asked every time


def test_setup_codes_only_for_accounts_of_the_administrators_area(client, make_user):
    from fangkong.accounts.models import ApiToken

    zhuji_admin = make_user("sysadmin", ZHUJI)
    user = make_user("county_hq", YUECHENG)
    raw_token = ApiToken.new_raw()
    from fangkong.core import clock

    ApiToken.objects.create(
        user=zhuji_admin, digest=ApiToken.hash(raw_token), expires_at=clock.now().replace(year=2099)
    )
    h = {"HTTP_AUTHORIZATION": f"Bearer {raw_token}"}
    r = client.post(f"/api/v1/auth/accounts/{user.pk}/enrolment-code", **h)
    assert r.status_code == 404
    local = make_user("town_hq", "330681001")
    r = client.post(f"/api/v1/auth/accounts/{local.pk}/enrolment-code", **h)
    assert r.status_code == 201 and r.json()["setup_code"]
    client.force_login(user)
    assert client.get(reverse("enrolment")).status_code == 403
