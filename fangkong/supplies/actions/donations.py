"""Donations (捐赠): a donor's lines received into a warehouse at once, and the thanks
sent back (致谢)."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.core import clock
from fangkong.core.access import require
from fangkong.supplies.actions.ledger import receive
from fangkong.supplies.choices import Source
from fangkong.supplies.models import (
    Donation,
    Warehouse,
)


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
