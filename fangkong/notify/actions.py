"""Every write of the notify app: create notices (stored first, with their deliveries),
deliver them (claim, send, store the answer, retry with back-off), read and act.

Recipients: an account (`user`), a role at a node (`node` + `role`; "" = every account
there), a person by phone (`person`; SMS only, the number from the encrypted field), or a
bare mobile number (`phone`; a one-time code asked for on a public form, stored encrypted
and masked). What must reach the gateway but never the record in clear (the code) is
`secret`, stored encrypted until the message is sent or has failed."""

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fangkong.core import clock, crypto
from fangkong.core.access import NotAllowed
from fangkong.core.querysets import is_system
from fangkong.notify import sms
from fangkong.notify.models import Channel, Delivery, Notice, NoticeRules, Preference
from fangkong.notify.rules import FIXED_RULES

log = logging.getLogger(__name__)

PREF_PHONE = "notify.preference.phone"
NOTICE_PHONE = "notify.notice.phone"
NOTICE_SECRET = "notify.notice.secret"
BATCH = 1000


@dataclass
class Spec:
    """A notice to create (see `notify_many`)."""

    kind: str
    key: str
    title: str
    body: str = ""
    link: str = ""
    user: Any = None
    node: Any = None
    node_id: int | None = None
    role: str = ""
    person: Any = None
    deadline: dt.datetime | None = None
    subject: str = ""
    subject_id: int | None = None
    template: str = ""
    params: dict = field(default_factory=dict)
    path: str = ""
    phone: str = ""  # a bare mobile number (normalised), the recipient of an SMS only
    # {"text": ..., "params": {...}}: what the gateway gets instead of the title and params
    secret: dict | None = None


# subject label ("app.model") -> function(subject_id) -> current owner account or None.
OWNERS: dict[str, Callable[[int], Any]] = {}
# notice kind -> function(user, notice) acting on its subject with one tap (acknowledge).
ACTS: dict[str, Callable[[Any, Notice], None]] = {}


def rules(day: dt.date | None = None) -> NoticeRules:
    return NoticeRules.in_force(day or clock.today())


def _path(spec: Spec) -> str:
    if spec.path:
        return spec.path
    if spec.user is not None and getattr(spec.user, "node", None) is not None:
        return str(spec.user.node.path)
    if spec.node is not None:
        return str(spec.node.path)
    if spec.person is not None:
        return str(spec.person.path)
    return ""


def notify(spec: Spec) -> Notice | None:
    """One notice (None when its key exists already)."""
    created = notify_many([spec])
    return created[0] if created else None


def notify_many(specs: Sequence[Spec], *, enqueue: bool = True) -> list[Notice]:
    """Store the notices whose key is new, with one delivery per channel of their rule,
    then enqueue the sending. Keys already stored are skipped (never twice)."""
    r = rules()
    now = clock.now()
    out: list[Notice] = []
    for start in range(0, len(specs), BATCH):
        chunk = {s.key: s for s in specs[start : start + BATCH]}
        existing = set(Notice.objects.filter(key__in=list(chunk)).values_list("key", flat=True))
        fresh = [s for k, s in chunk.items() if k not in existing]
        if not fresh:
            continue
        rows = [
            Notice(
                kind=s.kind,
                key=s.key,
                title=s.title[:200],
                body=s.body,
                link=s.link[:400],
                recipient_user=s.user,
                recipient_node_id=s.node_id or (s.node.pk if s.node is not None else None),
                recipient_role=s.role,
                recipient_person=s.person,
                deadline=s.deadline,
                subject=s.subject,
                subject_id=s.subject_id,
                template=s.template or s.kind,
                params=s.params,
                urgent=bool(r.rule(s.kind).get("urgent")),
                path=_path(s),
                created_at=now,
                recipient_phone_enc=crypto.encrypt(s.phone, NOTICE_PHONE) if s.phone else None,
                recipient_phone_masked=sms.mask(s.phone) if s.phone else "",
                secret_enc=(
                    crypto.encrypt(json.dumps(s.secret, ensure_ascii=False), NOTICE_SECRET)
                    if s.secret is not None
                    else None
                ),
            )
            for s in fresh
        ]
        try:
            with transaction.atomic():
                Notice.objects.bulk_create(rows)
                made = rows
                if any(n.pk is None for n in rows):  # a backend that returns no ids
                    made = list(Notice.objects.filter(key__in=[n.key for n in rows]))
        except IntegrityError:  # a concurrent run stored some of them first
            made = []
            for n in rows:
                try:
                    with transaction.atomic():
                        n.pk = None
                        n.save()
                    made.append(n)
                except IntegrityError:
                    continue
        ids = _create_deliveries(made, r, now)
        out.extend(made)
        if enqueue and ids:
            _enqueue(ids)
    return out


def send_phone_code(
    phone: str, text: str, *, key: str, params: dict[str, Any], expires_at: dt.datetime
) -> Delivery | None:
    """A one-time code (core.otp_codes, through core.sms): a notice to the bare number
    (stored encrypted and masked) whose title says what it is, the text and parameters
    encrypted until sent, delivered now — the visitor is waiting at the form. A failure
    is retried by the delivery sweep until the code expires."""
    with translation.override("zh-hans"):
        title = _("Verification code by SMS")
    made = notify_many(
        [
            Spec(
                kind="phone_code",
                key=key,
                title=title,
                phone=phone,
                deadline=expires_at,
                secret={"text": text, "params": params},
            )
        ],
        enqueue=False,
    )
    if not made:
        return None
    sms_delivery = Delivery.objects.filter(notice=made[0], channel=Channel.SMS).first()
    if sms_delivery is not None:
        deliver_batch([sms_delivery.pk])
        sms_delivery.refresh_from_db()
    return sms_delivery


def _prefs(user_ids: Iterable[int]) -> dict[int, Preference]:
    return {p.user_id: p for p in Preference.objects.filter(user_id__in=set(user_ids))}


def _create_deliveries(notices: list[Notice], r: NoticeRules, now: dt.datetime) -> list[int]:
    prefs = _prefs(n.recipient_user_id for n in notices if n.recipient_user_id)
    rows: list[Delivery] = []
    local = timezone.localtime(now).time()
    for n in notices:
        channels = r.rule(n.kind)["channels"]
        pref = prefs.get(n.recipient_user_id) if n.recipient_user_id else None
        by_phone = bool(n.recipient_person_id or n.recipient_phone_enc)
        for ch in channels:
            d = Delivery(notice=n, channel=ch, path=n.path)
            if ch == Channel.INBOX:
                if by_phone:
                    continue  # a person or a bare number has no account: SMS only
                d.status, d.sent_at, d.answer = Delivery.Status.SENT, now, "in the inbox"
            elif ch == Channel.EMAIL and by_phone:
                continue
            elif pref is not None and not getattr(pref, ch):
                d.status, d.answer = Delivery.Status.SKIPPED, _("declined in preferences")
            elif pref is not None and not n.urgent and pref.quiet_at(local):
                d.next_attempt_at = _quiet_end(pref, now)
            rows.append(d)
    # the notices are new (their keys were free), so are their deliveries
    Delivery.objects.bulk_create(rows)
    if any(d.pk is None for d in rows):
        return list(
            Delivery.objects.filter(
                notice__in=[n.pk for n in notices], status=Delivery.Status.PENDING
            ).values_list("pk", flat=True)
        )
    return [d.pk for d in rows if d.status == Delivery.Status.PENDING]


def _quiet_end(pref: Preference, now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    until = pref.quiet_end or dt.time(0)
    end = local.replace(hour=until.hour, minute=until.minute, second=0, microsecond=0)
    return end if end > local else end + dt.timedelta(days=1)


def _enqueue(ids: list[int]) -> None:
    from fangkong.notify.tasks import deliver_batch

    def go() -> None:
        for start in range(0, len(ids), 500):
            deliver_batch.enqueue(ids[start : start + 500])

    transaction.on_commit(go)


# ---------------------------------------------------------------- delivery


def _follow_owner(notice: Notice) -> None:
    """A notice about a task follows the task's current owner: an account (reassigned,
    moved to another jurisdiction) or a node (a visit moved to another grid)."""
    from fangkong.geo.models import Division

    resolve = OWNERS.get(notice.subject)
    if resolve is None or notice.subject_id is None:
        return
    owner = resolve(notice.subject_id)
    if owner is None:
        return
    if isinstance(owner, Division):
        if notice.recipient_user_id or owner.pk == notice.recipient_node_id:
            return
        notice.recipient_node, notice.path = owner, owner.path
        fields = ["recipient_node", "path"]
    else:
        if notice.recipient_user_id is None or owner.pk == notice.recipient_user_id:
            return
        notice.recipient_user = owner
        notice.path = owner.node.path if owner.node_id else notice.path
        fields = ["recipient_user", "path"]
    notice.save(update_fields=fields)
    Delivery.objects.filter(notice=notice).update(path=notice.path)


def _accounts_at(node_ids: Iterable[int]) -> dict[int, list[Any]]:
    from fangkong.accounts.models import User

    out: dict[int, list[Any]] = {}
    for u in User.objects.filter(node_id__in=set(node_ids), is_active=True):
        out.setdefault(u.node_id, []).append(u)
    return out


def _phones(
    notice: Notice, prefs: dict[int, Preference], at_node: dict[int, list[Any]]
) -> list[tuple[str, str]]:
    """(suffix, phone) pairs from the encrypted fields; [] when nobody has a number."""
    if notice.recipient_phone_enc:
        return [("", crypto.decrypt(bytes(notice.recipient_phone_enc), NOTICE_PHONE))]
    p = notice.recipient_person
    if p is not None:
        return [("", p.reveal("phone"))] if p.phone_enc else []
    users: list[Any]
    if notice.recipient_user is not None:
        users = [notice.recipient_user]
    else:
        users = [
            u
            for u in at_node.get(notice.recipient_node_id or 0, [])
            if not notice.recipient_role or u.role == notice.recipient_role
        ]
    out = []
    for u in users:
        pref = prefs.get(u.pk)
        if pref is not None and pref.sms and pref.phone_enc:
            out.append((f":{u.pk}", crypto.decrypt(bytes(pref.phone_enc), PREF_PHONE)))
    return out


def _text(notice: Notice) -> str:
    text = notice.title
    if notice.link:
        text += " " + absolute(notice.link)
    return text


def absolute(link: str) -> str:
    if link.startswith("http"):
        return link
    return getattr(settings, "FANGKONG_SITE_URL", "http://127.0.0.1:8000").rstrip("/") + link


def _send(
    d: Delivery, prefs: dict[int, Preference], at_node: dict[int, list[Any]], backend: Any
) -> sms.Answer:
    n = d.notice
    if d.channel == Channel.SMS:
        phones = _phones(n, prefs, at_node)
        if not phones:
            return sms.Answer(False, _("no mobile number: in-app only"), retry=False)
        text, params, secret = _text(n), n.params, False
        if n.secret_enc:
            if n.deadline is not None and n.deadline <= clock.now():
                return sms.Answer(False, _("expired before it could be sent"), retry=False)
            payload = json.loads(crypto.decrypt(bytes(n.secret_enc), NOTICE_SECRET))
            text, params, secret = payload["text"], payload.get("params", {}), True
        elif n.kind in FIXED_RULES:  # a code whose secret was erased is never re-sent
            return sms.Answer(False, _("its content was erased"), retry=False)
        answers = [
            backend.send(
                sms.SmsMessage(f"{n.key}{suffix}", phone, n.template, params, text, secret)
            )
            for suffix, phone in phones
        ]
        bad = [a for a in answers if not a.ok]
        if bad:
            return sms.Answer(False, bad[0].detail, retry=all(a.retry for a in bad))
        return sms.Answer(True, answers[0].detail if len(answers) == 1 else f"{len(answers)} sent")
    if d.channel == Channel.EMAIL:
        u = n.recipient_user
        to = [u.email] if u is not None and u.email else []
        if not to:
            return sms.Answer(False, _("no email address"), retry=False)
        try:
            send_mail(n.title, f"{n.body}\n\n{absolute(n.link)}".strip(), None, to)
        except OSError as exc:
            return sms.Answer(False, f"mail: {exc}")
        return sms.Answer(True, "mailed")
    return sms.Answer(True, "in the inbox")


def deliver_batch(ids: Sequence[int], now: dt.datetime | None = None) -> dict[str, int]:
    """Claim the due pending deliveries among `ids` (one UPDATE: a retried or concurrent
    task finds them claimed), send each, store the answer; a failure is retried later
    with back-off until the rule's attempts are spent, then marked failed."""
    now = now or clock.now()
    r = rules()
    claimed = Delivery.objects.filter(pk__in=list(ids), status=Delivery.Status.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    claim_ids = list(claimed.values_list("pk", flat=True))
    n = Delivery.objects.filter(pk__in=claim_ids, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=now
    )
    counts = {"sent": 0, "failed": 0, "retry": 0}
    if not n:
        return counts
    rows = list(
        Delivery.objects.filter(
            pk__in=claim_ids, status=Delivery.Status.SENDING, next_attempt_at=now
        ).select_related(
            "notice",
            "notice__recipient_user",
            "notice__recipient_user__node",
            "notice__recipient_person",
        )
    )
    for d in rows:
        _follow_owner(d.notice)
    sms_rows = [d for d in rows if d.channel == Channel.SMS]
    at_node = _accounts_at(
        d.notice.recipient_node_id
        for d in sms_rows
        if d.notice.recipient_node_id and not d.notice.recipient_user_id
    )
    prefs = _prefs(
        [d.notice.recipient_user_id for d in rows if d.notice.recipient_user_id]
        + [u.pk for users in at_node.values() for u in users]
    )
    backend = sms.backend()
    if hasattr(backend, "batch"):
        backend.batch()
    sent_at = clock.now()
    for d in rows:
        try:
            answer = _send(d, prefs, at_node, backend)
        except Exception as exc:  # a backend bug must not lose the notice
            log.exception("delivery %s failed", d.pk)
            answer = sms.Answer(False, f"{type(exc).__name__}: {exc}")
        d.answer = answer.detail[:300]
        if answer.ok:
            d.status, d.sent_at, d.next_attempt_at = Delivery.Status.SENT, sent_at, None
            counts["sent"] += 1
        elif not answer.retry or d.attempts >= r.max_attempts:
            d.status, d.next_attempt_at = Delivery.Status.FAILED, None
            counts["failed"] += 1
        else:
            d.status = Delivery.Status.PENDING
            d.next_attempt_at = now + dt.timedelta(seconds=r.retry_seconds * 2 ** (d.attempts - 1))
            counts["retry"] += 1
    if hasattr(backend, "flush"):
        backend.flush()  # an error here leaves the rows 'sending': retried, key-deduplicated
    # one UPDATE per distinct outcome (a batch has a handful), not a CASE per row
    groups: dict[tuple, list[int]] = {}
    for d in rows:
        groups.setdefault((d.status, d.sent_at, d.answer, d.next_attempt_at), []).append(d.pk)
    for (status, sent_at, answer, next_at), pks in groups.items():
        Delivery.objects.filter(pk__in=pks).update(
            status=status, sent_at=sent_at, answer=answer, next_attempt_at=next_at
        )
    # a secret (a one-time code) is kept only while a retry may still need it
    done = [
        d.notice_id
        for d in rows
        if d.notice.secret_enc is not None and d.status != Delivery.Status.PENDING
    ]
    if done:
        Notice.objects.filter(pk__in=done).update(secret_enc=None)
    return counts


def follow_owners(now: dt.datetime | None = None) -> int:
    """Open notices about a task (unread, not acted on, deadline not passed) move to the
    task's current owner, so the inbox of the new owner shows them. Returns how many."""
    now = now or clock.now()
    moved = 0
    open_ = (
        Notice.objects.filter(subject__in=list(OWNERS), read_at__isnull=True, acted_at__isnull=True)
        .filter(Q(deadline__isnull=True) | Q(deadline__gte=now))
        .select_related("recipient_user__node")
    )
    for n in open_.iterator(chunk_size=1000):
        before = (n.recipient_user_id, n.recipient_node_id)
        _follow_owner(n)
        moved += (n.recipient_user_id, n.recipient_node_id) != before
    return moved


def deliver_due(now: dt.datetime | None = None) -> dict[str, int]:
    """The retry sweep: every pending delivery whose time has come (after back-off or
    quiet hours); a delivery left 'sending' by a worker that died is pending again."""
    now = now or clock.now()
    Delivery.objects.filter(
        status=Delivery.Status.SENDING, next_attempt_at__lt=now - dt.timedelta(minutes=10)
    ).update(status=Delivery.Status.PENDING)
    total = {"sent": 0, "failed": 0, "retry": 0}
    ids = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .values_list("pk", flat=True)[:20000]
    )
    for start in range(0, len(ids), 500):
        for k, v in deliver_batch(ids[start : start + 500], now).items():
            total[k] += v
    return total


# ---------------------------------------------------------------- inbox


def mark_read(user: Any, notices: Any, read: bool = True) -> int:
    qs = Notice.objects.for_user(user).filter(pk__in=[n.pk for n in notices])
    return qs.update(read_at=clock.now() if read else None)


def act(user: Any, notice: Notice) -> Notice:
    """The one-tap action of a notice (acknowledge a directive)."""
    from django.core.exceptions import ValidationError

    handler = ACTS.get(notice.kind)
    if handler is None:
        raise ValidationError({"notice": _("this notice has no action")})
    with transaction.atomic():
        handler(user, notice)
        now = clock.now()
        Notice.objects.filter(pk=notice.pk).update(acted_at=now)
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=now)
    notice.refresh_from_db()
    return notice


@transaction.atomic
def save_preferences(user: Any, data: dict[str, Any]) -> Preference:
    """Channels, quiet hours, mobile number (stored encrypted, shown masked)."""
    from django.core.exceptions import ValidationError

    from fangkong.people import identity
    from fangkong.people import rules as people_rules

    pref, _created = Preference.objects.get_or_create(user=user)
    for name in ("sms", "email"):
        if name in data:
            setattr(pref, name, bool(data[name]))
    for name in ("quiet_start", "quiet_end"):
        if name in data:
            value = data[name]
            if value in ("", None):
                setattr(pref, name, None)
                continue
            if isinstance(value, str):
                try:
                    value = dt.time.fromisoformat(value)
                except ValueError:
                    raise ValidationError({name: _("a time of day like 22:00")}) from None
            setattr(pref, name, value)
    if (pref.quiet_start is None) != (pref.quiet_end is None):
        raise ValidationError({"quiet_end": _("give both ends of the quiet hours, or neither")})
    phone = data.get("phone")
    if phone:
        try:
            phone = identity.parse_mobile(phone)
        except identity.IdentityError as exc:
            raise ValidationError({"phone": str(exc)}) from exc
        pref.phone_enc = crypto.encrypt(phone, PREF_PHONE)
        pref.phone_masked = people_rules.mask_phone(phone)
    elif phone == "":
        pref.phone_enc, pref.phone_masked = None, ""
    pref.save()
    return pref


@transaction.atomic
def add_rules(user: Any, data: dict[str, Any], rules_by_kind: dict[str, Any]) -> NoticeRules:
    """A dated notice rule set (city headquarters); earlier sets stay as history."""
    from fangkong.notify.rules import DEFAULT_RULES, validate_rules

    if not (is_system(user) or user.role in ("city_hq", "sysadmin")):
        raise NotAllowed(_("only city headquarters may change the notice rules"))
    clean = validate_rules(rules_by_kind)
    return NoticeRules.draft(data.get("effective_from")).save_by(
        user,
        note=str(data.get("note") or "")[:200],
        rules={k: {**v, **clean.get(k, {})} for k, v in DEFAULT_RULES.items()},
        max_attempts=data.get("max_attempts") or 5,
        retry_seconds=data.get("retry_seconds") or 60,
    )
