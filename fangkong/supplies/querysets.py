"""Named, scoped reads of the supplies app."""

import datetime as dt
from typing import Any, Self

from django.db.models import Sum

from fangkong.core.querysets import RestrictedQuerySet, allows, ancestor_paths


class CatalogueQuerySet(RestrictedQuerySet):
    """The catalogue and rule sets are city-wide: the role decides, not the node."""

    def restrict(self, user: Any, action: str = "view") -> Self:
        return self if allows(user, self.model, action) else self.none()


class BalanceQuerySet(RestrictedQuerySet):
    def on_hand(self) -> Self:
        return self.filter(quantity__gt=0)

    def by_warehouse_item(self):  # type: ignore[no-untyped-def]
        return (
            self.values("warehouse_id", "item_id")
            .annotate(total=Sum("quantity"))
            .order_by("warehouse_id", "item_id")
        )


class LedgerQuerySet(RestrictedQuerySet):
    def outgoing_since(self, since: dt.datetime) -> Self:
        return self.filter(kind="issue", at__gte=since)


class RequestQuerySet(RestrictedQuerySet):
    def open(self) -> Self:
        return self.filter(status__in=["submitted", "approved", "shipped"])

    def pending(self) -> Self:
        return self.filter(status="submitted")


class PriceQuerySet(RestrictedQuerySet):
    def alerts(self) -> Self:
        return self.filter(alert=True)


def serving_warehouses(user: Any) -> Any:
    """Warehouses a user may request from: those of their own node and the levels above
    (which own the stock), and those in their subtree."""
    from fangkong.supplies.models import Warehouse

    mine = Warehouse.objects.restrict(user, "view")
    node = getattr(user, "node", None)
    if node is None or not allows(user, Warehouse, "view"):
        return mine
    return Warehouse.objects.filter(path__in=ancestor_paths(node.path)) | mine
