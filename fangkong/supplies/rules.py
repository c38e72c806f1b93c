"""The business rules of supplies as plain functions over plain values: batch picking
(first expiry, first out), allocation by priority, days of supply and price alerts."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

URGENCY_ORDER = {"critical": 0, "urgent": 1, "routine": 2}


class Shortage(ValueError):
    """More units asked for than the usable stock holds."""

    def __init__(self, wanted: int, available: int) -> None:
        super().__init__(wanted, available)
        self.wanted = wanted
        self.available = available


def pick_batches(
    balances: Sequence[tuple[int, dt.date | None, int]], wanted: int, today: dt.date
) -> list[tuple[int, int]]:
    """(batch id, take) from (batch id, expiry, on hand), earliest expiry first; expired
    batches are never issued. Raises Shortage when the usable stock is too small."""
    usable = sorted(
        (b for b in balances if b[2] > 0 and (b[1] is None or b[1] >= today)),
        key=lambda b: (b[1] is None, b[1] or dt.date.max, b[0]),
    )
    available = sum(b[2] for b in usable)
    if wanted > available:
        raise Shortage(wanted, available)
    picks, left = [], wanted
    for batch_id, _expiry, qty in usable:
        if left == 0:
            break
        take = min(qty, left)
        picks.append((batch_id, take))
        left -= take
    return picks


@dataclass(frozen=True)
class Claim:
    id: int
    kind: str
    urgency: str
    item_priority: int
    submitted: dt.datetime
    quantity: int


def allocate(available: int, claims: Sequence[Claim], order: Sequence[str]) -> dict[int, int]:
    """Share `available` units among claims: requester kind in rule order (front-line
    medical first), then urgency, then first come; partial allocation allowed."""
    rank = {kind: i for i, kind in enumerate(order)}
    ranked = sorted(
        claims,
        key=lambda c: (
            rank.get(c.kind, len(rank)),
            URGENCY_ORDER.get(c.urgency, 9),
            c.item_priority,
            c.submitted,
            c.id,
        ),
    )
    out: dict[int, int] = {}
    left = max(0, available)
    for claim in ranked:
        give = min(claim.quantity, left)
        out[claim.id] = give
        left -= give
    return out


def daily_use(consumed: int, window_days: int, demand_per_day: Decimal) -> Decimal:
    """Units used per day: the larger of the recent issue rate and the epidemic demand
    (issues cover the demand they meet, so the two are not added)."""
    rate = Decimal(consumed) / Decimal(max(window_days, 1))
    return max(rate, demand_per_day)


def days_of_supply(stock: int, per_day: Decimal) -> Decimal | None:
    """Days the stock lasts at `per_day`; None when nothing is being used."""
    if per_day <= 0:
        return None
    return (Decimal(stock) / per_day).quantize(Decimal("0.1"))


def below_threshold(days: Decimal | None, alert_days: int) -> bool:
    return days is not None and days < alert_days


def epidemic_demand(
    beds_occupied: int,
    observed: int,
    per_bed_day: Decimal,
    per_observed_day: Decimal,
    checkpoint_shifts: int = 0,
    per_checkpoint_shift: Decimal = Decimal(0),
) -> Decimal:
    """Daily demand: occupied beds, persons under observation and (mobilisation hook)
    staffed checkpoint shifts of the day, each at the item's use rate."""
    return (
        Decimal(beds_occupied) * per_bed_day
        + Decimal(observed) * per_observed_day
        + Decimal(checkpoint_shifts) * per_checkpoint_shift
    )


def price_alert(price: Decimal, baseline: Decimal | None, share: Decimal) -> bool:
    """Above the baseline by more than `share` (0.10 = 10 %)."""
    if baseline is None or baseline <= 0:
        return False
    return price > baseline * (1 + share)


def price_problem(price: Decimal | None, max_price: Decimal) -> str | None:
    """Why a reported price is refused, or None."""
    from django.utils.translation import gettext as _

    if price is None or price <= 0:
        return _("A price must be more than zero.")
    if price > max_price:
        return _("A price above %(max)s yuan is not plausible; check the unit.") % {
            "max": max_price
        }
    return None
