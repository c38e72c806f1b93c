"""Price monitoring (价格监测): market monitors report basket prices, flagged above the
baseline share; baselines are set per place."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.core import clock
from fangkong.core.access import NotAllowed, account_of, require
from fangkong.core.querysets import allows, ancestor_paths, can_access
from fangkong.supplies import rules
from fangkong.supplies.models import (
    Item,
    Market,
    PriceBaseline,
    PriceReport,
    SupplyRules,
)


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
        PriceBaseline.objects.filter(item=item, path__in=ancestor_paths(market.path))
        .order_by("-path")
        .first()
    )
    return found.price if found else None


@transaction.atomic
def report_price(user: Any, market: Market, item: Item, day: dt.date, price: Any) -> PriceReport:
    """A market monitor's price of one basket item; flagged above the baseline share."""
    require(user, "report", market)
    rs = SupplyRules.in_force(day)
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
            "reported_by": account_of(user),
            "path": market.path,
        },
    )
    return report


@transaction.atomic
def set_baseline(user: Any, item: Item, node: Any, price: Any) -> PriceBaseline:
    if not allows(user, PriceBaseline, "change") or not can_access(user, node, "view"):
        raise NotAllowed(_("You may not set baselines here."))
    value = _price(price, SupplyRules.in_force().max_price)
    baseline, _created = PriceBaseline.objects.update_or_create(
        item=item, node=node, defaults={"price": value, "path": node.path}
    )
    return baseline
