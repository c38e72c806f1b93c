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


def record_bulk_read(
    user: Any, model_label: str, params: dict, count: int, request: Any = None, what: str = "list"
) -> LogEntry:
    """A read of many records at once (a list page, an API page, an export): which list,
    with which filters, how many rows, by whom. Callers pass filters that hold no ID or
    phone in clear (people.search.audit_filters turns them into blind indexes)."""
    from django.apps import apps

    model = apps.get_model(model_label)
    node = getattr(user, "node", None)
    filters = {k: v for k, v in params.items() if v not in ("", None)}
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk="*",
        object_repr=f"{what} of {count} rows",
        action=LogEntry.Action.ACCESS,
        changes_text=f"{what}:{count}",
        actor=user if getattr(user, "is_authenticated", False) else None,
        remote_addr=client_ip(request),
        timestamp=clock.now(),
        additional_data={"path": node.path if node else "", "what": what, "filters": filters},
    )


def record_export(
    user: Any, model_label: str, params: dict, count: int, request: Any = None
) -> LogEntry:
    """An export of a list (see record_bulk_read)."""
    return record_bulk_read(user, model_label, params, count, request, what="export")


ACTION_LABELS = {
    LogEntry.Action.CREATE: pgettext_lazy("audit action", "created"),
    LogEntry.Action.UPDATE: pgettext_lazy("audit action", "changed"),
    LogEntry.Action.DELETE: pgettext_lazy("audit action", "deleted"),
    LogEntry.Action.ACCESS: pgettext_lazy("audit action", "viewed"),
}


def action_label(entry: LogEntry) -> str:
    """The kind of entry in the reader's language (django-auditlog ships no Chinese)."""
    return str(ACTION_LABELS.get(entry.action, entry.get_action_display()))


def _field_label(entry: LogEntry, name: str) -> str:
    """A field's label; a protected field (stored encrypted, shown masked) by the label of
    its masked form: id_number → id_masked, phone → phone_masked, doc_number → doc_masked."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    if model is None:
        return name
    stem = name.removesuffix("_number")
    for candidate in (name, f"{name}_masked", f"{stem}_masked"):
        try:
            return str(model._meta.get_field(candidate).verbose_name)
        except Exception:  # noqa: S112 - try the next spelling
            continue
    return name


def _value_label(entry: LogEntry, name: str, value: Any) -> str:
    model = entry.content_type.model_class() if entry.content_type_id else None
    try:
        field = model._meta.get_field(name) if model else None
    except Exception:
        field = None
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
    if data.get("what") == "purge":
        counts = data.get("counts") or {}
        total = sum(v for v in counts.values() if isinstance(v, int))
        return _("retention purge of %(day)s: %(n)d records deleted or erased") % {
            "day": data.get("day", ""),
            "n": total,
        }
    parts = []
    for name, change in (entry.changes_dict or {}).items():
        old, new = (list(change) + [None, None])[:2]
        parts.append(
            f"{_field_label(entry, name)}: {_value_label(entry, name, old)} → "
            f"{_value_label(entry, name, new)}"
        )
    return "; ".join(parts)


def record_label(entry: LogEntry) -> str:
    """The record an entry is about: its kind and number, or the kind alone for a list."""
    kind = entry.content_type.name if entry.content_type_id else ""
    if entry.object_pk == "*" or (entry.additional_data or {}).get("what") == "purge":
        return str(kind)
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
