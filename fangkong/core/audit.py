"""Audit entries for reads: who saw whose record, when, from where, and what."""

from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models

from fangkong.core import clock


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


def entries_for(user: Any):  # type: ignore[no-untyped-def]
    """Audit entries the user may read: about records in, or by accounts of, their subtree."""
    from django.db.models import Q

    from fangkong.core.querysets import allows

    qs = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if not allows(user, LogEntry, "view"):
        return qs.none()
    if user.is_superuser:
        return qs
    if user.node is None:
        return qs.none()
    path = user.node.path
    return qs.filter(
        Q(additional_data__path__startswith=path) | Q(actor__node__path__startswith=path)
    )
