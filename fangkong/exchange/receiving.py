"""Receiving signed messages from partner cities (协查来函与反馈).

Each envelope is checked in turn (shape, partner, addressee, signature, schema, age, replay;
for a request, the province and the person's ID and phone); a bad one is refused, logged
and nothing is stored. Accepted requests of a batch go through the screening import
pipeline into the screening queue; an accepted answer closes our request."""

import datetime as dt
import logging
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fangkong.core import audit, clock, crypto
from fangkong.core.access import invalid, require
from fangkong.exchange import schema, signing
from fangkong.exchange.actions import _store_protected, own_code, root
from fangkong.exchange.choices import Channel, Direction, Kind, Reason, State
from fangkong.exchange.models import ExchangeRules, HandoverRequest, Message, Partner, Refusal
from fangkong.people import identity

log = logging.getLogger(__name__)
FUTURE_SKEW = dt.timedelta(minutes=5)


class Refused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _check_envelope(
    env: Any,
    channel: str,
    partners: dict[str, Partner],
    seen: set,
    rules: ExchangeRules,
    us: str,
) -> tuple[Partner, dict]:
    if not isinstance(env, dict) or not isinstance(env.get("message"), dict):
        raise Refused("envelope: not a signed message")
    msg = env["message"]
    partner = partners.get(str(msg.get("from", "")))
    if partner is None:
        raise Refused("unknown partner")
    if msg.get("to") != us:
        raise Refused("addressed to another city")
    if not signing.verify(env, partner.public_key):
        raise Refused("bad signature")
    try:
        schema.check(msg)
    except schema.SchemaError as exc:
        raise Refused(f"schema: {exc.field}: {exc.reason}") from None
    sent_at = schema.parse_time(msg["sent_at"], "sent_at")
    max_age = (
        dt.timedelta(minutes=rules.http_max_age_minutes)
        if channel == Channel.HTTP
        else dt.timedelta(days=rules.file_max_age_days)
    )
    now = clock.now()
    if sent_at > now + FUTURE_SKEW or sent_at < now - max_age:
        raise Refused("timestamp outside the accepted window")
    key = (partner.pk, msg["id"])
    if (
        key in seen
        or Message.objects.filter(
            partner=partner, direction=Direction.IN, message_id=msg["id"]
        ).exists()
    ):
        raise Refused("replayed message id")
    seen.add(key)
    return partner, msg


def _check_request_body(body: dict, us: str) -> None:
    if body["residence_code"][:2] != us[:2]:
        raise Refused("the person lives outside the receiver's province")
    from fangkong.screening import rules as screening_rules

    try:
        screening_rules.clean_row(
            {
                "name": body["name"],
                "id_number": body["id_number"],
                "phone": body["phone"],
                "address": body["address"],
            },
            clock.today(),
        )
    except screening_rules.RowError as exc:
        raise Refused(f"{exc.field}: {exc.reason}") from None


def receive(envelopes: list[Any], channel: str, remote_addr: str = "") -> dict[str, list]:
    """Check and store incoming messages; a bad one is refused, logged, not stored.
    Returns {"accepted": [ids], "refused": [{"id", "reason"}]}."""
    rules = ExchangeRules.in_force(clock.today())
    partners = {p.code: p for p in Partner.objects.filter(active=True)}
    us = own_code()
    seen: set = set()
    accepted_requests: list[tuple[Partner, dict]] = []
    accepted_answers: list[tuple[Partner, dict, HandoverRequest]] = []
    refused: list[dict] = []
    for env in envelopes:
        msg = env.get("message") if isinstance(env, dict) else None
        claimed = msg if isinstance(msg, dict) else {}
        try:
            partner, msg = _check_envelope(env, channel, partners, seen, rules, us)
            if msg["kind"] == Kind.REQUEST:
                _check_request_body(msg["body"], us)
                accepted_requests.append((partner, msg))
            else:
                original = HandoverRequest.objects.filter(
                    partner=partner, direction=Direction.OUT, message_id=msg["body"]["request"]
                ).first()
                if original is None:
                    raise Refused("answer to an unknown request")
                accepted_answers.append((partner, msg, original))
        except Refused as exc:
            _refuse(claimed, channel, exc.reason, remote_addr)
            refused.append({"id": str(claimed.get("id", ""))[:40], "reason": exc.reason})
    try:
        with transaction.atomic():
            if accepted_requests:
                _take_requests(accepted_requests, channel)
            for partner, msg, original in accepted_answers:
                _take_answer(partner, msg, original, channel)
    except IntegrityError:
        # The same message delivered twice at once: the database's unique message id let
        # one through; this batch stored nothing and the sender retries it.
        for _p, m in accepted_requests:
            _refuse(m, channel, "replayed message id", remote_addr)
        for _p, m, _o in accepted_answers:
            _refuse(m, channel, "replayed message id", remote_addr)
        ids = [m["id"] for _p, m in accepted_requests] + [m["id"] for _p, m, _o in accepted_answers]
        return {
            "accepted": [],
            "refused": refused + [{"id": i, "reason": "replayed message id"} for i in ids],
        }
    accepted = [m["id"] for _p, m in accepted_requests] + [
        m["id"] for _p, m, _o in accepted_answers
    ]
    return {"accepted": accepted, "refused": refused}


def _printable(value: object, limit: int) -> str:
    """A claimed value for the log: printable characters only, bounded."""
    return "".join(c for c in str(value) if c.isprintable())[:limit]


def _refuse(claimed: dict, channel: str, reason: str, remote_addr: str) -> None:
    claimed = {
        "id": _printable(claimed.get("id", ""), 40),
        "from": _printable(claimed.get("from", ""), 12),
    }
    log.warning(
        "exchange: refused message %s from %s over %s: %s",
        str(claimed.get("id", ""))[:40],
        str(claimed.get("from", ""))[:12],
        channel,
        reason,
    )
    Refusal.objects.create(
        claimed_sender=str(claimed.get("from", ""))[:12],
        message_id=str(claimed.get("id", ""))[:40],
        channel=channel,
        reason=reason[:200],
        remote_addr=(remote_addr or "")[:45],
        path=root().path,
    )


def _exchange_list(partner: Partner) -> Any:
    """Today's pushed list of requests from a partner (the screening pipeline's input)."""
    from fangkong.screening.choices import ListStatus, SourceKind
    from fangkong.screening.models import ListSource, PushedList

    top = root()
    source, _c = ListSource.objects.get_or_create(
        node=top,
        name=(_("Hand-over from %s") % partner.name)[:80],
        defaults={"kind": SourceKind.OTHER},
    )
    today = clock.today()
    pushed, _c = PushedList.objects.get_or_create(
        sha256=f"exchange:{partner.code}:{today.isoformat()}",
        defaults={
            "source": source,
            "file_name": (_("Hand-over requests %s") % today.isoformat())[:200],
            "node": top,
            "status": ListStatus.DONE,
        },
    )
    return PushedList.objects.select_for_update().get(pk=pushed.pk)


def _take_requests(items: list[tuple[Partner, dict]], channel: str) -> None:
    from fangkong.people.models import Person
    from fangkong.screening.importing import Pipeline
    from fangkong.screening.models import ScreeningSubject

    top = root()
    by_partner: dict[int, list[tuple[Partner, dict]]] = {}
    for partner, msg in items:
        by_partner.setdefault(partner.pk, []).append((partner, msg))
    for group in by_partner.values():
        partner = group[0][0]
        pushed = _exchange_list(partner)
        start = (pushed.counts or {}).get("total", 0)
        pipeline = Pipeline(pushed)
        rows = []
        for n, (_p, msg) in enumerate(group, start=start + 1):
            b = msg["body"]
            rows.append(
                (
                    n,
                    {
                        "name": b["name"],
                        "id_number": b["id_number"],
                        "phone": b["phone"],
                        "address": b["address"],
                        "origin": partner.name,
                        "arrival_date": b["exposure_date"] if b["reason"] == Reason.ARRIVAL else "",
                        "arrival_time": "",
                        "transport": "",
                        "transport_no": "",
                    },
                )
            )
        outcomes = pipeline.batch(rows)
        pipeline.add_counts()
        for (_p, msg), outcome in zip(group, outcomes, strict=True):
            b = msg["body"]
            subject = outcome.row.subject if outcome.row is not None else None
            if subject is None:
                # A row the pipeline had seen already: the person's existing subject.
                person = None
                if b["id_number"]:
                    index = crypto.blind_index(
                        identity.normalise_id(b["id_number"]), "person.id_number"
                    )
                    person = Person.objects.filter(
                        id_number_index=index, merged_into__isnull=True
                    ).first()
                elif b["phone"]:
                    index = crypto.blind_index(b["phone"], "person.phone")
                    person = Person.objects.filter(
                        phone_index=index, merged_into__isnull=True, name=b["name"]
                    ).first()
                subject = ScreeningSubject.objects.filter(person=person).first() if person else None
            node = subject.node if subject is not None else top
            req = HandoverRequest(
                message_id=uuid.UUID(msg["id"]),
                direction=Direction.IN,
                partner=partner,
                channel=channel,
                name=b["name"],
                sex=b["sex"],
                birth_date=schema.parse_date(b["birth_date"], "birth_date"),
                address=b["address"],
                residence_code=b["residence_code"],
                reason=b["reason"],
                exposure_date=schema.parse_date(b["exposure_date"], "exposure_date"),
                exposure=b["exposure"],
                ask=b["ask"],
                deadline=schema.parse_time(b["deadline"], "deadline"),
                state=State.OPEN,
                sender_contact=b["contact"],
                person=subject.person if subject is not None else None,
                subject=subject,
                node=node,
                path=node.path,
            )
            _store_protected(
                req, identity.normalise_id(b["id_number"]) if b["id_number"] else "", b["phone"]
            )
            req.save()
            _received(partner, msg, Kind.REQUEST, req, channel)


def _received(
    partner: Partner, msg: dict, kind: str, request: HandoverRequest, channel: str
) -> None:
    """The log entry of a message taken in from `partner`."""
    Message.objects.create(
        message_id=uuid.UUID(msg["id"]),
        direction=Direction.IN,
        kind=kind,
        partner=partner,
        request=request,
        delivered_at=clock.now(),
        channel=channel,
    )


def _take_answer(partner: Partner, msg: dict, original: HandoverRequest, channel: str) -> None:
    b = msg["body"]
    _received(partner, msg, Kind.ANSWER, original, channel)
    original.answer, original.answer_note = b["answer"], b["note"]
    original.answered_at = schema.parse_time(b["answered_at"], "answered_at")
    original.state = State.ANSWERED
    original.save(update_fields=["answer", "answer_note", "answered_at", "state", "updated_at"])


def import_file(user: Any, data: bytes, file_name: str, request: Any = None) -> dict[str, list]:
    """Messages from a partner carried as a file (JSON or XLSX, same schema)."""
    require(user, "receive", HandoverRequest, message=_("your role may not import hand-over files"))
    try:
        envelopes = schema.from_file(data, file_name)
    except schema.SchemaError as exc:
        raise invalid("file", f"{exc.field}: {exc.reason}") from None
    result = receive(envelopes, Channel.FILE, audit.client_ip(request) or "")
    return result
