"""Offline work: the key a phone encrypts its store with, today's work for the phone,
and the sync that accepts what the phone recorded without a signal, each item once."""

import base64
import datetime as dt
import os
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.core import clock, readings
from fangkong.core.access import bounded, invalid, require
from fangkong.core.querysets import can_access
from fangkong.geo.choices import Level
from fangkong.offline.models import (
    DeviceStatus,
    Kind,
    OfflineRules,
    OrphanVisit,
    Result,
    SyncReceipt,
)
from fangkong.people import actions as people_actions

SESSION_KEY = "offline_key"
SESSION_EXPIRES = "offline_key_expires"
CLOCK_SKEW = dt.timedelta(minutes=5)


class Refused(Exception):
    """An item that cannot be accepted: the field at fault and why, in words."""

    def __init__(self, field: str, message: str):
        self.field, self.message = field, message
        super().__init__(message)


def rules(day: dt.date | None = None) -> OfflineRules:
    return OfflineRules.in_force(day or clock.today())


LIMITS = {
    "key_hours": (1, 72),
    "max_batch": (10, 1000),
    "max_waiting": (10, 5000),
    "max_item_age_days": (1, 30),
}


def add_rules(user: Any, *, effective_from: dt.date, note: str = "", **values: int) -> OfflineRules:
    """City headquarters add a dated offline rule set; one already in force is never
    rewritten."""
    require(user, "add", OfflineRules, message=_("your role may not change the offline rules"))
    rules = OfflineRules.draft(effective_from, from_today=True)
    chosen = bounded(values, LIMITS)
    if effective_from > clock.today() and not OfflineRules.objects.exists():
        # Until then the published defaults stay in force: store them, or the first set
        # would also govern the days before it.
        OfflineRules.in_force_stored(clock.today())
    return rules.save_by(user, note=note.strip()[:200], **chosen)


def _node_path(user: Any) -> str:
    node = getattr(user, "node", None)
    return node.path if node is not None else ""


# ---------------------------------------------------------------- the phone's key


def session_key(session: Any) -> dict[str, str]:
    """The key (AES-256, base64) a phone encrypts its offline store with: one per signed-in
    session, gone with the session on sign-out, and renewed after the rule set's hours —
    the phone wipes what an expired key encrypted."""
    now = clock.now()
    expires = session.get(SESSION_EXPIRES)
    if not session.get(SESSION_KEY) or not expires or dt.datetime.fromisoformat(expires) <= now:
        session[SESSION_KEY] = base64.b64encode(os.urandom(32)).decode()
        session[SESSION_EXPIRES] = (now + dt.timedelta(hours=rules().key_hours)).isoformat()
    return {"key": session[SESSION_KEY], "expires_at": session[SESSION_EXPIRES]}


# ---------------------------------------------------------------- today's work


FRONT_LINE = {Level.VILLAGE, Level.GRID}  # levels whose workers call their own residents


def today_bundle(user: Any, request: Any = None) -> dict[str, Any]:
    """What the phone keeps for a day without a signal: the worker's open visits and
    missed check-ins, with masked IDs; a phone number only where the worker must call
    (a missed check-in) and may reveal it — each such number is an audited reveal. Only
    roles that work offline get it (`offline.syncreceipt` add)."""
    require(user, "add", SyncReceipt)
    from fangkong.observation.models import AlertTask
    from fangkong.screening.models import ScreeningTask

    tasks = (
        ScreeningTask.objects.restrict(user, "visit").for_today().select_related("subject", "node")
    )
    visits = [
        {
            "id": t.pk,
            "name": t.subject.name,
            "id_masked": t.subject.id_masked,
            "address": t.subject.address,
            "origin": t.subject.origin,
            "arrival_at": timezone.localtime(t.subject.arrival_at).isoformat()
            if t.subject.arrival_at
            else None,
            "node": t.node.name,
            "key_area": t.key_area,
            "due_at": timezone.localtime(t.due_at).isoformat(),
            "version": t.version,
        }
        for t in tasks
    ]
    followups = []
    alerts = (
        AlertTask.objects.restrict(user, "change")
        .filter(status="open")
        .select_related("period__person")
        .order_by("local_date", "window", "pk")
    )
    front_line = getattr(getattr(user, "node", None), "level", "") in FRONT_LINE
    for a in alerts:
        person = a.period.person
        phone = ""
        # The number is kept only where this worker is the one to call: the follow-up is
        # theirs, or nobody's and they work in the grid or village itself (a town's
        # cadre does not carry every resident's number of the town on a phone).
        theirs = a.assigned_to_id == user.pk or (a.assigned_to_id is None and front_line)
        if theirs and people_actions.may_call(user, person):
            phone = people_actions.reveal(user, person, "phone", request)
        followups.append(
            {
                "id": a.pk,
                "name": person.name,
                "id_masked": person.id_masked,
                "phone": phone,
                "date": a.local_date.isoformat(),
                "window": a.get_window_display(),
            }
        )
    return {
        "generated_at": timezone.localtime(clock.now()).isoformat(),
        "visits": visits,
        "followups": followups,
        "max_waiting": rules().max_waiting,
    }


# ---------------------------------------------------------------- sync


def _recorded_at(value: Any, max_age_days: int) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise Refused("recorded_at", _("the time it was recorded is not a date and time")) from None
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    now = clock.now()
    if when > now + CLOCK_SKEW:
        raise Refused("recorded_at", _("recorded later than now: check the phone's clock"))
    if when < now - dt.timedelta(days=max_age_days):
        raise Refused("recorded_at", _("recorded more than %d days ago") % max_age_days)
    return when


def _errors(exc: ValidationError) -> Refused:
    if hasattr(exc, "error_dict"):
        field, messages = next(iter(exc.message_dict.items()))
        return Refused(field, " ".join(str(m) for m in messages))
    return Refused("", " ".join(exc.messages))


def _pk(ref: str) -> int:
    """A row number sent by the phone; 0 (no row) for anything else, including numbers
    beyond what the database holds."""
    return int(ref) if ref.isascii() and ref.isdigit() and len(ref) <= 18 else 0


def _owner(node: Any) -> str:
    chain = [node.name]
    parent = getattr(node, "parent", None)
    if parent is not None:
        chain.insert(0, parent.name)
    return " › ".join(chain)


def _visit(user: Any, item: dict, when: dt.datetime) -> tuple[str, str, str, str]:
    from fangkong.screening import actions as screening
    from fangkong.screening.choices import TaskStatus
    from fangkong.screening.forms import VisitForm
    from fangkong.screening.models import ScreeningTask

    form = VisitForm({**(item.get("data") or {}), "client_id": item["client_id"]})
    if not form.is_valid():
        field, messages = next(iter(form.errors.items()))
        label = form.fields[field].label if field in form.fields else ""
        said = " ".join(str(m) for m in messages)
        raise Refused(
            field, _("%(label)s: %(errors)s") % {"label": label, "errors": said} if label else said
        )
    task_ref = str(item.get("task") or "")
    task = (
        ScreeningTask.objects.select_related("subject", "node__parent")
        .filter(pk=_pk(task_ref))
        .first()
    )
    if task is None:
        data = {k: (str(v) if v is not None else None) for k, v in form.cleaned_data.items()}
        return _orphan(
            user,
            item,
            when,
            Kind.VISIT,
            data,
            _("this task no longer exists; the visit is kept for the village to resolve"),
        )
    if can_access(user, task, "visit") and task.status == TaskStatus.OPEN:
        visit, _created = screening.record_visit(user, task, form.cleaned_data, at=when)
        return Result.ACCEPTED, "", f"visit:{visit.pk}", task.path
    if not _was_theirs(user, task, when):
        raise Refused("task", _("this task was never in your area"))
    visit = screening.keep_late_visit(user, task, form.cleaned_data, when)
    if task.status != TaskStatus.OPEN:
        message = _(
            "kept; this task was already closed (%(status)s) — it now belongs to %(owner)s"
        ) % {"status": task.get_status_display(), "owner": _owner(task.node)}
    else:
        message = _("kept; this task was moved and now belongs to %(owner)s") % {
            "owner": _owner(task.node)
        }
    return Result.CONFLICT, message, f"visit:{visit.pk}", task.path


def _orphan(
    user: Any, item: dict, when: dt.datetime, kind: str, data: dict, message: str
) -> tuple[str, str, str, str]:
    """Keep what was recorded against a task that no longer exists, for the village."""
    orphan = OrphanVisit.objects.create(
        client_id=item["client_id"],
        kind=kind,
        task_ref=str(item.get("task") or "")[:40],
        subject_name=str(item.get("name") or "")[:50],
        visited_by=user,
        recorded_at=when,
        data=data,
        path=_node_path(user),
    )
    return Result.ORPHAN, message, f"orphan:{orphan.pk}", orphan.path


def _was_theirs(user: Any, task: Any, when: dt.datetime) -> bool:
    """Whether the task lay in the worker's area when the visit was made: where it is now,
    or where the first transfer after that moment took it from."""
    from fangkong.screening.models import TaskTransfer

    if can_access(user, task, "view"):
        return True
    moved = (
        TaskTransfer.objects.filter(task=task, at__gt=when)
        .select_related("from_node")
        .order_by("at", "pk")
        .first()
    )
    if moved is None:
        return False
    then = type(task)(pk=task.pk, path=moved.from_node.path)
    return can_access(user, then, "visit")


def _followup(user: Any, item: dict, when: dt.datetime) -> tuple[str, str, str, str]:
    from fangkong.observation import actions as observation
    from fangkong.observation.models import AlertTask

    ref = str(item.get("task") or "")
    note = str((item.get("data") or {}).get("note") or "")[:200]
    task = AlertTask.objects.filter(pk=_pk(ref)).first()
    if task is None:
        return _orphan(
            user,
            item,
            when,
            Kind.FOLLOWUP,
            {"note": note},
            _("this task no longer exists; the follow-up is kept for the village to resolve"),
        )
    if not can_access(user, task, "change"):
        return (
            Result.CONFLICT,
            _("this missed check-in is no longer in your area; tell the village"),
            f"alert:{task.pk}",
            task.path,
        )
    if task.status != "open":
        who = str(task.done_by) if task.done_by else ""
        return (
            Result.CONFLICT,
            _("already followed up by %(who)s at %(at)s")
            % {
                "who": who or _("someone else"),
                "at": timezone.localtime(task.done_at).strftime("%m-%d %H:%M")
                if task.done_at
                else "",
            },
            f"alert:{task.pk}",
            task.path,
        )
    observation.complete_task(user, task, note, at=when)
    return Result.ACCEPTED, "", f"alert:{task.pk}", task.path


def _scan(user: Any, item: dict, when: dt.datetime) -> tuple[str, str, str, str]:
    from fangkong.healthcode import actions as codes
    from fangkong.healthcode import tokens
    from fangkong.tracing import venues
    from fangkong.tracing.models import Scan, Venue

    data = item.get("data") or {}
    ref = str(data.get("venue") or "")
    venue = Venue.objects.restrict(user, "view").filter(pk=_pk(ref), active=True).first()
    if venue is None:
        raise Refused("venue", _("not a gate of your area"))
    require(user, "add", Scan, message=_("not allowed for your role"))
    token = str(data.get("token") or "")
    try:
        max_age = codes.rules_in_force(timezone.localdate(when)).qr_seconds
        person_id = tokens.read_qr(token, max_age, at=when)
    except tokens.CodeError as exc:
        raise Refused("token", str(exc)) from None
    # The gate let the person in or not by the colour the code carried at its time.
    scan, _created = venues.record_scan(
        venue,
        client_id=item["client_id"],
        person_id=person_id,
        scanned_at=when,
        direction=str(data.get("direction") or "entry"),
        temperature=data.get("temperature") or None,
        colour=tokens.read_qr_payload(token)["c"],
    )
    return Result.ACCEPTED, "", f"scan:{scan.pk}", venue.path


HANDLERS = {Kind.VISIT: _visit, Kind.FOLLOWUP: _followup, Kind.SCAN: _scan}


def _answer(receipt: SyncReceipt, duplicate: bool = False) -> dict[str, Any]:
    return {
        "client_id": str(receipt.client_id),
        "result": receipt.result,
        "field": "",
        "message": receipt.message,
        "target": receipt.target,
        "recorded_at": timezone.localtime(receipt.recorded_at).isoformat(),
        "received_at": timezone.localtime(receipt.received_at).isoformat(),
        "duplicate": duplicate,
    }


def _refused(client_id: Any, field: str, message: str) -> dict[str, Any]:
    return {"client_id": str(client_id), "result": Result.REJECTED, "field": field,
            "message": message, "duplicate": False}  # fmt: skip


def _one(user: Any, device: str, item: dict, max_age_days: int) -> dict[str, Any]:
    try:
        cid = readings.client_id(item.get("client_id"))
    except readings.NotANumber:
        return _refused(item.get("client_id"), "client_id", _("not a valid record id"))
    earlier = SyncReceipt.objects.filter(client_id=cid).first()
    if earlier is not None:
        if earlier.user_id != user.pk:
            return _refused(cid, "client_id", _("this record id was sent by another account"))
        return _answer(earlier, duplicate=True)
    kind = str(item.get("kind") or "")
    if kind not in HANDLERS:
        return _refused(cid, "kind", _("not a kind of record this app sends"))
    item = {**item, "client_id": cid}
    try:
        when = _recorded_at(item.get("recorded_at"), max_age_days)
        with transaction.atomic():
            result, message, target, path = HANDLERS[Kind(kind)](user, item, when)
            receipt = SyncReceipt.objects.create(
                client_id=cid,
                kind=kind,
                user=user,
                device=device[:40],
                recorded_at=when,
                received_at=clock.now(),
                result=result,
                message=message[:300],
                target=target,
                path=path or _node_path(user),
            )
    except IntegrityError:  # the same item raced in from a second request
        earlier = SyncReceipt.objects.filter(client_id=cid).first()
        if earlier is None:
            raise
        return _answer(earlier, duplicate=True)
    except Refused as exc:
        return _refused(cid, exc.field, exc.message)
    except ValidationError as exc:
        refused = _errors(exc)
        return _refused(cid, refused.field, refused.message)
    except PermissionDenied as exc:
        return _refused(cid, "", str(exc) or _("not allowed for your role"))
    return _answer(receipt)


def sync(user: Any, device: str, items: list[dict]) -> list[dict[str, Any]]:
    """Accept a phone's queue: every item answered (accepted, kept with a conflict, kept as
    an orphan, or refused with the reason); an item sent again gets its first answer."""
    require(user, "add", SyncReceipt, message=_("your role does not work offline"))
    r = rules()
    if len(items) > r.max_batch:
        raise invalid("items", _("at most %d items per request") % r.max_batch)
    max_age_days = max(1, r.max_item_age_days)
    answers = [
        _one(user, device, item if isinstance(item, dict) else {}, max_age_days) for item in items
    ]
    record_status(user, device, waiting=0, last_sync=clock.now())
    return answers


def record_status(
    user: Any, device: str, waiting: int, last_sync: dt.datetime | None
) -> DeviceStatus:
    """What a phone reports when online: items still waiting, when it last synced."""
    require(user, "add", DeviceStatus, message=_("your role does not work offline"))
    if waiting < 0:
        raise invalid("waiting", _("cannot be negative"))
    status, _created = DeviceStatus.objects.update_or_create(
        user=user,
        device=(device or "phone")[:40],
        defaults={
            "waiting": waiting,
            "reported_at": clock.now(),
            "path": _node_path(user),
            **({"last_sync_at": last_sync} if last_sync else {}),
        },
    )
    return status


@transaction.atomic
def resolve_orphan(user: Any, orphan: OrphanVisit, resolution: str) -> OrphanVisit:
    require(user, "change", orphan)
    resolution = resolution.strip()
    if not resolution:
        raise invalid("resolution", _("say how it was resolved"))
    if orphan.resolved_at:
        raise invalid("resolution", _("already resolved"))
    orphan.resolved_at, orphan.resolved_by, orphan.resolution = clock.now(), user, resolution[:200]
    orphan.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    return orphan
