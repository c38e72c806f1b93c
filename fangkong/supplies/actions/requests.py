"""Supply requests (物资申请): a facility or community asks the warehouse that owns the
stock; the owning level approves (or allocates by the priority rules), ships, and the
requester confirms what arrived."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.core import clock
from fangkong.core.access import NotAllowed, account_of, require
from fangkong.core.querysets import is_system
from fangkong.supplies import rules
from fangkong.supplies.actions.ledger import put_in, take_out, whole_quantity
from fangkong.supplies.choices import EntryKind, RequestStatus, Source
from fangkong.supplies.models import (
    Balance,
    Item,
    LedgerEntry,
    SupplyRequest,
    SupplyRules,
    Warehouse,
)


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
        raise NotAllowed(_("You may request only for your own area."))
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
        quantity=whole_quantity(quantity),
        urgency=urgency,
        reason=reason,
        requested_by=account_of(user),
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
    qty = req.quantity if quantity in (None, "") else whole_quantity(quantity, "approved_quantity")
    if qty > req.quantity:
        raise ValidationError(
            {"approved_quantity": _("Approve at most the %(n)s requested.") % {"n": req.quantity}}
        )
    req.status, req.approved_quantity, req.approved_by, req.approved_at = (
        RequestStatus.APPROVED,
        qty,
        account_of(user),
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
    req.status, req.approved_by, req.approved_at = (
        RequestStatus.REJECTED,
        account_of(user),
        clock.now(),
    )
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
    shares = rules.allocate(on_hand - promised, claims, SupplyRules.in_force(today).order)
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
    take_out(
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
        else whole_quantity(quantity, "received_quantity")
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
                put_in(
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
        account_of(user),
    )
    req.save(update_fields=["status", "received_quantity", "received_at", "received_by"])
    return req
