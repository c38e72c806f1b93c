"""Days of supply (可保障天数): stock on hand against the recent issue rate and, for a
jurisdiction, the demand derived from the epidemic (occupied beds, persons under
observation) at each item's configured use rates.

The clinical and observation apps are read lazily and only when installed, so this
module works whichever of them a deployment has."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Q, Sum

from fangkong.core import clock
from fangkong.core.querysets import is_system, system_actor
from fangkong.supplies import rules
from fangkong.supplies.models import Balance, Item, LedgerEntry, SupplyRules, Warehouse


@dataclass
class Row:
    item: Item
    stock: int
    consumed: int
    demand: Decimal
    per_day: Decimal
    days: Decimal | None
    alert: bool
    warehouse: Warehouse | None = None


def epidemic_counts(path: str) -> tuple[int, int]:
    """(occupied beds, persons under observation) under `path`; 0 where the app is absent."""
    beds = observed = 0
    if apps.is_installed("fangkong.clinical"):
        bed = apps.get_model("clinical", "Bed")
        qs = bed.objects.under(path)
        beds = (qs.occupied() if hasattr(qs, "occupied") else qs.none()).count()
    if apps.is_installed("fangkong.observation"):
        period = apps.get_model("observation", "ObservationPeriod")
        periods = period.objects.under(path)
        observed = (periods.open() if hasattr(periods, "open") else periods.none()).count()
    return beds, observed


def checkpoint_shifts(path: str, day: dt.date) -> int:
    """Mobilisation hook (issue #10): staffed checkpoint shifts starting on `day` under
    `path` (a shift with at least one member on it); 0 when that app is absent."""
    if not apps.is_installed("fangkong.mobilisation"):
        return 0
    from fangkong.mobilisation.figures import staffed_checkpoint_shifts

    return staffed_checkpoint_shifts(path, day)


def _usable_stock(balances: Any, today: dt.date) -> Any:
    return balances.filter(Q(batch__expires_on__isnull=True) | Q(batch__expires_on__gte=today))


def by_warehouse(user: Any, day: dt.date | None = None) -> list[Row]:
    """One row per (warehouse, item) with stock in the user's area: the issue rate only
    (a warehouse serves many places, so epidemic demand is judged per jurisdiction)."""
    day = day or clock.today()
    rs = SupplyRules.in_force(day)
    since = clock.now() - dt.timedelta(days=rs.consumption_days)
    stock = (
        _usable_stock(Balance.objects.restrict(user, "view"), day)
        .values("warehouse_id", "item_id")
        .annotate(n=Sum("quantity"))
    )
    used = (
        LedgerEntry.objects.restrict(user, "view")
        .outgoing_since(since)
        .values("warehouse_id", "item_id")
        .annotate(n=Sum("quantity"))
    )
    totals: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for r in stock:
        totals[(r["warehouse_id"], r["item_id"])][0] = r["n"] or 0
    for r in used:
        totals[(r["warehouse_id"], r["item_id"])][1] = -(r["n"] or 0)
    items = Item.objects.in_bulk({k[1] for k in totals})
    houses = Warehouse.objects.in_bulk({k[0] for k in totals})
    out = []
    for (wh, it), (n, consumed) in totals.items():
        per_day = rules.daily_use(consumed, rs.consumption_days, Decimal(0))
        days = rules.days_of_supply(n, per_day)
        out.append(
            Row(
                items[it],
                n,
                consumed,
                Decimal(0),
                per_day,
                days,
                rules.below_threshold(days, rs.alert_days),
                houses[wh],
            )
        )
    return sorted(
        out, key=lambda r: (r.days if r.days is not None else Decimal(10**9), r.item.priority)
    )


def for_jurisdiction(user: Any, node: Any, day: dt.date | None = None) -> list[Row]:
    """Per item for the whole subtree of `node`: stock in all its warehouses against the
    larger of the issue rate and the epidemic demand."""
    day = day or clock.today()
    rs = SupplyRules.in_force(day)
    since = clock.now() - dt.timedelta(days=rs.consumption_days)
    balances = Balance.objects.restrict(user, "view").under(node.path)
    stock = {
        r["item_id"]: r["n"] or 0
        for r in _usable_stock(balances, day).values("item_id").annotate(n=Sum("quantity"))
    }
    used = {
        r["item_id"]: -(r["n"] or 0)
        for r in LedgerEntry.objects.restrict(user, "view")
        .under(node.path)
        .outgoing_since(since)
        .values("item_id")
        .annotate(n=Sum("quantity"))
    }
    beds, observed = epidemic_counts(node.path)
    shifts = checkpoint_shifts(node.path, day)
    out = []
    for item in Item.objects.all():
        demand = rules.epidemic_demand(
            beds,
            observed,
            item.per_bed_day,
            item.per_observed_day,
            shifts,
            item.per_checkpoint_shift,
        )
        n, consumed = stock.get(item.pk, 0), used.get(item.pk, 0)
        if not (n or consumed or demand):
            continue
        per_day = rules.daily_use(consumed, rs.consumption_days, demand)
        days = rules.days_of_supply(n, per_day)
        out.append(
            Row(
                item, n, consumed, demand, per_day, days, rules.below_threshold(days, rs.alert_days)
            )
        )
    return sorted(
        out, key=lambda r: (r.days if r.days is not None else Decimal(10**9), r.item.priority)
    )


def alerts(user: Any) -> list[Row]:
    node = getattr(user, "node", None)
    if node is None and not is_system(user):
        return []
    if node is None:
        from fangkong.geo.models import Division

        node = Division.objects.root()
        if node is None:
            return []
    return [r for r in for_jurisdiction(user, node) if r.alert]


def briefing_summary(path: str, day: dt.date | None = None) -> dict[str, Any]:
    """What the daily briefing reports for the jurisdiction at `path` (no user: the
    briefing is computed by the system for that node): items under the alert threshold
    with their days of supply, and today's price alerts."""
    from fangkong.geo.models import Division
    from fangkong.supplies.models import PriceReport

    day = day or clock.today()
    node = Division.objects.filter(path=path).first()
    if node is None:
        return {"short": [], "price_alerts": 0}
    system = system_actor()
    rows = for_jurisdiction(system, node, day)
    return {
        "short": [
            {"item": str(r.item), "days": float(r.days) if r.days is not None else None}
            for r in rows
            if r.alert
        ],
        "price_alerts": PriceReport.objects.under(path).filter(day=day, alert=True).count(),
    }
