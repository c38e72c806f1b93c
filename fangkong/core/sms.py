"""The SMS gateway: an interface and the outbox implementation used in development and
tests (no external network). Production plugs its own class via
settings.FANGKONG_SMS_GATEWAY (dotted path)."""

import logging
import threading
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"


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
        with self._lock:
            self.outbox.append(Message(phone, text))
            del self.outbox[:-200]
        log.info("sms to %s: %d characters", mask_phone(phone), len(text))

    @classmethod
    def last_to(cls, phone: str) -> Message | None:
        for m in reversed(cls.outbox):
            if m.phone == phone:
                return m
        return None


def gateway() -> Gateway:
    path = getattr(settings, "FANGKONG_SMS_GATEWAY", "fangkong.core.sms.OutboxGateway")
    return import_string(path)()
