import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django_otp import devices_for_user

from fangkong.accounts.models import ApiToken, User
from fangkong.core import clock

TOKEN_LIFETIME = dt.timedelta(hours=12)


class LoginRefused(Exception):
    pass


def verify_otp(user: User, code: str) -> bool:
    return any(device.verify_token(code) for device in devices_for_user(user, confirmed=True))


def issue_token(request: Any, username: str, password: str, otp: str = "") -> tuple[str, ApiToken]:
    """Check credentials (through axes, so failures count towards lockout) and
    return a new raw bearer token with its record."""
    user = authenticate(request, username=username, password=password)
    if user is None:
        raise LoginRefused(_("wrong username or password, or the account is locked"))
    if settings.FANGKONG_REQUIRE_2FA and user.needs_two_factor:
        if not otp or not verify_otp(user, otp):
            raise LoginRefused(_("a valid two-factor code (otp) is required for this account"))
    raw = ApiToken.new_raw()
    token = ApiToken.objects.create(
        user=user, digest=ApiToken.hash(raw), expires_at=clock.now() + TOKEN_LIFETIME
    )
    return raw, token


def user_for_token(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user", "user__node")
        .filter(digest=ApiToken.hash(raw), expires_at__gt=clock.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token.user
