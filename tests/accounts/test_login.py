import pyotp
import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import GRID_A


def test_sign_in_and_home(client, make_user):
    make_user("grid_worker", GRID_A, username="gw")
    response = client.post(reverse("login"), {"username": "gw", "password": "pw-for-tests-1"})
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 200
    titles = [str(c["card"].title) for c in home.context["cards"]]
    assert "人员" in titles or "Persons" in titles


def test_home_cards_follow_the_role(client, make_user):
    client.force_login(make_user("discipline", "3306"))
    urls = {c["card"].url_name for c in client.get(reverse("home")).context["cards"]}
    assert "audit" in urls
    client.force_login(make_user("grid_worker", GRID_A))
    urls = {c["card"].url_name for c in client.get(reverse("home")).context["cards"]}
    assert "audit" not in urls and "people:list" in urls


def test_lockout_after_repeated_failures(client, make_user, settings):
    make_user("grid_worker", GRID_A, username="gw")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "gw", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "gw", "password": "pw-for-tests-1"})
    assert response.status_code == 429
    api = client.post(
        "/api/v1/auth/token",
        {"username": "gw", "password": "pw-for-tests-1"},
        content_type="application/json",
    )
    assert api.status_code in (401, 429)


@pytest.fixture
def require_2fa(settings):
    settings.FANGKONG_REQUIRE_2FA = True


def test_city_roles_must_pass_totp(client, make_user, require_2fa, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = (
        0  # the wrong code below would otherwise delay the right one
    )
    user = make_user("city_hq", "3306", username="hq")
    client.post(reverse("login"), {"username": "hq", "password": "pw-for-tests-1"})
    response = client.get(reverse("people:list"))
    assert response.status_code == 302 and response["Location"] == reverse("two_factor")
    assert client.get(reverse("two_factor")).context["need_setup"]  # no code, no enrolment
    from fangkong.accounts.actions import issue_enrolment_code

    raw, _record = issue_enrolment_code(make_user("sysadmin", "3306"), user)
    assert client.post(reverse("two_factor"), {"setup_code": raw}).status_code == 302
    setup = client.get(reverse("two_factor"))
    assert setup.context["qr_svg_b64"]
    device = TOTPDevice.objects.get(user=user)
    assert client.post(reverse("two_factor"), {"code": "000000"}).context["error"]
    code = pyotp.TOTP(_b32(device)).now()
    assert client.post(reverse("two_factor"), {"code": code}).status_code == 302
    assert client.get(reverse("people:list")).status_code == 200


def test_grid_workers_are_not_asked_for_totp(client, make_user, require_2fa):
    make_user("grid_worker", GRID_A, username="gw")
    client.post(reverse("login"), {"username": "gw", "password": "pw-for-tests-1"})
    assert client.get(reverse("people:list")).status_code == 200


def test_api_token_needs_otp_for_city_roles(client, make_user, require_2fa):
    make_user("city_hq", "3306", username="hq")
    response = client.post(
        "/api/v1/auth/token",
        {"username": "hq", "password": "pw-for-tests-1"},
        content_type="application/json",
    )
    assert response.status_code == 401 and "otp" in response.json()["detail"]


def _b32(device):
    import base64

    return base64.b32encode(device.bin_key).decode()
