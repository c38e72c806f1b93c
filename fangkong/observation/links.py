"""The person's own check-in link (and QR code): signed, revocable, expiring, no account.

The token holds the period id, the link version and an expiry date, signed with the
project key (`django.core.signing`). Revoking bumps the period's `link_version`, so
every earlier link stops working; a link expires the day after the planned end.
No personal data is in the token.
"""

import datetime as dt
import io

import segno
from django.core import signing
from django.utils.translation import gettext as _

from fangkong.core import clock
from fangkong.observation.models import ObservationPeriod

SALT = "fangkong.observation.checkin-link"


class LinkError(Exception):
    """A link that cannot be used; `kind` is invalid, revoked, expired or closed."""

    def __init__(self, kind: str, message: str):
        self.kind = kind
        super().__init__(message)


def make_token(period: ObservationPeriod) -> str:
    exp = period.planned_end + dt.timedelta(days=1)
    return signing.dumps(
        {"p": period.pk, "v": period.link_version, "x": exp.isoformat()}, salt=SALT, compress=True
    )


def parse_token(token: str) -> tuple[int, int, dt.date]:
    """(period id, link version, expiry) from a signed token, or LinkError("invalid")."""
    try:
        data = signing.loads(token, salt=SALT)
        return int(data["p"]), int(data["v"]), dt.date.fromisoformat(data["x"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkError("invalid", _("this check-in link is not valid")) from None


def check_link(period: ObservationPeriod | None, version: int, exp: dt.date) -> None:
    """Refuse a link of an unknown period, a revoked link or an expired one."""
    if period is None:
        raise LinkError("invalid", _("this check-in link is not valid"))
    if version != period.link_version:
        raise LinkError(
            "revoked", _("this check-in link was revoked; ask your grid worker for a new one")
        )
    last_day = max(exp, period.planned_end + dt.timedelta(days=1))
    if clock.today() > last_day:
        raise LinkError("expired", _("this check-in link has expired"))


def read_token(token: str) -> ObservationPeriod:
    """The period a link belongs to, or LinkError saying why the link is refused."""
    pk, version, exp = parse_token(token)
    period = ObservationPeriod.objects.select_related("rules", "person").filter(pk=pk).first()
    check_link(period, version, exp)
    assert period is not None
    return period


def qr_svg(url: str) -> str:
    """An inline SVG QR code for `url` (error correction M, fits a phone screen)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=4, border=2, xmldecl=False)
    return out.getvalue().decode()


def qr_png(url: str, scale: int = 5) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=scale, border=2)
    return out.getvalue()
