"""Every write of the hand-over between cities (协查), one function per verb.

Sending: `new_request` stores the request and its signed message (the outbox);
`deliver` posts waiting messages to partners with an endpoint, `export_file` hands them
over as a file where no link exists. Receiving (`receive`, `import_file`) lives in
`receiving.py`: a bad message is refused, logged and nothing is stored; a good request
lands in the screening queue, a good answer closes the sender's request."""

import datetime as dt
import json
import logging
import urllib.error
import urllib.request
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.core import audit, clock, crypto, readings
from fangkong.core.access import NotAllowed, invalid, require, save_unique
from fangkong.exchange import schema, signing
from fangkong.exchange.choices import Answer, Ask, Channel, Direction, Kind, Reason, State
from fangkong.exchange.models import ExchangeRules, HandoverRequest, Message, Partner
from fangkong.geo.models import Division
from fangkong.people import identity
from fangkong.people import rules as people_rules

log = logging.getLogger(__name__)
BATCH = 500


# --- who we are -----------------------------------------------------------------------


def root() -> Division:
    found = Division.objects.root()
    if found is None:
        raise ValidationError(_("the jurisdiction tree is not loaded"))
    return found


def own_code() -> str:
    """This deployment's 6-digit city code (the root of the tree, e.g. 3306 → 330600)."""
    return root().code[:6].ljust(6, "0")


# --- partners -------------------------------------------------------------------------


def save_partner(user: Any, data: dict[str, Any], partner: Partner | None = None) -> Partner:
    """Register (or edit) a partner city with its public key."""
    require(
        user,
        "change" if partner else "add",
        Partner,
        message=_("your role may not manage partners"),
    )
    errors: dict[str, list[str]] = {}
    code = str(data.get("code") or "").strip()
    if not (code.isdigit() and len(code) == 6 and code.endswith("00")):
        errors["code"] = [_("a 6-digit city code, e.g. 420100")]
    elif code == own_code():
        errors["code"] = [_("this is our own city")]
    name = str(data.get("name") or "").strip()
    if not name or len(name) > 60:
        errors["name"] = [_("give a name of at most 60 characters")]
    url = str(data.get("url") or "").strip()
    if url and (not url.startswith(("https://", "http://")) or len(url) > 200):
        errors["url"] = [_("an http(s) address")]
    key = str(data.get("public_key") or "").strip()
    try:
        signing.parse_public_key(key)
    except ValueError:
        errors["public_key"] = [
            _(
                "not a public key: copy it as it stands from the partner city's page of "
                "partner cities"
            )
        ]
    if errors:
        raise ValidationError(errors)
    partner = partner or Partner()
    partner.code, partner.name, partner.url, partner.public_key = code, name, url, key
    partner.active = bool(data.get("active", True))
    partner.path = root().path
    return save_unique(partner, "code", _("this city is registered already"))


# --- sending --------------------------------------------------------------------------


def _store_protected(req: HandoverRequest, id_number: str, phone: str) -> None:
    req.id_number_enc = crypto.encrypt(id_number, "exchange.id_number") if id_number else None
    req.id_masked = people_rules.mask_id(id_number) if id_number else ""
    req.phone_enc = crypto.encrypt(phone, "exchange.phone") if phone else None
    req.phone_masked = people_rules.mask_phone(phone) if phone else ""


def _clean_request(data: dict[str, Any]) -> dict[str, Any]:
    """A request's fields checked; every problem is reported at once, by field."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    out["name"] = str(data.get("name") or "").strip()[:50]
    if not out["name"]:
        errors["name"] = [_("the name is missing")]
    _clean_identity(data, out, errors)
    out["address"] = str(data.get("address") or "").strip()[:200]
    if not out["address"]:
        errors["address"] = [_("give the address in the other city")]
    for field, choices in (("reason", Reason), ("ask", Ask)):
        out[field] = str(data.get(field) or "")
        if out[field] not in choices.values:
            errors[field] = [_("choose one")]
    out["exposure"] = str(data.get("exposure") or "").strip()[:300]
    out["exposure_date"] = _exposure_date(data.get("exposure_date") or None, errors)
    out["deadline"] = _deadline(data.get("deadline") or None, errors)
    out["contact"] = str(data.get("contact") or "").strip()[:100]
    if errors:
        raise ValidationError(errors)
    return out


def _clean_identity(data: dict[str, Any], out: dict[str, Any], errors: dict) -> None:
    """The resident ID (with the birth date and sex it carries) and the mobile phone;
    one of the two is needed."""
    id_text = str(data.get("id_number") or "").strip()
    out["id_number"], out["birth_date"], out["sex"] = "", data.get("birth_date") or None, ""
    if id_text:
        try:
            rid = identity.parse_resident_id(id_text, clock.today())
            out["id_number"], out["birth_date"], out["sex"] = rid.number, rid.birth_date, rid.sex
        except identity.IdentityError as exc:
            errors["id_number"] = [str(exc)]
    phone_text = str(data.get("phone") or "").strip()
    out["phone"] = ""
    if phone_text:
        try:
            out["phone"] = identity.parse_mobile(phone_text)
        except identity.IdentityError as exc:
            errors["phone"] = [str(exc)]
    if not id_text and not phone_text:
        errors["id_number"] = [_("give a resident ID or a mobile phone")]


def _exposure_date(value: Any, errors: dict) -> dt.date | None:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            errors["exposure_date"] = [_("not a date (YYYY-MM-DD)")]
            value = None
    if value and value > clock.today():
        errors["exposure_date"] = [_("the date lies in the future")]
    return value


def _deadline(value: Any, errors: dict) -> dt.datetime | None:
    """The answer deadline given (a day means 18:00 of it), else the rules' answer hours
    from now; never past."""
    if value not in (None, ""):
        try:  # a time without an offset is Shaoxing's, not UTC
            value = readings.moment(value, day_at=dt.time(18, 0))
        except readings.NotANumber:
            errors["deadline"] = [_("not a date and time (ISO 8601)")]
            value = None
    else:
        value = None
    if value is None and "deadline" not in errors:
        hours = ExchangeRules.in_force(clock.today()).answer_hours
        value = clock.now() + dt.timedelta(hours=hours)
    if value is not None and value <= clock.now():
        errors["deadline"] = [_("the deadline has passed already")]
    return value


def new_request(
    user: Any,
    partner: Partner,
    data: dict[str, Any],
    person: Any = None,
    contact_id: int | None = None,
) -> HandoverRequest:
    """Put a person living in another city in an outgoing request to that city."""
    require(user, "add", HandoverRequest, message=_("your role may not hand persons over"))
    if user.node is None:
        raise NotAllowed(_("your account is bound to no node"))
    if not partner.active:
        raise invalid("partner", _("this partner is not active"))
    clean = _clean_request(data)
    residence = str(data.get("residence_code") or partner.code).strip()
    if not (
        residence.isascii()
        and residence.isdigit()
        and len(residence) in (6, 9, 12)
        and residence[:4] == partner.code[:4]
    ):
        raise invalid("residence_code", _("the address code lies outside that city"))
    sent_at = clock.now()
    body = {
        **{k: clean[k] for k in ("name", "sex", "id_number", "phone", "address", "reason")},
        "birth_date": clean["birth_date"].isoformat() if clean["birth_date"] else "",
        "residence_code": residence,
        "exposure_date": clean["exposure_date"].isoformat() if clean["exposure_date"] else "",
        "exposure": clean["exposure"],
        "ask": clean["ask"],
        "deadline": clean["deadline"].isoformat(),
        "contact": clean["contact"],
    }
    msg = schema.message(Kind.REQUEST, own_code(), partner.code, body, sent_at)
    with transaction.atomic():
        req = HandoverRequest(
            message_id=uuid.UUID(msg["id"]),
            direction=Direction.OUT,
            partner=partner,
            name=clean["name"],
            sex=clean["sex"],
            birth_date=clean["birth_date"],
            address=clean["address"],
            residence_code=residence,
            reason=clean["reason"],
            exposure_date=clean["exposure_date"],
            exposure=clean["exposure"],
            ask=clean["ask"],
            deadline=clean["deadline"],
            state=State.WAITING,
            sender_contact=clean["contact"],
            person=person,
            contact_id=contact_id,
            node=user.node,
            path=user.node.path,
            created_by=user,
        )
        _store_protected(req, clean["id_number"], clean["phone"])
        req.save()
        _outbox(req, msg["id"], Kind.REQUEST, msg)
    return req


def _outbox(req: HandoverRequest, message_id: str, kind: str, message: dict) -> Message:
    return Message.objects.create(
        message_id=uuid.UUID(message_id),
        direction=Direction.OUT,
        kind=kind,
        partner=req.partner,
        request=req,
        envelope_enc=crypto.encrypt(json.dumps(message, ensure_ascii=False), "exchange.envelope"),
    )


def _envelope(message: Message) -> dict:
    """The stored message signed now: `sent_at` is the time it leaves, so a message that
    waited in the outbox (partner unreachable) is not refused as stale; its id, which
    refuses a replay, does not change."""
    if message.envelope_enc is None:
        raise ValueError(f"message {message.message_id} was delivered already")
    stored = json.loads(crypto.decrypt(bytes(message.envelope_enc), "exchange.envelope"))
    msg = stored.get("message", stored)
    return signing.sign({**msg, "sent_at": clock.now().isoformat()})


def _delivered(messages: list[Message], channel: str) -> None:
    now = clock.now()
    ids = [m.pk for m in messages]
    Message.objects.filter(pk__in=ids).update(
        delivered_at=now, channel=channel, error="", envelope_enc=None
    )
    HandoverRequest.objects.filter(
        messages__pk__in=ids, direction=Direction.OUT, state=State.WAITING
    ).update(state=State.OPEN, channel=channel, updated_at=now)


def post(url: str, payload: bytes, timeout: float = 30.0) -> dict:
    req = urllib.request.Request(
        url.rstrip("/") + "/exchange/inbox/",
        data=payload,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (http(s) only)
        return json.loads(resp.read().decode())


def deliver(partner: Partner | None = None, batch: int = BATCH) -> dict[str, int]:
    """Post the waiting messages to every partner with an endpoint; a message refused or
    not reached stays waiting with its error, for the next run."""
    partners = [partner] if partner else list(Partner.objects.filter(active=True).exclude(url=""))
    counts = {"delivered": 0, "refused": 0, "failed": 0}
    for p in partners:
        if not p.url:
            continue
        last_pk = 0
        while True:
            pending = list(
                Message.objects.filter(
                    partner=p, direction=Direction.OUT, delivered_at__isnull=True, pk__gt=last_pk
                ).order_by("pk")[:batch]
            )
            if not pending:
                break
            last_pk = pending[-1].pk
            payload = schema.to_json([_envelope(m) for m in pending])
            try:
                result = post(p.url, payload)
            except (urllib.error.URLError, OSError, ValueError) as exc:
                Message.objects.filter(pk__in=[m.pk for m in pending]).update(error=str(exc)[:200])
                counts["failed"] += len(pending)
                log.warning("exchange: partner %s not reached (%s)", p.code, exc)
                break
            accepted = set(result.get("accepted", []))
            refused = {r.get("id"): r.get("reason", "") for r in result.get("refused", [])}
            ok = [m for m in pending if str(m.message_id) in accepted]
            _delivered(ok, Channel.HTTP)
            for m in pending:
                if str(m.message_id) in refused:
                    Message.objects.filter(pk=m.pk).update(
                        error=str(refused[str(m.message_id)])[:200]
                    )
            counts["delivered"] += len(ok)
            counts["refused"] += len(pending) - len(ok)
    return counts


def export_file(user: Any, partner: Partner, fmt: str, request: Any = None) -> tuple[bytes, int]:
    """The waiting messages to a partner as a signed file (JSON or XLSX); they count as
    delivered by file. Returns (content, number of messages)."""
    require(user, "export", HandoverRequest, message=_("your role may not export hand-over files"))
    if fmt not in ("json", "xlsx"):
        raise invalid("format", _("json or xlsx"))
    pending = list(
        Message.objects.filter(
            partner=partner,
            direction=Direction.OUT,
            delivered_at__isnull=True,
            request__path__startswith=user.node.path if user.node else "-",
        ).order_by("pk")[: schema.MAX_MESSAGES]
    )
    envelopes = [_envelope(m) for m in pending]
    content = schema.to_xlsx(envelopes) if fmt == "xlsx" else schema.to_json(envelopes)
    with transaction.atomic():
        _delivered(pending, Channel.FILE)
        audit.record_export(
            user, "exchange.handoverrequest", {"partner": partner.code}, len(pending), request
        )
    return content, len(pending)


# --- receiving: see receiving.py ---------------------------------------------------


def receive(envelopes: list[Any], channel: str, remote_addr: str = "") -> dict[str, list]:
    from fangkong.exchange import receiving

    return receiving.receive(envelopes, channel, remote_addr)


def import_file(user: Any, data: bytes, file_name: str, request: Any = None) -> dict[str, list]:
    from fangkong.exchange import receiving

    return receiving.import_file(user, data, file_name, request)


# --- answering ------------------------------------------------------------------------


def answer(user: Any, req: HandoverRequest, answer_value: str, note: str = "") -> HandoverRequest:
    """The receiving city's answer; it travels back to the sender and closes the loop."""
    require(user, "answer", req, message=_("this request is not in your area"))
    if req.direction != Direction.IN:
        raise invalid("answer", _("only a received request is answered here"))
    if req.state == State.ANSWERED:
        raise invalid("answer", _("already answered"))
    if answer_value not in Answer.values:
        raise invalid("answer", _("choose an answer"))
    note = (note or "").strip()
    if len(note) > 300:
        raise invalid("note", _("at most 300 characters"))
    now = clock.now()
    body = {
        "request": str(req.message_id),
        "answer": answer_value,
        "note": note,
        "answered_at": now.isoformat(),
    }
    msg = schema.message(Kind.ANSWER, own_code(), req.partner.code, body, now)
    with transaction.atomic():
        req = HandoverRequest.objects.select_for_update().get(pk=req.pk)
        if req.state == State.ANSWERED:
            raise invalid("answer", _("already answered"))
        req.answer, req.answer_note, req.answered_at, req.answered_by = (
            answer_value,
            note,
            now,
            user,
        )
        req.state = State.ANSWERED
        req.save(
            update_fields=[
                "answer",
                "answer_note",
                "answered_at",
                "answered_by",
                "state",
                "updated_at",
            ]
        )
        _outbox(req, msg["id"], Kind.ANSWER, msg)
    return req


def reveal(user: Any, req: HandoverRequest, field: str, request: Any = None) -> str:
    if field not in ("id_number", "phone"):
        raise invalid("field", _("unknown field"))
    require(user, "reveal", req, message=_("your role may not see full numbers"))
    audit.record_access(user, req, f"reveal:{field}", request)
    return req.reveal(field)
