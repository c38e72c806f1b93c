"""Protective equipment issued per shift (防护物资): through the supplies ledger when that
app is installed, otherwise by name."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.core.access import account_of, actor, invalid, require
from fangkong.mobilisation.actions.fields import text, whole_number
from fangkong.mobilisation.models import (
    Assignment,
    PpeIssue,
)


@transaction.atomic
def issue_ppe(
    user: Any, assignment: Assignment, item: Any, quantity: Any, warehouse: Any = None
) -> list[PpeIssue]:
    """Issue protective equipment for one assignment. With the supplies app the units
    leave `warehouse` through its ledger (stock checked there; a shortage is refused)
    and each ledger entry is linked here; without it, `item` is a name."""
    require(user, "view", assignment)
    require(user, "add", PpeIssue)
    from django.apps import apps

    if apps.is_installed("fangkong.supplies"):
        from fangkong.supplies.actions import ledger

        if warehouse is None:
            raise invalid("warehouse", _("Choose the warehouse that issues the equipment."))
        reason = _("PPE for %(post)s, shift %(at)s") % {
            "post": assignment.shift.post.name,
            "at": timezone.localtime(assignment.starts_at).strftime("%Y-%m-%d %H:%M"),
        }
        entries = ledger.issue(user, warehouse, item, quantity, reason=reason[:200])
        out = [
            PpeIssue(
                assignment=assignment,
                item_code=str(item.pk),
                item_name=item.name,
                quantity=-e.quantity,
                ledger_entry_id=e.pk,
                issued_by=account_of(user),
            )
            for e in entries
        ]
    else:
        name = text(str(item or ""), "item", 40)
        qty = whole_number(quantity, "quantity", 1, 1000)
        out = [
            PpeIssue(
                assignment=assignment,
                item_code=name,
                item_name=name,
                quantity=qty,
                issued_by=account_of(user),
            )
        ]
    with actor(user):
        for issue in out:
            issue.save()
    return out
