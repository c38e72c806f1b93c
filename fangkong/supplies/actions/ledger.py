"""The stock ledger (台账): receipts (入库), issues (出库), transfers between warehouses
(调拨), count adjustments (盘点) and write-offs of expired batches. Each verb runs in one
transaction; a movement locks the balance rows it touches (select_for_update) and
decrements them with a guarded UPDATE, so two clients issuing the last units cannot
both succeed and nothing is half-written when a check fails."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from fangkong.core import clock
from fangkong.core.access import account_of, require
from fangkong.supplies import rules
from fangkong.supplies.choices import EntryKind, Source
from fangkong.supplies.models import (
    Balance,
    Batch,
    Donation,
    Item,
    LedgerEntry,
    SupplyRequest,
    Warehouse,
)


def whole_quantity(value: Any, field: str = "quantity") -> int:
    try:
        qty = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Enter a whole number of units.")}) from None
    if qty <= 0:
        raise ValidationError({field: _("The quantity must be more than zero.")})
    return qty


def _entry(user: Any, warehouse: Warehouse, batch: Batch, kind: str, qty: int, **extra: Any):  # type: ignore[no-untyped-def]
    return LedgerEntry(
        warehouse=warehouse,
        item_id=batch.item_id,
        batch=batch,
        kind=kind,
        quantity=qty,
        at=clock.now(),
        user=account_of(user),
        path=warehouse.path,
        **extra,
    )


def put_in(
    user: Any, warehouse: Warehouse, batch: Batch, kind: str, qty: int, **extra: Any
) -> LedgerEntry:
    """Put `qty` units of `batch` into `warehouse`: lock (or create) its balance row."""
    bal, _created = Balance.objects.get_or_create(
        warehouse=warehouse, item_id=batch.item_id, batch=batch, defaults={"path": warehouse.path}
    )
    Balance.objects.filter(pk=bal.pk).update(
        quantity=F("quantity") + qty
    )  # UPDATE takes the row lock
    entry = _entry(user, warehouse, batch, kind, qty, **extra)
    entry.save()
    return entry


def take_out(
    user: Any,
    warehouse: Warehouse,
    item: Item,
    qty: int,
    kind: str,
    batch: Batch | None = None,
    **extra: Any,
) -> list[LedgerEntry]:
    """Take `qty` units out, earliest expiry first (or from `batch`), under row locks."""
    today = clock.today()
    if batch is not None and batch.expires_on is not None and batch.expires_on < today:
        if kind not in (EntryKind.WRITE_OFF, EntryKind.ADJUSTMENT):
            raise ValidationError(
                {
                    "batch": _("Batch %(code)s expired on %(day)s and may not be issued.")
                    % {"code": batch.code, "day": batch.expires_on}
                }
            )
    locked = Balance.objects.select_for_update(of=("self",)).filter(warehouse=warehouse, item=item)
    if batch is not None:
        locked = locked.filter(batch=batch)
    rows = list(locked.select_related("batch").order_by("pk"))
    held = [(b.batch_id, b.batch.expires_on, b.quantity) for b in rows]
    if kind in (EntryKind.WRITE_OFF, EntryKind.ADJUSTMENT) and batch is not None:
        # Expired units may be written off or counted down, never handed out.
        held = [(b, None, q) for b, _e, q in held]
    try:
        picks = rules.pick_batches(held, qty, today)
    except rules.Shortage as exc:
        expired = sum(q for _b, e, q in held if e is not None and e < today)
        msg = _("Only %(n)s %(unit)s of %(item)s in stock at %(wh)s; %(want)s asked for.") % {
            "n": exc.available,
            "unit": item.unit,
            "item": item.name,
            "wh": warehouse.name,
            "want": qty,
        }
        if expired:
            msg += " " + _("%(n)s more are in expired batches.") % {"n": expired}
        raise ValidationError({"quantity": msg}) from None
    by_batch = {b.batch_id: b for b in rows}
    entries = []
    for batch_id, take in picks:
        done = Balance.objects.filter(pk=by_batch[batch_id].pk, quantity__gte=take).update(
            quantity=F("quantity") - take
        )
        if done != 1:  # cannot happen under the lock; the guard keeps the invariant anyway
            raise ValidationError({"quantity": _("Stock changed meanwhile; try again.")})
        entries.append(_entry(user, warehouse, by_batch[batch_id].batch, kind, -take, **extra))
    LedgerEntry.objects.bulk_create(entries)
    return entries


def _batch(item: Item, code: str, expires_on: dt.date | None) -> Batch:
    code = (code or "").strip() or "-"
    batch, created = Batch.objects.get_or_create(
        item=item, code=code, defaults={"expires_on": expires_on}
    )
    if not created and expires_on and batch.expires_on != expires_on:
        raise ValidationError(
            {
                "expires_on": _("Batch %(code)s is recorded with expiry %(day)s.")
                % {"code": code, "day": batch.expires_on}
            }
        )
    return batch


@transaction.atomic
def receive(
    user: Any,
    warehouse: Warehouse,
    item: Item,
    quantity: Any,
    *,
    source: str,
    batch_code: str = "",
    expires_on: dt.date | None = None,
    donation: Donation | None = None,
    request: SupplyRequest | None = None,
    reason: str = "",
) -> LedgerEntry:
    """A receipt from a donation, a purchase or an allocation."""
    require(user, "receive", warehouse)
    qty = whole_quantity(quantity)
    if source not in Source.values:
        raise ValidationError({"source": _("Choose donation, purchase or allocation.")})
    if expires_on is not None and expires_on < clock.today():
        raise ValidationError(
            {"expires_on": _("This batch has already expired; it may not be received.")}
        )
    batch = _batch(item, batch_code, expires_on)
    return put_in(
        user,
        warehouse,
        batch,
        EntryKind.RECEIPT,
        qty,
        source=source,
        donation=donation,
        request=request,
        reason=reason,
    )


@transaction.atomic
def issue(
    user: Any,
    warehouse: Warehouse,
    item: Item,
    quantity: Any,
    *,
    reason: str = "",
    batch: Batch | None = None,
    request: SupplyRequest | None = None,
) -> list[LedgerEntry]:
    """Hand units out for use (consumption)."""
    require(user, "issue", warehouse)
    return take_out(
        user,
        warehouse,
        item,
        whole_quantity(quantity),
        EntryKind.ISSUE,
        batch,
        reason=reason,
        request=request,
    )


@transaction.atomic
def transfer(
    user: Any,
    source: Warehouse,
    destination: Warehouse,
    item: Item,
    quantity: Any,
    *,
    reason: str = "",
    request: SupplyRequest | None = None,
) -> list[LedgerEntry]:
    """Move units between warehouses: out of one and into the other, same batches."""
    require(user, "issue", source)
    if source.pk == destination.pk:
        raise ValidationError({"destination": _("Choose another warehouse.")})
    outs = take_out(
        user,
        source,
        item,
        whole_quantity(quantity),
        EntryKind.TRANSFER_OUT,
        None,
        counterpart=destination,
        reason=reason,
        request=request,
    )
    for out in outs:
        put_in(
            user,
            destination,
            out.batch,
            EntryKind.TRANSFER_IN,
            -out.quantity,
            counterpart=source,
            reason=reason,
            request=request,
        )
    return outs


@transaction.atomic
def adjust(
    user: Any, warehouse: Warehouse, batch: Batch, delta: Any, *, reason: str
) -> LedgerEntry | list[LedgerEntry]:
    """A stock count correction (盘点调整); the reason is required."""
    require(user, "adjust", warehouse)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the stock is adjusted.")})
    try:
        change = int(delta)
    except (TypeError, ValueError):
        raise ValidationError(
            {"delta": _("Enter a whole number of units (negative to reduce).")}
        ) from None
    if change == 0:
        raise ValidationError({"delta": _("An adjustment of zero changes nothing.")})
    if change > 0:
        return put_in(user, warehouse, batch, EntryKind.ADJUSTMENT, change, reason=reason)
    return take_out(
        user, warehouse, batch.item, -change, EntryKind.ADJUSTMENT, batch, reason=reason
    )


@transaction.atomic
def write_off_expired(user: Any, warehouse: Warehouse) -> list[LedgerEntry]:
    """Write off every expired batch still on hand (过期报废)."""
    require(user, "adjust", warehouse)
    today = clock.today()
    out: list[LedgerEntry] = []
    expired = Balance.objects.filter(
        warehouse=warehouse, quantity__gt=0, batch__expires_on__lt=today
    ).select_related("batch", "item")
    for bal in list(expired):
        out += take_out(
            user,
            warehouse,
            bal.item,
            bal.quantity,
            EntryKind.WRITE_OFF,
            bal.batch,
            reason=_("expired"),
        )
    return out
