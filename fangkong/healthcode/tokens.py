"""Signed tokens of the health code; no personal data inside, only the person's id.

- the personal link (sent to the resident) opens their code page;
- the QR token on that page is short-lived (issued on the injectable clock), so a
  screenshot stops working after the rule set's `qr_seconds`. It is signed with the
  deployment's Ed25519 key and carries the colour and its expiry, so a gate keeper's
  phone without a signal can check it with the public key (`public_key_b64`) and show
  the colour as of the code's time: `F1.<payload>.<signature>`, both base64url.
"""

import base64
import binascii
import datetime as dt
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.core import signing
from django.utils.translation import gettext as _

from fangkong.core import clock, crypto

PERSONAL_SALT = "fangkong.healthcode.personal"
PERSONAL_DAYS = 90


class CodeError(Exception):
    """A token that cannot be used; `kind` is forged or expired."""

    def __init__(self, kind: str, message: str):
        self.kind = kind
        super().__init__(message)


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


QR_PREFIX = "F1."


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key_b64() -> str:
    """The raw Ed25519 public key (base64url) that gate pages verify codes with."""
    raw = crypto.signing_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return _b64(raw)


def qr_token(person_id: int, colour: str | None = None, seconds: int | None = None) -> str:
    """A signed, short-lived code: person id, colour and expiry (no name, no ID). The
    colour is the stored code's and the life the rule set's `qr_seconds` unless given."""
    if colour is None or seconds is None:
        from fangkong.healthcode import actions

        if colour is None:
            colour = actions.colour_of(person_id)
        if seconds is None:
            seconds = actions.rules_in_force(clock.today()).qr_seconds
    issued = int(clock.now().timestamp())
    payload = {"p": person_id, "c": colour, "i": issued, "e": issued + seconds}
    signed = QR_PREFIX + _b64(json.dumps(payload, separators=(",", ":")).encode())
    return signed + "." + _b64(crypto.signing_key().sign(signed.encode()))


_public: list = [None, None]  # (the signing key, its public half), derived once per key


def _verifying_key():  # type: ignore[no-untyped-def]
    """The public half of `crypto.signing_key()`, derived once per key (not per scan)."""
    key = crypto.signing_key()
    if _public[0] is not key:
        _public[:] = [key, key.public_key()]
    return _public[1]


def read_qr_payload(token: str) -> dict:
    """The verified payload of a QR token, whatever its age; CodeError("forged")."""
    token = token.strip()
    try:
        signed, sig = token.rsplit(".", 1)
        if not signed.startswith(QR_PREFIX):
            raise ValueError(token)
        _verifying_key().verify(_unb64(sig), signed.encode())
        data = json.loads(_unb64(signed.removeprefix(QR_PREFIX)))
        return {"p": int(data["p"]), "c": str(data.get("c", "")), "i": int(data["i"]),
                "e": int(data["e"])}  # fmt: skip
    except (InvalidSignature, ValueError, KeyError, TypeError, binascii.Error):
        raise CodeError("forged", _("this is not a valid health code")) from None


def read_qr(token: str, max_age: int, at: dt.datetime | None = None) -> int:
    """The person id of a scanned QR token, or CodeError (forged or expired). `at` is
    when it was scanned (an offline scan synced later); the clock's now by default."""
    data = read_qr_payload(token)
    check_age(data, max_age, at)
    return data["p"]


def check_age(data: dict, max_age: int, at: dt.datetime | None = None) -> None:
    """CodeError("expired") unless a verified payload (`read_qr_payload`) is still
    fresh at `at` (the clock's now by default)."""
    moment = (at or clock.now()).timestamp()
    if moment - data["i"] > max_age or moment > data["e"] + 1:
        raise CodeError("expired", _("this health code has expired: ask the person to refresh it"))
