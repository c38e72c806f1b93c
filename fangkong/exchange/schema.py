"""The exchange schema, version 1 (documented in docs/exchange.md).

Every value in a message body is a string (dates ISO 8601), so the JSON form, the
XLSX form (one column per field) and the signed canonical bytes agree exactly."""

import datetime as dt
import io
import json
import uuid
from typing import Any

from django.utils.translation import gettext as _

from fangkong.exchange.choices import Answer, Ask, Kind, Reason

SCHEMA = "fangkong.exchange/1"
HEAD = ("schema", "id", "kind", "from", "to", "sent_at")
REQUEST_FIELDS = (
    "name",
    "sex",
    "birth_date",
    "id_number",
    "phone",
    "address",
    "residence_code",
    "reason",
    "exposure_date",
    "exposure",
    "ask",
    "deadline",
    "contact",
)
ANSWER_FIELDS = ("request", "answer", "note", "answered_at")
BODY_FIELDS = {Kind.REQUEST.value: REQUEST_FIELDS, Kind.ANSWER.value: ANSWER_FIELDS}
LIMITS = {
    "name": 50,
    "address": 200,
    "exposure": 300,
    "contact": 100,
    "note": 300,
    "id_number": 18,
    "phone": 20,
}
MAX_MESSAGES = 1000  # per HTTP request or file


class SchemaError(ValueError):
    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


def message(kind: str, sender: str, receiver: str, body: dict[str, str], sent_at: dt.datetime):
    return {
        "schema": SCHEMA,
        "id": str(uuid.uuid4()),
        "kind": kind,
        "from": sender,
        "to": receiver,
        "sent_at": sent_at.isoformat(),
        "body": {k: str(body.get(k) or "") for k in BODY_FIELDS[kind]},
    }


def parse_time(value: str, field: str) -> dt.datetime:
    try:
        found = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise SchemaError(field, _("not a date and time (ISO 8601)")) from None
    if found.tzinfo is None:
        raise SchemaError(field, _("the time zone is missing"))
    return found


def parse_date(value: str, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise SchemaError(field, _("not a date (YYYY-MM-DD)")) from None


def check(msg: Any) -> dict[str, Any]:
    """The message's shape, field by field; SchemaError names the first bad field."""
    if not isinstance(msg, dict):
        raise SchemaError("message", _("not an object"))
    if msg.get("schema") != SCHEMA:
        raise SchemaError("schema", _("unknown schema version"))
    for key in HEAD:
        if not isinstance(msg.get(key), str):
            raise SchemaError(key, _("missing"))
    try:
        uuid.UUID(msg["id"])
    except ValueError:
        raise SchemaError("id", _("not a UUID")) from None
    fields = BODY_FIELDS.get(msg["kind"])
    if fields is None:
        raise SchemaError("kind", _("unknown kind"))
    parse_time(msg["sent_at"], "sent_at")
    body = msg.get("body")
    if not isinstance(body, dict) or set(body) != set(fields):
        raise SchemaError("body", _("the fields do not match the schema"))
    _check_values(body)
    if msg["kind"] == Kind.REQUEST:
        _check_request(body)
    else:
        _check_answer(body)
    return msg


def _check_values(body: dict[str, Any]) -> None:
    """Every body value is a string, short enough, without a NUL."""
    for key, value in body.items():
        if not isinstance(value, str):
            raise SchemaError(key, _("not a string"))
        if len(value) > LIMITS.get(key, 40):
            raise SchemaError(key, _("too long"))
        if "\x00" in value:
            raise SchemaError(key, _("forbidden character"))


def _check_request(body: dict[str, str]) -> None:
    if not body["name"].strip():
        raise SchemaError("name", _("the name is missing"))
    if not (body["residence_code"].isdigit() and len(body["residence_code"]) in (6, 9, 12)):
        raise SchemaError("residence_code", _("a 6-, 9- or 12-digit address code"))
    if body["reason"] not in Reason.values:
        raise SchemaError("reason", _("unknown reason"))
    if body["ask"] not in Ask.values:
        raise SchemaError("ask", _("unknown request"))
    parse_time(body["deadline"], "deadline")
    parse_date(body["exposure_date"], "exposure_date")
    parse_date(body["birth_date"], "birth_date")


def _check_answer(body: dict[str, str]) -> None:
    try:
        uuid.UUID(body["request"])
    except ValueError:
        raise SchemaError("request", _("not a UUID")) from None
    if body["answer"] not in Answer.values:
        raise SchemaError("answer", _("unknown answer"))
    parse_time(body["answered_at"], "answered_at")


# --- files: the same envelopes as JSON or as XLSX rows ---------------------------------

COLUMNS = (
    *HEAD,
    *(f"body.{f}" for f in REQUEST_FIELDS),
    *(f"body.{f}" for f in ANSWER_FIELDS),
    "signature",
)


def to_json(envelopes: list[dict]) -> bytes:
    doc = {"schema": SCHEMA, "messages": envelopes}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode()


def to_xlsx(envelopes: list[dict]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("messages")
    ws.append(list(COLUMNS))
    for env in envelopes:
        msg = env["message"]
        row = {**{k: msg[k] for k in HEAD}, "signature": env["signature"]}
        row.update({f"body.{k}": v for k, v in msg["body"].items()})
        ws.append([row.get(c, "") for c in COLUMNS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def from_file(data: bytes, file_name: str) -> list[Any]:
    """The envelopes of an exchange file (JSON or XLSX); SchemaError if unreadable."""
    if file_name.lower().endswith(".xlsx"):
        return _from_xlsx(data)
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise SchemaError("file", _("neither JSON nor XLSX")) from None
    return envelopes_of(doc)


def envelopes_of(doc: Any) -> list[Any]:
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        raise SchemaError("schema", _("unknown schema version"))
    messages = doc.get("messages")
    if not isinstance(messages, list):
        raise SchemaError("messages", _("missing"))
    if len(messages) > MAX_MESSAGES:
        raise SchemaError("messages", _("at most %d messages at once") % MAX_MESSAGES)
    return messages


def _from_xlsx(data: bytes) -> list[Any]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = wb.get_sheet_by_name("messages").to_python()
    except (CalamineError, ValueError, KeyError):
        raise SchemaError("file", _("neither JSON nor XLSX")) from None
    if not rows or [str(c) for c in rows[0]] != list(COLUMNS):
        raise SchemaError("file", _("the columns do not match the schema"))
    if len(rows) - 1 > MAX_MESSAGES:
        raise SchemaError("messages", _("at most %d messages at once") % MAX_MESSAGES)
    out = []
    for raw in rows[1:]:
        cells = dict(zip(COLUMNS, ("" if c is None else str(c) for c in raw), strict=False))
        kind = cells.get("kind", "")
        msg: dict[str, Any] = {k: cells.get(k, "") for k in HEAD}
        msg["body"] = {f: cells.get(f"body.{f}", "") for f in BODY_FIELDS.get(kind, ())}
        out.append({"message": msg, "signature": cells.get("signature", "")})
    return out
