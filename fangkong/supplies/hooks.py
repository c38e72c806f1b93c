"""What supplies adds to shared pages: audit registration, a home card, a column in the
jurisdiction browser (open requests) and the demo step."""

from typing import Any

from django.utils.translation import gettext_lazy as _


def _open_requests(user: Any) -> int:
    from fangkong.supplies.models import SupplyRequest

    return SupplyRequest.objects.restrict(user, "view").open().count()


def register_hooks() -> None:
    from fangkong.core import home
    from fangkong.geo import counters
    from fangkong.supplies.models import SupplyRequest

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
