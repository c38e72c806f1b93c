"""What supplies adds to shared pages: audit registration, a home card, a column in the
jurisdiction browser (open requests) and the demo step."""

from typing import Any

from django.utils.translation import gettext_lazy as _


def _open_requests(user: Any) -> int:
    from fangkong.supplies.models import SupplyRequest

    return SupplyRequest.objects.restrict(user, "view").open().count()


def register_hooks() -> None:
    from auditlog.registry import auditlog

    from fangkong.core import demo_steps, home
    from fangkong.geo import counters
    from fangkong.supplies.models import (
        Donation,
        Item,
        Market,
        PriceBaseline,
        SupplyRequest,
        SupplyRules,
        Warehouse,
    )

    auditlog.register(Item)
    auditlog.register(SupplyRules)
    auditlog.register(Warehouse, exclude_fields=["created_at", "updated_at", "path"])
    auditlog.register(Donation, exclude_fields=["path"])
    auditlog.register(SupplyRequest, exclude_fields=["created_at", "updated_at", "path"])
    auditlog.register(Market, exclude_fields=["path"])
    auditlog.register(PriceBaseline, exclude_fields=["path"])

    counters.register_rows(
        "supplies",
        _("Open supply requests"),
        lambda user: SupplyRequest.objects.restrict(user, "view").open(),
    )

    home.register(
        home.Card(
            _("Supplies"),
            "supplies:index",
            "supplies.warehouse",
            "view",
            _("Stock, requests, days of supply and necessity prices"),
            _open_requests,
        )
    )

    def demo(seed: int) -> str:
        from fangkong.supplies.demo import run

        return run(seed)

    demo_steps.register("supplies", demo)
