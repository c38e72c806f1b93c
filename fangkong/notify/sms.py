"""SMS backends, like Django's email backends: `settings.FANGKONG_SMS_BACKEND` names a
class with `send(message) -> Answer`. Chinese gateways send approved templates only, so a
message is a template id with parameters (plus the rendered text for the outbox).

- `OutboxBackend` (default; demo and tests) stores what would be sent in `OutboxMessage`,
  the number encrypted, a one-time code blanked; a second message with the same key is
  refused, not stored twice. The message as a phone would show it is kept in memory
  (`fangkong.core.sms.OutboxGateway`, which tests read).
- `HttpBackend` posts JSON to a gateway configured by settings
  (`FANGKONG_SMS_HTTP = {"url", "sign_name", "app_key", "timeout", "templates": {kind: id}}`).
"""

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from fangkong.core import crypto
from fangkong.core.sms import OutboxGateway

log = logging.getLogger(__name__)


@dataclass
class SmsMessage:
    key: str  # idempotency key: one message per event and channel
    phone: str  # decrypted just before sending, never logged
    template: str
    params: dict = field(default_factory=dict)
    text: str = ""
    secret: bool = False  # text and params hold a one-time code: never stored in clear


@dataclass
class Answer:
    ok: bool
    detail: str = ""
    retry: bool = True  # a failure worth retrying (time-out, 5xx)


class Backend(Protocol):
    def send(self, message: SmsMessage) -> Answer: ...


def mask(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else "****"


class OutboxBackend:
    """Stores messages in `OutboxMessage`. Inside `batch()` … `flush()` (a delivery task's
    batch) rows are written together; the unique key still keeps one row per message."""

    def __init__(self) -> None:
        self._batch: list | None = None

    def _row(self, message: SmsMessage):  # type: ignore[no-untyped-def]
        from fangkong.notify.models import OutboxMessage

        text, params = message.text, message.params
        if message.secret:  # the stored copy shows the message with its code blanked
            params = {k: "*" * len(str(v)) for k, v in params.items()}
            for value in message.params.values():
                text = text.replace(str(value), "*" * len(str(value)))
        return OutboxMessage(
            key=message.key,
            phone_enc=crypto.encrypt(message.phone, "notify.outbox.phone"),
            phone_masked=mask(message.phone),
            template=message.template,
            params=params,
            text=text,
        )

    def batch(self) -> None:
        self._batch = []

    def flush(self) -> None:
        from fangkong.notify.models import OutboxMessage

        rows, self._batch = self._batch or [], None
        OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)

    def send(self, message: SmsMessage) -> Answer:
        if self._batch is not None:
            self._batch.append(self._row(message))
            OutboxGateway.record(message.phone, message.text)
            return Answer(True, "stored in the outbox")
        try:
            with transaction.atomic():
                self._row(message).save()
        except IntegrityError:
            return Answer(True, "duplicate: already in the outbox")
        # what the phone shows, kept in memory only (development and tests read it)
        OutboxGateway.record(message.phone, message.text)
        return Answer(True, "stored in the outbox")


class HttpBackend:
    """A JSON gateway: {"phone", "sign_name", "template", "params", "out_id"}; a 2xx reply
    whose JSON has `code` "OK" (or no code) is sent; anything else is the reason."""

    def __init__(self) -> None:
        self.conf = getattr(settings, "FANGKONG_SMS_HTTP", {})

    def send(self, message: SmsMessage) -> Answer:
        url = self.conf.get("url")
        if not url:
            return Answer(False, "FANGKONG_SMS_HTTP has no url", retry=False)
        template = self.conf.get("templates", {}).get(message.template, message.template)
        body = json.dumps(
            {
                "phone": message.phone,
                "sign_name": self.conf.get("sign_name", ""),
                "template": template,
                "params": message.params,
                "out_id": message.key,
            },
            ensure_ascii=False,
        ).encode()
        req = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {self.conf.get('app_key', '')}",
            },
        )
        try:
            with urllib.request.urlopen(req, timeout=float(self.conf.get("timeout", 10))) as r:
                raw = r.read(4000).decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return Answer(False, f"HTTP {exc.code}", retry=exc.code >= 500 or exc.code == 429)
        except (TimeoutError, urllib.error.URLError, OSError) as exc:
            return Answer(False, f"no answer: {getattr(exc, 'reason', exc)}")
        try:
            reply = json.loads(raw) if raw.strip() else {}
        except ValueError:
            return Answer(False, f"unreadable answer: {raw[:100]}")
        code = str(reply.get("code", "OK")) if isinstance(reply, dict) else "OK"
        if code.upper() in ("OK", "0", "200"):
            return Answer(True, f"accepted {reply.get('biz_id', '')}".strip())
        return Answer(False, f"{code}: {reply.get('message', '')}"[:300], retry=False)


def backend() -> Backend:
    path = getattr(settings, "FANGKONG_SMS_BACKEND", "fangkong.notify.sms.OutboxBackend")
    return import_string(path)()
