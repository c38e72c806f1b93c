"""Writes about where addresses lead (地址与网格): aliases a town keeps, grids' address
keys, and moving many tasks to grids at once. Views and the API call these."""

import csv
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.core.access import NotAllowed, account_of, invalid, require
from fangkong.core.querysets import can_access, is_system
from fangkong.geo.choices import Level
from fangkong.geo.gridkeys import KeyReport, import_grid_keys, read_table
from fangkong.geo.models import Division
from fangkong.geo.names import division_keys, normalise
from fangkong.screening.choices import TaskStatus
from fangkong.screening.models import AddressAlias, ScreeningTask, TaskTransfer

PLACEABLE = ("village", "grid")
ALIASABLE = ("county", "town", "village", "grid")


def shadowed(text: str, to: Division) -> list[Division]:
    """The counties, towns and villages whose name (registered or everyday) the alias
    would equal: an alias must never hide a division's own name."""
    key = normalise(text)
    return [
        d
        for d in Division.objects.filter(level__in=("county", "town", "village")).only(
            "id", "name", "level", "code"
        )
        if d.pk != to.pk and any(k == key for k, _w in division_keys(d.name, d.level))
    ]


@transaction.atomic
def add_alias(user: Any, text: str, to: Division) -> AddressAlias:
    """A name used in addresses: an old name before a merger (of a county, town or
    village), a natural village, an estate; who and when are kept."""
    require(user, "add", "screening.addressalias", message=_("your role may not add aliases"))
    if not Division.objects.restrict(user, "view").filter(pk=to.pk).exists():
        raise NotAllowed(_("this grid is not in your area"))
    text = normalise(text)
    if len(text) < 2 or len(text) > 60:
        raise invalid("text", _("2 to 60 characters"))
    if to.level not in ALIASABLE:
        raise invalid("to", _("choose a county, town, village or grid"))
    hidden = shadowed(text, to)
    if hidden:
        raise invalid(
            "text",
            _("“%(t)s” is the name of %(d)s: an alias may not hide a division's name")
            % {"t": text, "d": "、".join(f"{d.name} ({d.code})" for d in hidden[:3])},
        )
    alias, created = AddressAlias.objects.get_or_create(
        text=text, node=to, defaults={"created_by": account_of(user)}
    )
    return alias


@transaction.atomic
def delete_alias(user: Any, alias: AddressAlias) -> None:
    require(user, "delete", alias, message=_("this alias is not in your area"))
    alias.delete()  # the deletion is in the audit log (django-auditlog)


def import_keys(user: Any, path: Path) -> KeyReport:
    """A grid-keys file (CSV/XLSX) from a town or above, for the villages of its area;
    the file is deleted afterwards whatever the outcome."""
    try:
        if not user.may("geo.gridaddresskey", "add") or user.node is None:
            raise NotAllowed(_("your role may not import grid keys"))
        try:
            rows = read_table(path)
        except (ValueError, csv.Error) as exc:
            raise invalid("file", _("The file cannot be read: %s") % exc) from None
        if not rows:
            raise invalid("file", _("The file is empty."))
        scope = None if is_system(user) else user.node
        return import_grid_keys(rows, user, scope)
    finally:
        path.unlink(missing_ok=True)


@transaction.atomic
def move_tasks(user: Any, task_ids: list[int], to: Division, reason: str = "") -> int:
    """Village staff send many open tasks of their village to one of its grids at once
    (选中多条, 按名称选网格). Every task must be open and in the user's area; the grid must
    be in the user's area too. Returns the number moved."""
    if to.level != Level.GRID or not can_access(user, to, "view"):
        raise invalid("to", _("choose a grid in your area"))
    if not task_ids:
        raise invalid("tasks", _("select at least one task"))
    tasks = list(
        ScreeningTask.objects.restrict(user, "transfer")
        .select_for_update()
        .filter(pk__in=task_ids)
        .select_related("subject", "node")
    )
    if len(tasks) != len(set(task_ids)):
        raise invalid("tasks", _("some selected tasks are not in your area"))
    closed = [t for t in tasks if t.status != TaskStatus.OPEN]
    if closed:
        raise invalid("tasks", _("only open tasks can be moved (%d are not)") % len(closed))
    moved = 0
    for task in tasks:
        if task.node_id == to.pk:
            continue
        TaskTransfer.objects.create(
            task=task,
            from_node=task.node,
            to_node=to,
            reason=(reason or _("moved to a grid by the village"))[:200],
            by=account_of(user),
        )
        task.node, task.path = to, to.path
        task.version += 1
        task.save(update_fields=["node", "path", "version", "updated_at"])
        task.subject.node, task.subject.path = to, to.path
        task.subject.save(update_fields=["node", "path", "updated_at"])
        moved += 1
    return moved
