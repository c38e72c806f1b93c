"""The supplies API under /api/v1/supplies/: the same actions as the pages. A record
outside the caller's area is a 404; a role that may not act is a 403; bad input 422."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from fangkong.core import listing as lists
from fangkong.core.access import division, record, require
from fangkong.supplies import supply_days
from fangkong.supplies.actions import donations as donations_actions
from fangkong.supplies.actions import ledger as ledger_actions
from fangkong.supplies.actions import places
from fangkong.supplies.actions import prices as prices_actions
from fangkong.supplies.actions import requests as requests_actions
from fangkong.supplies.models import (
    Balance,
    Donation,
    Item,
    LedgerEntry,
    Market,
    PriceBaseline,
    PriceReport,
    SupplyRequest,
    Warehouse,
)
from fangkong.supplies.querysets import serving_warehouses

router = Router(tags=["supplies"])


def _item(pk: int) -> Item:
    return get_object_or_404(Item, pk=pk)


class ItemOut(Schema):
    id: int
    name: str
    category: str
    standard: str
    unit: str
    pack_size: int
    priority: int
    per_bed_day: Decimal
    per_observed_day: Decimal


class WarehouseOut(Schema):
    id: int
    name: str
    kind: str
    node_code: str = Field(..., alias="node.code")


class StockOut(Schema):
    warehouse_id: int
    item_id: int
    quantity: int


class BatchStockOut(Schema):
    item_id: int
    batch: str
    expires_on: dt.date | None
    quantity: int


class EntryOut(Schema):
    id: int
    warehouse_id: int
    item_id: int
    batch: str = Field(..., alias="batch.code")
    kind: str
    source: str
    quantity: int
    reason: str
    at: dt.datetime


class MovementIn(Schema):
    kind: str  # receipt, issue, transfer, adjustment, write_off
    item_id: int | None = None
    quantity: int | None = None
    source: str = "purchase"
    batch: str = ""
    expires_on: dt.date | None = None
    destination_id: int | None = None
    reason: str = ""


class SupplyRequestIn(Schema):
    requester_kind: str
    requester_name: str = ""
    warehouse_id: int
    destination_id: int | None = None
    item_id: int
    quantity: int
    urgency: str = "routine"
    reason: str = ""


class SupplyRequestOut(Schema):
    id: int
    requester_name: str
    requester_kind: str
    warehouse_id: int
    destination_id: int | None
    item_id: int
    quantity: int
    urgency: str
    status: str
    approved_quantity: int | None
    shipped_quantity: int | None
    received_quantity: int | None
    created_at: dt.datetime
    approved_at: dt.datetime | None
    shipped_at: dt.datetime | None
    received_at: dt.datetime | None


class StepIn(Schema):
    quantity: int | None = None
    reason: str = ""


class DonationIn(Schema):
    warehouse_id: int
    donor: str
    contact: str = ""
    lines: list[MovementIn]


class DonationOut(Schema):
    id: int
    donor: str
    warehouse_id: int
    received_at: dt.datetime
    acknowledged_at: dt.datetime | None
    acknowledgement: str


class SupplyAckIn(Schema):
    acknowledgement: str


class DaysOut(Schema):
    item_id: int
    warehouse_id: int | None
    stock: int
    consumed: int
    demand: Decimal
    per_day: Decimal
    days: Decimal | None
    alert: bool


class PriceIn(Schema):
    market_id: int
    item_id: int
    day: dt.date
    price: str


class PriceOut(Schema):
    id: int
    market_id: int
    item_id: int
    day: dt.date
    price: Decimal
    baseline: Decimal | None
    alert: bool


class MarketOut(Schema):
    id: int
    name: str
    kind: str


@router.get("/items", response=list[ItemOut])
def items(request: HttpRequest):  # type: ignore[no-untyped-def]
    return Item.objects.restrict(request.user, "view")


@router.get("/warehouses", response=list[WarehouseOut])
def warehouses(request: HttpRequest):  # type: ignore[no-untyped-def]
    return Warehouse.objects.restrict(request.user, "view").select_related("node")


class PlaceIn(Schema):
    name: str
    kind: str
    node_code: str


def _node(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]

    return division(request.user, code)


@router.post("/warehouses", response={201: WarehouseOut})
def warehouse_new(request: HttpRequest, body: PlaceIn):  # type: ignore[no-untyped-def]
    node = _node(request, body.node_code)
    return Status(
        201, places.create_warehouse(request.user, name=body.name, kind=body.kind, node=node)
    )


@router.post("/markets", response={201: MarketOut})
def market_new(request: HttpRequest, body: PlaceIn):  # type: ignore[no-untyped-def]
    node = _node(request, body.node_code)
    return Status(
        201, places.create_market(request.user, name=body.name, kind=body.kind, node=node)
    )


@router.get("/stock", response=list[StockOut])
def stock(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Units on hand by warehouse and item for the caller's whole area."""
    rows = Balance.objects.restrict(request.user, "view").by_warehouse_item()
    return [
        {"warehouse_id": r["warehouse_id"], "item_id": r["item_id"], "quantity": r["total"]}
        for r in rows
    ]


@router.get("/warehouses/{pk}/stock", response=list[BatchStockOut])
def warehouse_stock(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    wh = record(request.user, Warehouse.objects, pk)
    rows = Balance.objects.filter(warehouse=wh, quantity__gt=0).select_related("batch")
    return [
        {
            "item_id": b.item_id,
            "batch": b.batch.code,
            "expires_on": b.batch.expires_on,
            "quantity": b.quantity,
        }
        for b in rows
    ]


@lists.paged(router, "/warehouses/{pk}/ledger", EntryOut)
def ledger(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    """Every movement of a warehouse, newest first; paged (`page`, `page_size`) with
    `count` (were cut at `limit`, 100 by default)."""
    wh = record(request.user, Warehouse.objects, pk)
    return LedgerEntry.objects.filter(warehouse=wh).select_related("batch").order_by("-at", "-pk")


@router.post("/warehouses/{pk}/movements", response={201: list[EntryOut]})
def movement(request: HttpRequest, pk: int, body: MovementIn):  # type: ignore[no-untyped-def]
    wh = record(request.user, Warehouse.objects, pk)
    user = request.user
    if body.kind == "write_off":
        return Status(201, ledger_actions.write_off_expired(user, wh))
    item = _item(body.item_id or 0)
    if body.kind == "receipt":
        out = [
            ledger_actions.receive(
                user,
                wh,
                item,
                body.quantity,
                source=body.source,
                batch_code=body.batch,
                expires_on=body.expires_on,
                reason=body.reason,
            )
        ]
    elif body.kind == "issue":
        out = ledger_actions.issue(user, wh, item, body.quantity, reason=body.reason)
    elif body.kind == "transfer":
        dest = get_object_or_404(serving_warehouses(user), pk=body.destination_id or 0)
        out = ledger_actions.transfer(user, wh, dest, item, body.quantity, reason=body.reason)
    elif body.kind == "adjustment":
        batch = get_object_or_404(item.batches.all(), code=body.batch or "-")
        result = ledger_actions.adjust(user, wh, batch, body.quantity, reason=body.reason)
        out = result if isinstance(result, list) else [result]
    else:
        from django.core.exceptions import ValidationError

        raise ValidationError(
            {"kind": _("Choose receipt, issue, transfer, adjustment or write_off.")}
        )
    return Status(201, out)


@lists.paged(router, "/requests", SupplyRequestOut)
def requests(request: HttpRequest, status: str = ""):  # type: ignore[no-untyped-def]
    """Requests in the caller's area, newest first, paged (`page`, `page_size`) with `count`."""
    qs = SupplyRequest.objects.restrict(request.user, "view").order_by("-created_at", "-pk")
    return qs.filter(status=status) if status else qs


@router.post("/requests", response={201: SupplyRequestOut})
def request_new(request: HttpRequest, body: SupplyRequestIn):  # type: ignore[no-untyped-def]
    require(request.user, "add", "supplies.supplyrequest")
    user = request.user
    source = get_object_or_404(serving_warehouses(user), pk=body.warehouse_id)
    dest = record(user, Warehouse.objects, body.destination_id) if body.destination_id else None
    req = requests_actions.submit_request(
        user,
        requester_node=user.node,  # type: ignore[union-attr]
        requester_kind=body.requester_kind,
        requester_name=body.requester_name,
        warehouse=source,
        destination=dest,
        item=_item(body.item_id),
        quantity=body.quantity,
        urgency=body.urgency,
        reason=body.reason,
    )
    return Status(201, req)


@router.get("/requests/{pk}", response=SupplyRequestOut)
def request_detail(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return record(request.user, SupplyRequest.objects, pk)


# The steps of a supply request: verb -> step(user, request, body).
REQUEST_STEPS: dict[str, Callable[[Any, SupplyRequest, StepIn], SupplyRequest]] = {
    "approve": lambda u, r, b: requests_actions.approve_request(u, r, b.quantity),
    "reject": lambda u, r, b: requests_actions.reject_request(u, r, b.reason),
    "ship": lambda u, r, b: requests_actions.ship_request(u, r),
    "receive": lambda u, r, b: requests_actions.confirm_receipt(u, r, b.quantity),
}


@router.post("/requests/{pk}/{verb}", response=SupplyRequestOut)
def request_step(request: HttpRequest, pk: int, verb: str, body: StepIn):  # type: ignore[no-untyped-def]
    req = record(request.user, SupplyRequest.objects, pk)
    step = REQUEST_STEPS.get(verb)
    if step is None:
        raise PermissionDenied(_("unknown step"))
    return step(request.user, req, body)


@router.post("/warehouses/{pk}/allocate/{item_id}", response=dict[int, int])
def allocate(request: HttpRequest, pk: int, item_id: int):  # type: ignore[no-untyped-def]
    return requests_actions.allocate(
        request.user, record(request.user, Warehouse.objects, pk), _item(item_id)
    )


@lists.paged(router, "/donations", DonationOut)
def donations(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Donations received, newest first, paged (`page`, `page_size`) with `count`."""
    return Donation.objects.restrict(request.user, "view").order_by("-received_at", "-pk")


@router.post("/donations", response={201: DonationOut})
def donation_new(request: HttpRequest, body: DonationIn):  # type: ignore[no-untyped-def]
    wh = record(request.user, Warehouse.objects, body.warehouse_id)
    lines = [
        {
            "item": _item(li.item_id or 0),
            "quantity": li.quantity,
            "batch_code": li.batch,
            "expires_on": li.expires_on,
        }
        for li in body.lines
    ]
    return Status(
        201,
        donations_actions.record_donation(
            request.user, wh, body.donor, lines, contact=body.contact
        ),
    )


@router.post("/donations/{pk}/acknowledge", response=DonationOut)
def donation_ack(request: HttpRequest, pk: int, body: SupplyAckIn):  # type: ignore[no-untyped-def]
    donation = record(request.user, Donation.objects, pk)
    return donations_actions.acknowledge_donation(request.user, donation, body.acknowledgement)


@router.get("/days-of-supply", response=list[DaysOut])
def days(request: HttpRequest, scope: str = "jurisdiction"):  # type: ignore[no-untyped-def]
    """Per item for the caller's jurisdiction, or per warehouse with scope=warehouse."""
    require(request.user, "view", "supplies.balance")
    user = request.user
    if scope == "warehouse":
        rows = supply_days.by_warehouse(user)
    else:
        node = getattr(user, "node", None)
        rows = supply_days.for_jurisdiction(user, node) if node else []
    return [
        {
            **{
                k: getattr(r, k)
                for k in ("stock", "consumed", "demand", "per_day", "days", "alert")
            },
            "item_id": r.item.pk,
            "warehouse_id": r.warehouse.pk if r.warehouse else None,
        }
        for r in rows
    ]


@router.get("/markets", response=list[MarketOut])
def markets(request: HttpRequest):  # type: ignore[no-untyped-def]
    return Market.objects.restrict(request.user, "view")


@lists.paged(router, "/prices", PriceOut)
def prices(request: HttpRequest, alerts: bool = False, item_id: int | None = None):  # type: ignore[no-untyped-def]
    qs = PriceReport.objects.restrict(request.user, "view")
    if alerts:
        qs = qs.alerts()
    if item_id:
        qs = qs.filter(item_id=item_id)
    return qs


@router.post("/prices", response={201: PriceOut})
def price_new(request: HttpRequest, body: PriceIn):  # type: ignore[no-untyped-def]
    market = record(request.user, Market.objects, body.market_id)
    require(request.user, "report", market)
    report = prices_actions.report_price(
        request.user, market, _item(body.item_id), body.day, body.price
    )
    return Status(201, report)


class BaselineIn(Schema):
    item_id: int
    node_code: str
    price: str


class BaselineOut(Schema):
    id: int
    item_id: int
    node_code: str = Field(..., alias="node.code")
    price: Decimal


@router.get("/baselines", response=list[BaselineOut])
def baselines(request: HttpRequest):  # type: ignore[no-untyped-def]
    return PriceBaseline.objects.restrict(request.user, "view").select_related("node")


@router.put("/baselines", response=BaselineOut)
def baseline_set(request: HttpRequest, body: BaselineIn):  # type: ignore[no-untyped-def]
    """Set the pre-epidemic price of an item for a place in the caller's area."""

    node = division(request.user, body.node_code)
    return prices_actions.set_baseline(request.user, _item(body.item_id), node, body.price)


@lists.paged(router, "/markets/{pk}/prices", PriceOut)
def market_prices(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    """A market's price reports, paged (`page`, `page_size`) with `count`."""
    market = record(request.user, Market.objects, pk)
    return PriceReport.objects.filter(market=market)
