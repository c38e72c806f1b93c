"""Excel in and out (officials live in Excel): stock counts, requests and prices are
read with python-calamine and written with openpyxl. Each imported row goes through
the same action as the pages, in its own transaction; a refused row is reported with
its reason and leaves nothing behind."""

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from fangkong.supplies.actions import ledger, prices, requests
from fangkong.supplies.models import (
    Balance,
    Batch,
    Item,
    Market,
    PriceReport,
    SupplyRequest,
    Warehouse,
)
from fangkong.supplies.querysets import serving_warehouses

STOCK_HEADERS = ["warehouse", "item", "batch", "expires_on", "quantity"]
REQUEST_HEADERS = [
    "id",
    "requester",
    "requester_kind",
    "requester_code",
    "warehouse",
    "item",
    "quantity",
    "urgency",
    "status",
    "approved_quantity",
    "shipped_quantity",
    "received_quantity",
    "created_at",
    "approved_at",
    "shipped_at",
    "received_at",
    "reason",
]
PRICE_HEADERS = ["day", "market", "item", "price", "baseline", "alert"]


@dataclass
class Report:
    done: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


def _workbook(headers: list[str], rows: Any) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(headers)
    for row in rows:
        ws.append([v.replace(tzinfo=None) if isinstance(v, dt.datetime) else v for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_stock(user: Any) -> bytes:
    qs = (
        Balance.objects.restrict(user, "view")
        .filter(quantity__gt=0)
        .select_related("warehouse", "item", "batch")
        .order_by("warehouse__path", "warehouse__name", "item__name", "batch__code")
    )
    return _workbook(
        STOCK_HEADERS,
        (
            [b.warehouse.name, b.item.name, b.batch.code, b.batch.expires_on, b.quantity]
            for b in qs.iterator()
        ),
    )


def export_requests(user: Any) -> bytes:
    qs = SupplyRequest.objects.restrict(user, "view").select_related(
        "warehouse", "item", "requester_node"
    )
    return _workbook(
        REQUEST_HEADERS,
        (
            [
                r.pk,
                r.requester_name,
                r.requester_kind,
                r.requester_node.code,
                r.warehouse.name,
                r.item.name,
                r.quantity,
                r.urgency,
                r.status,
                r.approved_quantity,
                r.shipped_quantity,
                r.received_quantity,
                r.created_at,
                r.approved_at,
                r.shipped_at,
                r.received_at,
                r.reason,
            ]
            for r in qs.iterator()
        ),
    )


def export_prices(user: Any) -> bytes:
    qs = PriceReport.objects.restrict(user, "view").select_related("market", "item")
    return _workbook(
        PRICE_HEADERS,
        ([p.day, p.market.name, p.item.name, p.price, p.baseline, p.alert] for p in qs.iterator()),
    )


def read_rows(data: bytes) -> list[dict[str, Any]]:
    """The first sheet as dicts keyed by the header row (lower-cased, trimmed)."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        rows = sheet.to_python()
    except (CalamineError, ValueError, OSError) as exc:
        raise ValidationError({"file": _("The workbook cannot be read: %s") % exc}) from None
    if not rows:
        raise ValidationError({"file": _("The file is empty.")})
    headers = [str(h).strip().lower() for h in rows[0]]
    return [dict(zip(headers, r, strict=False)) for r in rows[1:] if any(str(v).strip() for v in r)]


def _text(row: dict, key: str) -> str:
    value = row.get(key)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError({"day": _("Dates are written 2020-02-15.")}) from None


def _one(qs: Any, name: str, field: str) -> Any:
    found = qs.filter(name=name).first()
    if found is None:
        raise ValidationError(
            {field: _("Unknown %(field)s: %(name)s") % {"field": field, "name": name}}
        )
    return found


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        return " ".join(exc.messages)
    return str(exc) or _("refused")


def _each(rows: list[dict], fn: Any) -> Report:
    report = Report()
    for number, row in enumerate(rows, start=2):
        try:
            with transaction.atomic():
                fn(row)
        except (ValidationError, PermissionDenied) as exc:
            report.rejected.append((number, _message(exc)))
        else:
            report.done += 1
    return report


def import_stock(user: Any, data: bytes) -> Report:
    """A stock count: each row sets a batch's units on hand by an adjustment entry."""
    houses = Warehouse.objects.restrict(user, "adjust")

    def apply(row: dict) -> None:
        wh = _one(houses, _text(row, "warehouse"), "warehouse")
        item = _one(Item.objects.all(), _text(row, "item"), "item")
        try:
            counted = int(float(_text(row, "quantity")))
        except ValueError:
            raise ValidationError({"quantity": _("Enter a whole number of units.")}) from None
        if counted < 0:
            raise ValidationError({"quantity": _("A counted stock cannot be negative.")})
        batch, _created = Batch.objects.get_or_create(
            item=item,
            code=_text(row, "batch") or "-",
            defaults={"expires_on": _date(row.get("expires_on"))},
        )
        held = (
            Balance.objects.filter(warehouse=wh, batch=batch).aggregate(n=Sum("quantity"))["n"] or 0
        )
        if counted != held:
            ledger.adjust(user, wh, batch, counted - held, reason=_("stock count"))

    return _each(read_rows(data), apply)


def import_requests(user: Any, data: bytes) -> Report:
    from fangkong.geo.models import Division

    sources = serving_warehouses(user)

    def apply(row: dict) -> None:
        node = Division.objects.filter(code=_text(row, "requester_code")).first()
        if node is None:
            raise ValidationError({"requester_code": _("Unknown jurisdiction code.")})
        requests.submit_request(
            user,
            requester_node=node,
            requester_kind=_text(row, "requester_kind") or "community",
            requester_name=_text(row, "requester"),
            warehouse=_one(sources, _text(row, "warehouse"), "warehouse"),
            item=_one(Item.objects.all(), _text(row, "item"), "item"),
            quantity=_text(row, "quantity"),
            urgency=_text(row, "urgency") or "routine",
            reason=_text(row, "reason"),
        )

    return _each(read_rows(data), apply)


def import_prices(user: Any, data: bytes) -> Report:
    markets = Market.objects.restrict(user, "report")

    def apply(row: dict) -> None:
        day = _date(row.get("day"))
        if day is None:
            raise ValidationError({"day": _("The day is missing.")})
        prices.report_price(
            user,
            _one(markets, _text(row, "market"), "market"),
            _one(Item.objects.all(), _text(row, "item"), "item"),
            day,
            _text(row, "price"),
        )

    return _each(read_rows(data), apply)
