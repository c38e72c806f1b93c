"""One-time codes sent by SMS: the one service every public form uses to prove that a
visitor holds a phone (public questions, care reports, mobilisation members, the
self-declaration page).

- A code lives 10 minutes and is burnt after `ATTEMPTS` guesses, right or wrong.
- Each guess is counted by an UPDATE committed on its own (a durable transaction)
  before the code is compared, so no transaction that a wrong guess rolls back can undo
  the count. `verify` refuses to run inside a caller's transaction (RuntimeError):
  call it before opening one.
- At most `SENDS_PER_PHONE` codes per number per hour, whoever asks; per client (the
  address behind FANGKONG_PROXY_HOPS trusted proxies) at most `SENDS_PER_CLIENT` sends
  and `CHECKS_PER_CLIENT` guesses per hour, and `CHECKS_PER_PHONE` guesses per number.

The client is taken from the request by `core.middleware.ClientAddress`, so a form need
not pass it; a caller outside a request (a command, a test) may pass `client`."""

import contextvars
import datetime as dt
import re
import secrets

from django.db import transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _

from fangkong.core import clock, crypto, ratelimit, sms
from fangkong.core.access import invalid
from fangkong.core.models import PhoneCode

TTL = dt.timedelta(minutes=10)
ATTEMPTS = 5  # guesses per code, then it is burnt
SENDS_PER_PHONE = 5  # per number per hour: SMS costs money and floods a phone
CHECKS_PER_PHONE = 15  # guesses per number per hour, over all its codes
SENDS_PER_CLIENT = 20  # per client address per hour
CHECKS_PER_CLIENT = 30
MOBILE = re.compile(r"^1[3-9]\d{9}$")
PHONE_INDEX = "person.phone"  # the same blind index as a person's phone

current_client: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "otp_client", default=None
)


def parse_phone(value: str) -> str:
    """A mainland mobile number, spaces, dashes and +86 removed; else an error on phone."""
    digits = re.sub(r"[\s-]", "", value or "")
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
    if not MOBILE.match(digits):
        raise invalid("phone", _("is not a mainland mobile number (11 digits starting 13–19)"))
    return digits


def _digest(phone: str, code: str) -> str:
    return crypto.blind_index(f"{phone}:{code}", "public.phone_code")


def _client(client: str | None) -> str | None:
    return client if client is not None else current_client.get()


def send(phone: str, *, client: str | None = None) -> str:
    """Send a six-digit code to a mainland mobile number; returns the normalised number."""
    phone = parse_phone(phone)
    client = _client(client)
    if client and not ratelimit.hit_key(client, "otp-send", SENDS_PER_CLIENT):
        raise invalid("phone", ratelimit.message())
    now = clock.now()
    index = crypto.blind_index(phone, PHONE_INDEX)
    recent = PhoneCode.objects.filter(phone_index=index, sent_at__gt=now - dt.timedelta(hours=1))
    if recent.count() >= SENDS_PER_PHONE:
        raise invalid("phone", _("Too many codes sent to this number. Try again in an hour."))
    code = f"{secrets.randbelow(10**6):06d}"
    row = PhoneCode.objects.create(
        phone_index=index, code_digest=_digest(phone, code), sent_at=now, expires_at=now + TTL
    )
    with translation.override("zh-hans"):
        text = _("[Shaoxing epidemic prevention] Your code is %(code)s, valid for 10 minutes.")
    # the one way out (the notify delivery: a record with the number masked, retries);
    # the code itself reaches only the gateway
    sms.send_code_message(
        phone,
        text % {"code": code},
        key=f"phone-code:{row.pk}:{secrets.token_hex(4)}",
        params={"code": code},
        expires_at=row.expires_at,
    )
    return phone


def verify(phone: str, code: str, *, client: str | None = None) -> str:
    """The normalised phone when `code` is the live code sent to it; else an error on
    `code`. The code is used up when right, and counts one of its guesses either way."""
    phone = parse_phone(phone)
    client = _client(client)
    if client and not ratelimit.hit_key(client, "otp-check", CHECKS_PER_CLIENT):
        raise invalid("code", ratelimit.message())
    index = crypto.blind_index(phone, PHONE_INDEX)
    if not ratelimit.hit_key(index, "otp-check-phone", CHECKS_PER_PHONE):
        raise invalid("code", _("Too many wrong codes for this number. Try again in an hour."))
    now = clock.now()
    live = PhoneCode.objects.filter(phone_index=index, used_at__isnull=True, expires_at__gt=now)
    sent = live.order_by("-sent_at", "-pk").first()
    if sent is None or sent.attempts >= ATTEMPTS:
        raise invalid("code", _("the phone number is not verified: request a new code"))
    # Count the guess first and commit it (durable: Django refuses if a caller's
    # transaction is open, since its rollback would undo the count); a concurrent guess
    # that took the last attempt makes this one fail.
    with transaction.atomic(durable=True):
        counted = PhoneCode.objects.filter(
            pk=sent.pk, used_at__isnull=True, attempts__lt=ATTEMPTS
        ).update(attempts=F("attempts") + 1)
    if not counted:
        raise invalid("code", _("the phone number is not verified: request a new code"))
    if not secrets.compare_digest(sent.code_digest, _digest(phone, (code or "").strip()[:12])):
        if sent.attempts + 1 >= ATTEMPTS:
            raise invalid("code", _("the code was guessed wrong too often: request a new code"))
        raise invalid("code", _("the verification code is wrong"))
    used = PhoneCode.objects.filter(pk=sent.pk, used_at__isnull=True).update(used_at=now)
    if not used:
        raise invalid("code", _("the phone number is not verified: request a new code"))
    return phone
