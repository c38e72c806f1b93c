"""Signed tokens of the health code; no personal data inside, only the person's id.

- the personal link (sent to the resident) opens their code page;
- the QR token on that page is short-lived (TimestampSigner on the injectable clock),
  so a screenshot stops working after the rule set's `qr_seconds`.
"""

import datetime as dt

from django.core import signing
from django.utils.translation import gettext as _

from fangkong.core import clock

PERSONAL_SALT = "fangkong.healthcode.personal"
QR_SALT = "fangkong.healthcode.qr"
PERSONAL_DAYS = 90


class CodeError(Exception):
    """A token that cannot be used; `kind` is forged or expired."""

    def __init__(self, kind: str, message: str):
        self.kind = kind
        super().__init__(message)


class ClockSigner(signing.TimestampSigner):
    """TimestampSigner that reads the injectable clock, so tests can replay time."""

    def timestamp(self) -> str:
        return signing.b62_encode(int(clock.now().timestamp()))

    def unsign(self, value: str, max_age: float | dt.timedelta | None = None) -> str:
        result = signing.Signer.unsign(self, value)
        payload, ts = result.rsplit(self.sep, 1)
        if max_age is not None:
            if isinstance(max_age, dt.timedelta):
                max_age = max_age.total_seconds()
            age = clock.now().timestamp() - signing.b62_decode(ts)
            if age > max_age:
                raise signing.SignatureExpired(f"Signature age {age} > {max_age} seconds")
        return payload


def personal_token(person_id: int) -> str:
    return signing.dumps({"p": person_id, "d": clock.today().isoformat()}, salt=PERSONAL_SALT)


def read_personal(token: str) -> int:
    try:
        data = signing.loads(token, salt=PERSONAL_SALT)
        issued = dt.date.fromisoformat(data["d"])
        pid = int(data["p"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise CodeError("forged", _("this health code link is not valid")) from None
    if (clock.today() - issued).days > PERSONAL_DAYS:
        raise CodeError("expired", _("this health code link has expired; ask for a new one"))
    return pid


def qr_token(person_id: int) -> str:
    return ClockSigner(salt=QR_SALT).sign(str(person_id))


def read_qr(token: str, max_age: int) -> int:
    """The person id of a scanned QR token, or CodeError (forged or expired)."""
    try:
        return int(ClockSigner(salt=QR_SALT).unsign(token.strip(), max_age=max_age))
    except signing.SignatureExpired:
        raise CodeError(
            "expired", _("this health code has expired: ask the person to refresh it")
        ) from None
    except (signing.BadSignature, ValueError):
        raise CodeError("forged", _("this is not a valid health code")) from None
