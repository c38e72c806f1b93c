"""Business rules of supervision, as plain functions over plain values."""

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _

from fangkong.supervision.choices import RectificationStatus

MAX_CHECK_ITEMS = 60
MAX_ITEM_LEN = 200


def is_overdue(status: str, deadline: dt.date, today: dt.date, grace_days: int = 0) -> bool:
    """A task is overdue while the owner has not answered (or was sent back) and the
    deadline plus the grace days has passed. A reply awaiting verification is the
    inspector's turn, not the owner's, so it does not escalate."""
    return status == RectificationStatus.OPEN and deadline < today - dt.timedelta(days=grace_days)


def escalation_path(owner_path: str) -> str:
    """The node above the owner ('3306/330602/330602001/' → '3306/330602/'); the city
    escalates to itself."""
    parts = [p for p in owner_path.split("/") if p]
    if len(parts) <= 1:
        return owner_path
    return "/".join(parts[:-1]) + "/"


def may_close(status: str) -> bool:
    return status == RectificationStatus.VERIFIED


def clean_items(items: Iterable[object]) -> list[str]:
    """Check items as stripped, non-empty, bounded strings; raises ValueError."""
    out = []
    for raw in items:
        if not isinstance(raw, str):
            raise ValueError(_("Each check item must be text."))
        text = raw.strip()
        if not text:
            continue
        if len(text) > MAX_ITEM_LEN:
            raise ValueError(
                _("A check item is longer than %(n)d characters.") % {"n": MAX_ITEM_LEN}
            )
        out.append(text)
    if not out:
        raise ValueError(_("A checklist needs at least one item."))
    if len(out) > MAX_CHECK_ITEMS:
        raise ValueError(_("A checklist holds at most %(n)d items.") % {"n": MAX_CHECK_ITEMS})
    return out


def rectification_state(status: str, deadline: dt.date, today: dt.date, grace: int) -> str:
    """The state shown in lists: the stored status, or 'overdue' derived from the date."""
    return "overdue" if is_overdue(status, deadline, today, grace) else status
