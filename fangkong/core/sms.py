"""SMS leaves the platform one way: through the delivery an app registers here
(`register_delivery`; the notify app's, which stores a delivery record with the number
encrypted and masked, retries with back-off and sends through its backend,
`FANGKONG_SMS_BACKEND`). `send_code_message` is what the one-time codes call.

`OutboxGateway` is the in-memory record of what the outbox backend "sent" (development
and tests read it: `OutboxGateway.last_to(phone)`); `gateway()` (settings
FANGKONG_SMS_GATEWAY) is used only when no delivery is registered (core alone)."""

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from fangkong.core.private_values import mask_phone

log = logging.getLogger(__name__)


class Gateway(Protocol):
    def send(self, phone: str, text: str) -> None: ...


@dataclass
class Message:
    phone: str
    text: str


class OutboxGateway:
    """Keeps sent messages in memory (tests read them) and logs a masked line."""

    outbox: list[Message] = []
    _lock = threading.Lock()

    def send(self, phone: str, text: str) -> None:
        self.record(phone, text)
        log.info("sms to %s: %d characters", mask_phone(phone), len(text))

    @classmethod
    def record(cls, phone: str, text: str) -> None:
        """Keep the message in memory (the last 200), without a log line."""
        with cls._lock:
            cls.outbox.append(Message(phone, text))
            del cls.outbox[:-200]

    @classmethod
    def last_to(cls, phone: str) -> Message | None:
        for m in reversed(cls.outbox):
            if m.phone == phone:
                return m
        return None


def gateway() -> Gateway:
    path = getattr(settings, "FANGKONG_SMS_GATEWAY", "fangkong.core.sms.OutboxGateway")
    return import_string(path)()


# (phone, text, key=, params=, expires_at=) -> None; set by the app that delivers SMS
_delivery: Callable[..., object] | None = None


def register_delivery(fn: Callable[..., object]) -> None:
    """The one way SMS leave (notify registers its delivery in its AppConfig.ready)."""
    global _delivery
    _delivery = fn


def send_code_message(
    phone: str, text: str, *, key: str, params: dict[str, Any], expires_at: dt.datetime
) -> None:
    """A message whose content is secret (a one-time code): `text` and `params` go to the
    gateway and are never stored in clear; `key` makes it one message per code."""
    if _delivery is not None:
        _delivery(phone, text, key=key, params=params, expires_at=expires_at)
    else:
        gateway().send(phone, text)
