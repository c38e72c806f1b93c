"""Audit entries for reads: who saw whose record, when, from where, and what.

The audit page filters the log by whose records were touched: the app that owns those
records (people: persons) registers them in its AppConfig.ready with
`register_subject(Subject(...))`, so `core` names no domain app."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from fangkong.core import clock

# What a read entry's `what` key means, in the reader's language. Keys are stored; the
# words are chosen when the entry is shown, so the log reads in Chinese or English alike.
WHAT_LABELS = {
    "certificate": gettext_lazy("release certificate viewed"),
    "observation": gettext_lazy("observation record viewed"),
    "appeal": gettext_lazy("health code appeal viewed"),
    "cadre record": gettext_lazy("cadre record viewed"),
    "cadre record export": gettext_lazy("cadre record exported"),
    "clinic visit": gettext_lazy("clinic visit viewed"),
    "case": gettext_lazy("case record viewed"),
    "health code": gettext_lazy("health code viewed"),
    "exchange:handover": gettext_lazy("record handed over to another region"),
    "view": gettext_lazy("record viewed"),
    "phone": gettext_lazy("phone number revealed"),
}


@dataclass(frozen=True)
class Subject:
    """Whose records the audit page filters by: the model (`"people.person"`) and a
    form field that picks one of the user's readable records (a name picker)."""

    model_label: str
    field: Callable[[], Any]


_subjects: list[Subject] = []


def register_subject(subject: Subject) -> None:
    if all(s.model_label != subject.model_label for s in _subjects):
        _subjects.append(subject)


def subject() -> Subject | None:
    """The registered subject (the first one), or None when no app registered one."""
    return _subjects[0] if _subjects else None


def client_ip(request: Any) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record_access(user: Any, obj: models.Model, what: str, request: Any = None) -> LogEntry:
    """Append an ACCESS entry; `what` names the fields or page seen, never their values."""
    extra = obj.get_additional_data() if hasattr(obj, "get_additional_data") else {}
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_pk=str(obj.pk),
        object_id=obj.pk if isinstance(obj.pk, int) else None,
        object_repr=str(obj)[:200],
        action=LogEntry.Action.ACCESS,
        changes_text=what,
        actor=user if getattr(user, "is_authenticated", False) else None,
        remote_addr=client_ip(request),
        timestamp=clock.now(),
        additional_data={**extra, "what": what},
    )


def _many(  # noqa: PLR0913
    user: Any, model_label: str, action: int, text: tuple[str, str], data: dict, request: Any
) -> LogEntry:
    """An entry about many records of `model_label` at once (object "*"), by `user` in
    their area (`data` gains the area's path); `text`: what it shows and its key."""
    from django.apps import apps

    node = getattr(user, "node", None)
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(apps.get_model(model_label)),
        object_pk="*",
        object_repr=text[0],
        action=action,
        changes_text=text[1],
        actor=user if getattr(user, "is_authenticated", False) else None,
        remote_addr=client_ip(request),
        timestamp=clock.now(),
        additional_data={"path": node.path if node else "", **data},
    )


def record_bulk_read(
    user: Any, model_label: str, params: dict, count: int, request: Any = None, what: str = "list"
) -> LogEntry:
    """A read of many records at once (a list page, an API page, an export): which list,
    with which filters, how many rows, by whom. Callers pass filters that hold no ID or
    phone in clear (people.search.audit_filters turns them into blind indexes)."""
    filters = {k: v for k, v in params.items() if v not in ("", None)}
    data = {"what": what, "filters": filters}
    text = (f"{what} of {count} rows", f"{what}:{count}")
    return _many(user, model_label, LogEntry.Action.ACCESS, text, data, request)


def record_export(
    user: Any, model_label: str, params: dict, count: int, request: Any = None
) -> LogEntry:
    """An export of a list (see record_bulk_read)."""
    return record_bulk_read(user, model_label, params, count, request, what="export")


def record_bulk_create(  # noqa: PLR0913
    user: Any, model_label: str, created: int, rows: int, what: str, request: Any = None
) -> LogEntry:
    """Records created many at once from a list (a bulk load writes past the per-record
    entries): by whom, in which area, how many of how many rows. `user` is None for a
    server command."""
    data = {"what": "bulk-create", "list": what, "created": created, "rows": rows}
    text = (f"{what}: {created} of {rows} rows", f"{what}:{created}")
    return _many(user, model_label, LogEntry.Action.CREATE, text, data, request)


ACTION_LABELS = {
    LogEntry.Action.CREATE: pgettext_lazy("audit action", "created"),
    LogEntry.Action.UPDATE: pgettext_lazy("audit action", "changed"),
    LogEntry.Action.DELETE: pgettext_lazy("audit action", "deleted"),
    LogEntry.Action.ACCESS: pgettext_lazy("audit action", "viewed"),
}


def action_label(entry: LogEntry) -> str:
    """The kind of entry in the reader's language (django-auditlog ships no Chinese)."""
    return str(ACTION_LABELS.get(entry.action, entry.get_action_display()))


# Fields declared without a label of their own (Django then names them after the
# attribute, in English): named here by what they record. `<verb>_at` is the time of the
# step and `<verb>_by` the person who took it.
STEP_VERBS = {
    "created": pgettext_lazy("audit step", "created"),
    "updated": pgettext_lazy("audit step", "updated"),
    "decided": pgettext_lazy("audit step", "decided"),
    "resolved": pgettext_lazy("audit step", "resolved"),
    "issued": pgettext_lazy("audit step", "issued"),
    "expires": pgettext_lazy("audit step", "expires"),
    "received": pgettext_lazy("audit step", "received"),
    "recorded": pgettext_lazy("audit step", "recorded"),
    "sent": pgettext_lazy("audit step", "sent"),
    "answered": pgettext_lazy("audit step", "answered"),
    "reviewed": pgettext_lazy("audit step", "reviewed"),
    "uploaded": pgettext_lazy("audit step", "uploaded"),
    "visited": pgettext_lazy("audit step", "visited"),
    "requested": pgettext_lazy("audit step", "requested"),
    "acknowledged": pgettext_lazy("audit step", "acknowledged"),
    "submitted": pgettext_lazy("audit step", "submitted"),
    "published": pgettext_lazy("audit step", "published"),
    "finished": pgettext_lazy("audit step", "finished"),
    "used": pgettext_lazy("audit step", "used"),
    "reported": pgettext_lazy("audit step", "reported"),
    "started": pgettext_lazy("audit step", "started"),
    "ended": pgettext_lazy("audit step", "ended"),
    "closed": pgettext_lazy("audit step", "closed"),
    "assigned": pgettext_lazy("audit step", "assigned"),
    "done": pgettext_lazy("audit step", "done"),
    "revoked": pgettext_lazy("audit step", "revoked"),
    "approved": pgettext_lazy("audit step", "approved"),
    "escalated": pgettext_lazy("audit step", "escalated"),
    "delivered": pgettext_lazy("audit step", "delivered"),
    "taken": pgettext_lazy("audit step", "taken"),
    "placed": pgettext_lazy("audit step", "placed"),
    "confirmed": pgettext_lazy("audit step", "confirmed"),
    "computed": pgettext_lazy("audit step", "computed"),
    "imported": pgettext_lazy("audit step", "imported"),
    "last_sync": pgettext_lazy("audit step", "synchronised"),
    "completed": pgettext_lazy("audit step", "completed"),
    "opened": pgettext_lazy("audit step", "opened"),
    "rated": pgettext_lazy("audit step", "rated"),
    "replied": pgettext_lazy("audit step", "replied"),
    "verified": pgettext_lazy("audit step", "verified"),
    "starts": pgettext_lazy("audit step", "starts"),
    "ends": pgettext_lazy("audit step", "ends"),
    "last_used": pgettext_lazy("audit step", "last used"),
    "next_attempt": pgettext_lazy("audit step", "next attempt"),
    "link_revoked": pgettext_lazy("audit step", "link revoked"),
}
STEP_SUFFIXES = {
    "at": pgettext_lazy("audit step suffix", "time"),
    "by": pgettext_lazy("audit step suffix", "person"),
}
GENERIC_FIELDS = {
    "at": pgettext_lazy("audit field", "time"),
    "by": pgettext_lazy("audit field", "by"),
    "status": pgettext_lazy("audit field", "status"),
    "version": pgettext_lazy("audit field", "version"),
    "client_id": pgettext_lazy("audit field", "client id"),
    "attempts": pgettext_lazy("audit field", "attempts"),
    "temperature": pgettext_lazy("audit field", "temperature"),
    "result": pgettext_lazy("audit field", "result"),
    "message": pgettext_lazy("audit field", "message"),
    "rules": pgettext_lazy("audit field", "rule set"),
    "digest": pgettext_lazy("audit field", "digest"),
    "active": pgettext_lazy("audit field", "active"),
    "code": pgettext_lazy("audit field", "code"),
    "day": pgettext_lazy("audit field", "day"),
    "kind": pgettext_lazy("audit field", "kind"),
    "level": pgettext_lazy("audit field", "level"),
    "direction": pgettext_lazy("audit field", "direction"),
    "channel": pgettext_lazy("audit field", "channel"),
    "source": pgettext_lazy("audit field", "source"),
    "data": pgettext_lazy("audit field", "data"),
    "symptoms": pgettext_lazy("audit field", "symptoms"),
    "done": pgettext_lazy("audit field", "done"),
    "urgent": pgettext_lazy("audit field", "urgent"),
    "total": pgettext_lazy("audit field", "total"),
    "counts": pgettext_lazy("audit field", "counts"),
    "reason": pgettext_lazy("audit field", "reason"),
    "title": pgettext_lazy("audit field", "title"),
    "text": pgettext_lazy("audit field", "text"),
    "report": pgettext_lazy("audit field", "report"),
    "error": pgettext_lazy("audit field", "error"),
    "device": pgettext_lazy("audit field", "device"),
    "token": pgettext_lazy("audit field", "token"),
    "key": pgettext_lazy("audit field", "key"),
    "figures": pgettext_lazy("audit field", "figures"),
    "params": pgettext_lazy("audit field", "parameters"),
    "places": pgettext_lazy("audit field", "places"),
    "image": pgettext_lazy("audit field", "image"),
    "size": pgettext_lazy("audit field", "size"),
    "width": pgettext_lazy("audit field", "width"),
    "height": pgettext_lazy("audit field", "height"),
    "node_code": pgettext_lazy("audit field", "division code"),
    "node_name": pgettext_lazy("audit field", "division name"),
    "county": pgettext_lazy("audit field", "county"),
    "baseline": pgettext_lazy("audit field", "baseline"),
    "basis": pgettext_lazy("audit field", "basis"),
    "phone_masked": pgettext_lazy("audit field", "phone"),
    "certificate_code": pgettext_lazy("audit field", "certificate number"),
    "message_id": pgettext_lazy("audit field", "message number"),
    "from_status": pgettext_lazy("audit field", "previous status"),
    "from_colour": pgettext_lazy("audit field", "previous colour"),
    "remote_addr": pgettext_lazy("audit field", "address of the request"),
    "recipient_role": pgettext_lazy("audit field", "recipient role"),
    "link_version": pgettext_lazy("audit field", "link version"),
    "name_initials": pgettext_lazy("audit field", "initials"),
    "minutes_to_visit": pgettext_lazy("audit field", "minutes to the visit"),
    "compute_seconds": pgettext_lazy("audit field", "seconds to compute"),
    "inspection_required": pgettext_lazy("audit field", "inspection required"),
}
# Kept for the database's own use (the subtree path copied from the node, search indexes,
# ciphertexts): an entry says nothing a reader needs by them.
HIDDEN_FIELDS = ("path",)
HIDDEN_ENDINGS = ("_index", "_enc")


# Labels of the values a JSON list field holds (a list of choice values), by
# "app.model" and field: registered by the owning app (supervision's topics); lists of
# symptoms are read by core's own labels.
_LIST_LABELS: dict[tuple[str, str], Callable[[list], str]] = {}


def register_list_labels(model_label: str, field: str, labels: Callable[[list], str]) -> None:
    _LIST_LABELS[(model_label.lower(), field)] = labels


def _list_label(entry: LogEntry, name: str, value: Any) -> str | None:
    import json

    from fangkong.core.symptoms import symptom_labels

    try:
        items = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return None
    if isinstance(items, list) and items and all(isinstance(i, dict) for i in items):
        # problems found, each with its message (a roster's broken rest rules)
        if all("message" in i for i in items):
            return "；".join(str(i["message"]) for i in items)
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        return json.dumps(items, ensure_ascii=False) if items else None
    ct = entry.content_type
    labels = _LIST_LABELS.get((f"{ct.app_label}.{ct.model}", name)) if ct else None
    if labels is None and name.endswith("symptoms"):
        labels = symptom_labels
    return labels(items) if labels is not None else "、".join(items)


M2M_OPERATIONS = {
    "add": pgettext_lazy("audit m2m", "added"),
    "delete": pgettext_lazy("audit m2m", "removed"),
    "clear": pgettext_lazy("audit m2m", "cleared"),
}


def _m2m_change(label: str, change: dict) -> str:
    """A change of a many-to-many field (auditlog stores the operation and the objects)."""
    operation = M2M_OPERATIONS.get(str(change.get("operation")), change.get("operation"))
    objects = "、".join(str(o) for o in change.get("objects") or [])
    return f"{label}: {operation} {objects}".rstrip()


def _field(entry: LogEntry, name: str) -> Any:
    model = entry.content_type.model_class() if entry.content_type_id else None
    try:
        return model._meta.get_field(name) if model is not None else None
    except Exception:
        return None


def _unlabelled(field: Any) -> bool:
    return str(getattr(field, "verbose_name", "")) == field.name.replace("_", " ")


def _field_label(entry: LogEntry, name: str) -> str:
    """A field's label; a protected field (stored encrypted, shown masked) by the label of
    its masked form: id_number → id_masked, phone → phone_masked, doc_number → doc_masked.
    A field without a label of its own is named by what it records: a step's time or
    person (created_at, decided_by), a generic word, else the record it points to."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    if model is None:
        return name
    stem = name.removesuffix("_number")
    for candidate in (name, f"{name}_masked", f"{stem}_masked"):
        field = _field(entry, candidate)
        if field is not None and hasattr(field, "verbose_name"):
            break
    else:
        return name
    if not _unlabelled(field):
        return str(field.verbose_name)
    verb, _sep, ending = name.rpartition("_")
    if ending in STEP_SUFFIXES and verb in STEP_VERBS:
        return _("%(step)s %(what)s") % {
            "step": STEP_VERBS[verb],
            "what": STEP_SUFFIXES[ending],
        }
    if name in GENERIC_FIELDS:
        return str(GENERIC_FIELDS[name])
    if field.is_relation and field.related_model is not None:
        return str(field.related_model._meta.verbose_name)
    return name


def _shown(entry: LogEntry, name: str) -> bool:
    """Whether an entry's change of `name` is for readers: not a list of other records
    pointing here (a reverse relation), not a column kept for the database's own use."""
    field = _field(entry, name)
    if field is not None and not getattr(field, "concrete", False):
        return bool(getattr(field, "many_to_many", False)) and not field.auto_created
    return name not in HIDDEN_FIELDS and not name.endswith(HIDDEN_ENDINGS)


NAMED_REFERENCES = ("geo.division", "accounts.user")


def _reference_kind(field: Any) -> str:
    model = field.related_model
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _names_of(kind: str, pks: set[str]) -> dict[tuple[str, str], str]:
    """What readers call the divisions (their path) or accounts (their name) `pks`."""
    from django.apps import apps

    model = apps.get_model(kind)
    rows = list(model.objects.filter(pk__in=[p for p in pks if p.isdigit()]))
    if kind == "geo.division":
        from fangkong.geo.picker import path_labels

        paths = path_labels(rows)
        return {(kind, str(r.pk)): paths[r.code] for r in rows}
    return {(kind, str(r.pk)): str(r) for r in rows}


def preload_references(entries: list[LogEntry]) -> None:
    """Name every division and account the entries of a page point to in a few queries
    for the whole page (each entry then describes itself without asking the database)."""
    wanted: dict[str, set[str]] = {kind: set() for kind in NAMED_REFERENCES}
    for entry in entries:
        for name, change in (entry.changes_dict or {}).items():
            field = _field(entry, name)
            if (
                field is None
                or not getattr(field, "many_to_one", False)
                or isinstance(change, dict)
            ):
                continue
            kind = _reference_kind(field)
            if kind in wanted:
                wanted[kind].update(str(v) for v in change if v not in (None, "None", ""))
    known: dict[tuple[str, str], str] = {}
    for kind, pks in wanted.items():
        if pks:
            known.update(_names_of(kind, pks))
    for entry in entries:
        entry._references = known  # type: ignore[attr-defined]


def _related_label(entry: LogEntry, field: Any, value: Any) -> str:
    """A reference by what a reader knows it by: a division by its path, an account by
    its name; another record by its number (its own page names it, in the reader's
    reach)."""
    kind = _reference_kind(field)
    if kind not in NAMED_REFERENCES:
        return f"#{value}"
    known = getattr(entry, "_references", None)
    if known is None:
        known = _names_of(kind, {str(value)})
    return known.get((kind, str(value)), f"#{value}")


def _when(value: str) -> str | None:
    """A stored time (auditlog writes it in UTC) in the city's time, to the minute."""
    import datetime as dt

    from django.utils import timezone

    try:
        at = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if timezone.is_naive(at):
        at = at.replace(tzinfo=dt.UTC)
    return timezone.localtime(at, timezone.get_default_timezone()).strftime("%Y-%m-%d %H:%M")


def _value_label(entry: LogEntry, name: str, value: Any) -> str:
    field = _field(entry, name)
    if value in (None, "None", ""):
        return "—"
    if field is not None and getattr(field, "choices", None):
        for key, label in field.flatchoices:
            if str(key) == str(value):
                return str(label)
    if value in ("True", True):
        return _("yes")
    if value in ("False", False):
        return _("no")
    if field is not None and field.is_relation and getattr(field, "many_to_one", False):
        return _related_label(entry, field, value)
    if isinstance(field, models.DateTimeField):
        return _when(str(value)) or str(value)
    if isinstance(field, models.JSONField):
        return _list_label(entry, name, value) or str(value)
    return str(value)


def describe(entry: LogEntry) -> str:
    """What an entry records, in the reader's language: a read named by its key (never by
    the English stored beside it), a list read with its row count, or each changed field
    by its label with choice values shown by their labels."""
    if entry.action == LogEntry.Action.ACCESS:
        data = entry.additional_data or {}
        what = str(data.get("what") or entry.changes_text or "")
        if entry.object_pk == "*":
            count = what.partition(":")[2] or entry.changes_text.partition(":")[2]
            try:
                rows = int(count)
            except ValueError:
                rows = 0
            if what == "export" or entry.changes_text.startswith("export"):
                return _("exported a list of %(n)d rows") % {"n": rows}
            return _("read a list of %(n)d rows") % {"n": rows}
        head, _sep, tail = what.partition(":")
        if what in WHAT_LABELS:
            return str(WHAT_LABELS[what])
        if head == "reveal":
            return _("revealed %(field)s") % {"field": _field_label(entry, tail)}
        if head == "assign-exception":
            return _("screening exception %(n)s assigned") % {"n": tail}
        if head == "acknowledged":
            return _("report card version %(n)s acknowledged") % {"n": tail}
        return _("record viewed")
    data = entry.additional_data or {}
    if data.get("what") == "bulk-create":
        return _("%(n)d created from a list of %(rows)d rows") % {
            "n": data.get("created", 0),
            "rows": data.get("rows", 0),
        }
    if data.get("what") == "purge":
        counts = data.get("counts") or {}
        total = sum(v for v in counts.values() if isinstance(v, int))
        return _("retention purge of %(day)s: %(n)d records deleted or erased") % {
            "day": data.get("day", ""),
            "n": total,
        }
    return "; ".join(_changes(entry))


def _changes(entry: LogEntry) -> list[str]:
    """Each changed field a reader needs, by its label, with values as they know them."""
    parts = []
    for name, change in (entry.changes_dict or {}).items():
        if not _shown(entry, name):
            continue
        if isinstance(change, dict):
            parts.append(_m2m_change(_field_label(entry, name), change))
            continue
        old, new = (list(change) + [None, None])[:2]
        parts.append(
            f"{_field_label(entry, name)}: {_value_label(entry, name, old)} → "
            f"{_value_label(entry, name, new)}"
        )
    return parts


def record_label(entry: LogEntry) -> str:
    """The record an entry is about: its kind and number, or the kind alone for a list."""
    kind = entry.content_type.name if entry.content_type_id else ""
    if entry.object_pk == "*" or (entry.additional_data or {}).get("what") == "purge":
        return str(kind)  # a list's entry, a bulk creation, a purge
    return f"{kind} #{entry.object_pk} {entry.object_repr}"


def entries_for(user: Any):  # type: ignore[no-untyped-def]
    """Audit entries the user may read: about records in, or by accounts of, their subtree."""
    from django.db.models import Q

    from fangkong.core.querysets import allows, is_system

    qs = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if not allows(user, LogEntry, "view"):
        return qs.none()
    if is_system(user):
        return qs
    if user.node is None:
        return qs.none()
    path = user.node.path
    return qs.filter(
        Q(additional_data__path__startswith=path) | Q(actor__node__path__startswith=path)
    )
