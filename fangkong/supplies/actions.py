"""Every write of the supplies app, one function per verb. Each runs in one
transaction; a movement locks the balance rows it touches (select_for_update) and
decrements them with a guarded UPDATE, so two clients issuing the last units cannot
both succeed and nothing is half-written when a check fails."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from fangkong.core import clock
from fangkong.core.access import require
from fangkong.core.querysets import allows, can_access, is_system
from fangkong.supplies import rules
from fangkong.supplies.choices import EntryKind, RequestStatus, Source
from fangkong.supplies.models import (
    Balance,
    Batch,
    Donation,
    Item,
    LedgerEntry,
    Market,
    PriceBaseline,
    PriceReport,
    SupplyRequest,
    SupplyRules,
    Warehouse,
)


def rules_on(day: dt.date | None = None) -> SupplyRules:
    """The rule set in force on `day` (the defaults when none is stored yet)."""
    return SupplyRules.in_force(day)


def _who(user: Any) -> Any:
    """The account to record; None for the system (demo, imports without an account)."""
    return user if getattr(user, "pk", None) else None


def _quantity(value: Any, field: str = "quantity") -> int:
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
        user=user if getattr(user, "pk", None) else None,
        path=warehouse.path,
        **extra,
    )


def _add(
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


def _take(
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
    qty = _quantity(quantity)
    if source not in Source.values:
        raise ValidationError({"source": _("Choose donation, purchase or allocation.")})
    if expires_on is not None and expires_on < clock.today():
        raise ValidationError(
            {"expires_on": _("This batch has already expired; it may not be received.")}
        )
    batch = _batch(item, batch_code, expires_on)
    return _add(
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
    return _take(
        user,
        warehouse,
        item,
        _quantity(quantity),
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
    outs = _take(
        user,
        source,
        item,
        _quantity(quantity),
        EntryKind.TRANSFER_OUT,
        None,
        counterpart=destination,
        reason=reason,
        request=request,
    )
    for out in outs:
        _add(
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
        return _add(user, warehouse, batch, EntryKind.ADJUSTMENT, change, reason=reason)
    return _take(user, warehouse, batch.item, -change, EntryKind.ADJUSTMENT, batch, reason=reason)


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
        out += _take(
            user,
            warehouse,
            bal.item,
            bal.quantity,
            EntryKind.WRITE_OFF,
            bal.batch,
            reason=_("expired"),
        )
    return out


@transaction.atomic
def record_donation(
    user: Any, warehouse: Warehouse, donor: str, lines: Iterable[dict], contact: str = ""
) -> Donation:
    """A donation with its lines (item, quantity, batch, expiry), received at once."""
    require(user, "receive", warehouse)
    if not (donor or "").strip():
        raise ValidationError({"donor": _("Name the donor.")})
    donation = Donation.objects.create(
        donor=donor.strip(), donor_contact=contact, warehouse=warehouse, received_at=clock.now()
    )
    lines = list(lines)
    if not lines:
        raise ValidationError({"lines": _("A donation needs at least one item.")})
    for line in lines:
        receive(
            user,
            warehouse,
            line["item"],
            line["quantity"],
            source=Source.DONATION,
            batch_code=line.get("batch_code", ""),
            expires_on=line.get("expires_on"),
            donation=donation,
        )
    return donation


@transaction.atomic
def acknowledge_donation(user: Any, donation: Donation, text: str) -> Donation:
    """Record the thanks sent to the donor (致谢)."""
    require(user, "change", donation)
    if not (text or "").strip():
        raise ValidationError(
            {"acknowledgement": _("Write the acknowledgement sent to the donor.")}
        )
    donation.acknowledgement = text.strip()
    donation.acknowledged_at = clock.now()
    donation.save(update_fields=["acknowledgement", "acknowledged_at"])
    return donation


@transaction.atomic
def submit_request(
    user: Any,
    *,
    requester_node: Any,
    requester_kind: str,
    requester_name: str,
    warehouse: Warehouse,
    item: Item,
    quantity: Any,
    urgency: str = "routine",
    reason: str = "",
    destination: Warehouse | None = None,
) -> SupplyRequest:
    """A facility or community asks the warehouse that owns the stock."""
    require(user, "add", SupplyRequest, message=_("You may not request supplies."))
    node = getattr(user, "node", None)
    if node is not None and not is_system(user) and not requester_node.path.startswith(node.path):
        raise PermissionDenied(_("You may request only for your own area."))
    if not warehouse.path or not requester_node.path.startswith(warehouse.path):
        raise ValidationError(
            {"warehouse": _("This warehouse does not serve the requesting unit.")}
        )
    if destination is not None and not destination.path.startswith(requester_node.path):
        raise ValidationError(
            {"destination": _("Deliver into a warehouse of the requesting unit.")}
        )
    req = SupplyRequest(
        requester_node=requester_node,
        requester_kind=requester_kind,
        requester_name=(requester_name or "").strip() or requester_node.name,
        warehouse=warehouse,
        destination=destination,
        item=item,
        quantity=_quantity(quantity),
        urgency=urgency,
        reason=reason,
        requested_by=_who(user),
    )
    req.full_clean(exclude=["requested_by", "approved_by", "received_by", "path"])
    req.save()
    return req


def _locked(req: SupplyRequest) -> SupplyRequest:
    return (
        SupplyRequest.objects.select_for_update(of=("self",))
        .select_related("warehouse", "destination", "item")
        .get(pk=req.pk)
    )


@transaction.atomic
def approve_request(user: Any, req: SupplyRequest, quantity: Any | None = None) -> SupplyRequest:
    """Approval by the level that owns the stock; a smaller quantity is a partial one."""
    req = _locked(req)
    require(user, "approve", req.warehouse)
    if req.status != RequestStatus.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted request can be approved.")})
    qty = req.quantity if quantity in (None, "") else _quantity(quantity, "approved_quantity")
    if qty > req.quantity:
        raise ValidationError(
            {"approved_quantity": _("Approve at most the %(n)s requested.") % {"n": req.quantity}}
        )
    req.status, req.approved_quantity, req.approved_by, req.approved_at = (
        RequestStatus.APPROVED,
        qty,
        _who(user),
        clock.now(),
    )
    req.save(update_fields=["status", "approved_quantity", "approved_by", "approved_at"])
    return req


@transaction.atomic
def reject_request(user: Any, req: SupplyRequest, reason: str) -> SupplyRequest:
    req = _locked(req)
    require(user, "approve", req.warehouse)
    if req.status != RequestStatus.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted request can be rejected.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the request is rejected.")})
    req.status, req.approved_by, req.approved_at = RequestStatus.REJECTED, _who(user), clock.now()
    req.reason = (req.reason + " | " if req.reason else "") + reason.strip()
    req.save(update_fields=["status", "approved_by", "approved_at", "reason"])
    return req


@transaction.atomic
def allocate(user: Any, warehouse: Warehouse, item: Item) -> dict[int, int]:
    """Approve the submitted requests on one item by the priority rules, as far as the
    stock not yet promised reaches; requests given nothing stay submitted."""
    require(user, "approve", warehouse)
    today = clock.today()
    on_hand = sum(
        b.quantity
        for b in Balance.objects.select_for_update(of=("self",))
        .filter(warehouse=warehouse, item=item)
        .select_related("batch")
        if b.batch.expires_on is None or b.batch.expires_on >= today
    )
    promised = sum(
        r.approved_quantity or 0
        for r in SupplyRequest.objects.filter(
            warehouse=warehouse, item=item, status=RequestStatus.APPROVED
        )
    )
    pending = list(
        SupplyRequest.objects.select_for_update().filter(
            warehouse=warehouse, item=item, status=RequestStatus.SUBMITTED
        )
    )
    claims = [
        rules.Claim(r.pk, r.requester_kind, r.urgency, item.priority, r.created_at, r.quantity)
        for r in pending
    ]
    shares = rules.allocate(on_hand - promised, claims, rules_on(today).order)
    for req in pending:
        if shares.get(req.pk):
            approve_request(user, req, shares[req.pk])
    return shares


@transaction.atomic
def ship_request(user: Any, req: SupplyRequest) -> SupplyRequest:
    """Take the approved units out of the owning warehouse and send them."""
    req = _locked(req)
    require(user, "issue", req.warehouse)
    if req.status != RequestStatus.APPROVED:
        raise ValidationError({"status": _("Only an approved request can be shipped.")})
    qty = req.approved_quantity or 0
    _take(
        user,
        req.warehouse,
        req.item,
        qty,
        EntryKind.TRANSFER_OUT if req.destination_id else EntryKind.ISSUE,
        None,
        counterpart=req.destination,
        request=req,
        reason=_("request #%(n)s") % {"n": req.pk},
    )
    req.status, req.shipped_quantity, req.shipped_at = RequestStatus.SHIPPED, qty, clock.now()
    req.save(update_fields=["status", "shipped_quantity", "shipped_at"])
    return req


@transaction.atomic
def confirm_receipt(user: Any, req: SupplyRequest, quantity: Any | None = None) -> SupplyRequest:
    """The requester confirms what arrived; into its own warehouse when it has one."""
    req = _locked(req)
    require(user, "receive", req)
    if req.status != RequestStatus.SHIPPED:
        raise ValidationError({"status": _("Only a shipped request can be received.")})
    qty = (
        req.shipped_quantity or 0
        if quantity in (None, "")
        else _quantity(quantity, "received_quantity")
    )
    if qty > (req.shipped_quantity or 0):
        raise ValidationError(
            {"received_quantity": _("More than the %(n)s shipped.") % {"n": req.shipped_quantity}}
        )
    if req.destination_id:
        sent = (
            LedgerEntry.objects.filter(request=req, warehouse=req.warehouse)
            .select_related("batch")
            .order_by("pk")
        )
        left = qty
        for out in sent:
            take = min(-out.quantity, left)
            if take > 0:
                _add(
                    user,
                    req.destination,  # type: ignore[arg-type]
                    out.batch,
                    EntryKind.RECEIPT,
                    take,
                    source=Source.ALLOCATION,
                    counterpart=req.warehouse,
                    request=req,
                )
                left -= take
    req.status, req.received_quantity, req.received_at, req.received_by = (
        RequestStatus.RECEIVED,
        qty,
        clock.now(),
        _who(user),
    )
    req.save(update_fields=["status", "received_quantity", "received_at", "received_by"])
    return req


def _price(value: Any, max_price: Decimal) -> Decimal:
    try:
        price = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({"price": _("Enter a price in yuan, e.g. 3.50.")}) from None
    problem = rules.price_problem(price, max_price)
    if problem:
        raise ValidationError({"price": problem})
    return price


def baseline_for(market: Market, item: Item) -> Decimal | None:
    """The baseline of the nearest place at or above the market."""
    found = (
        PriceBaseline.objects.filter(item=item, path__in=_prefixes(market.path))
        .order_by("-path")
        .first()
    )
    return found.price if found else None


def _prefixes(path: str) -> list[str]:
    from fangkong.supplies.querysets import ancestor_paths

    return ancestor_paths(path)


@transaction.atomic
def report_price(user: Any, market: Market, item: Item, day: dt.date, price: Any) -> PriceReport:
    """A market monitor's price of one basket item; flagged above the baseline share."""
    require(user, "report", market)
    rs = rules_on(day)
    value = _price(price, rs.max_price)
    if day > clock.today():
        raise ValidationError({"day": _("A price cannot be reported for a future day.")})
    base = baseline_for(market, item)
    report, _created = PriceReport.objects.update_or_create(
        market=market,
        item=item,
        day=day,
        defaults={
            "price": value,
            "baseline": base,
            "alert": rules.price_alert(value, base, rs.price_alert_share),
            "reported_by": user if getattr(user, "pk", None) else None,
            "path": market.path,
        },
    )
    return report


@transaction.atomic
def set_baseline(user: Any, item: Item, node: Any, price: Any) -> PriceBaseline:
    if not allows(user, PriceBaseline, "change") or not can_access(user, node, "view"):
        raise PermissionDenied(_("You may not set baselines here."))
    value = _price(price, rules_on().max_price)
    baseline, _created = PriceBaseline.objects.update_or_create(
        item=item, node=node, defaults={"price": value, "path": node.path}
    )
    return baseline


def _place(user: Any, model: Any, node: Any) -> None:
    from fangkong.core.querysets import _path_of

    require(user, "add", model, message=_("You may not do this here."))
    path = _path_of(user)
    if path is not None and (not path or not node.path.startswith(path)):
        raise PermissionDenied(_("You may not do this here."))


@transaction.atomic
def create_warehouse(user: Any, *, name: str, kind: str, node: Any) -> Warehouse:
    """A warehouse of a node in the user's area."""
    _place(user, Warehouse, node)
    wh = Warehouse(name=(name or "").strip(), kind=kind, node=node)
    wh.full_clean(exclude=["path"])
    wh.save()
    return wh


@transaction.atomic
def create_market(user: Any, *, name: str, kind: str, node: Any) -> Market:
    """A monitored market or supermarket of a node in the user's area."""
    _place(user, Market, node)
    market = Market(name=(name or "").strip(), kind=kind, node=node)
    market.full_clean(exclude=["path"])
    market.save()
    return market
