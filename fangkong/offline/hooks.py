"""What the offline app adds to shared pages: home cards and audit registration."""

from typing import Any

from django.utils.translation import gettext_lazy as _


def _waiting(user: Any) -> int:
    from django.db.models import Sum

    from fangkong.offline.models import DeviceStatus

    qs = DeviceStatus.objects.restrict(user, "view")
    return int(qs.aggregate(n=Sum("waiting"))["n"] or 0)


def register() -> None:
    from fangkong.core import home

    home.register(
        home.Card(
            _("Work without a signal"),
            "offline:workbench",
            "offline.syncreceipt",
            "add",
            _(
                "Keep today's visits on the phone, record them offline, send when the signal returns"
            ),
        )
    )
    home.register(
        home.Card(
            _("Phones waiting to send"),
            "offline:status",
            "offline.devicestatus",
            "view",
            _("Items recorded offline not yet sent, per worker; visits whose task was gone"),
            _waiting,
        )
    )
    home.register(
        home.Card(
            _("Rules for work without a signal"),
            "offline:rules",
            "offline.offlinerules",
            "view",
            _("How long a phone keeps today's work, how much it sends and holds"),
        )
    )
