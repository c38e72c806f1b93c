"""The test kit: the small builders every app's tests share, written once.

The fixtures in `tests/conftest.py` hand these out (`auth`, `login`, `system`, the
headquarters of two counties…); a test module may also import them directly when it
needs one outside a fixture. The app conftests keep only what is their app's own.

factory-boy is not used: every shared builder goes through the app's real action (which
validates, encrypts and places the record) or is a one-line model call, and a factory
class would be a second way to spell the same record."""

import datetime as dt
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")  # the deployment's zone (settings.TIME_ZONE)


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A local time on a day (9:00 unless told)."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def system_user():
    """The unsaved superuser the tests act as when the actor does not matter."""
    from fangkong.accounts.models import User

    return User(is_superuser=True, is_active=True)


def bearer(user, days: int = 3650, language: str | None = None) -> dict[str, str]:
    """Headers of an API call by `user`: a fresh bearer token (and a language)."""
    from fangkong.accounts.models import ApiToken
    from fangkong.core import clock

    raw = ApiToken.new_raw()
    ApiToken.objects.create(
        user=user, digest=ApiToken.hash(raw), expires_at=clock.now() + dt.timedelta(days=days)
    )
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    if language:
        headers["HTTP_ACCEPT_LANGUAGE"] = language
    return headers


def bearer_en(user) -> dict[str, str]:
    """`bearer`, with answers in English (tests that read the API's messages)."""
    return bearer(user, days=30, language="en")
