"""Warehouses and monitored markets, created at a node in the user's area."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.core.access import NotAllowed, require
from fangkong.supplies.models import Market, Place, Warehouse


def _place[M: Place](user: Any, model: type[M], name: str, kind: str, node: Any) -> M:
    """A warehouse or market at `node`, which must lie in the user's area."""
    from fangkong.core.querysets import _path_of

    require(user, "add", model, message=_("You may not do this here."))
    path = _path_of(user)
    if path is not None and (not path or not node.path.startswith(path)):
        raise NotAllowed(_("You may not do this here."))
    place = model(name=(name or "").strip(), kind=kind, node=node)
    place.full_clean(exclude=["path"])
    place.save()
    return place


@transaction.atomic
def create_warehouse(user: Any, *, name: str, kind: str, node: Any) -> Warehouse:
    """A warehouse of a node in the user's area."""
    return _place(user, Warehouse, name, kind, node)


@transaction.atomic
def create_market(user: Any, *, name: str, kind: str, node: Any) -> Market:
    """A monitored market or supermarket of a node in the user's area."""
    return _place(user, Market, name, kind, node)
