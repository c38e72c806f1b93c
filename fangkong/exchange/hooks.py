"""Registrations into the shared registries: audit and home cards."""

from typing import Any

from django.utils.translation import gettext_lazy as _


def register_hooks() -> None:
    from auditlog.registry import auditlog

    from fangkong.core import home
    from fangkong.exchange import models as m

    auditlog.register(m.HandoverRequest, exclude_fields=["path", "id_number_enc", "phone_enc"])
    auditlog.register(m.Partner, exclude_fields=["path"])
    auditlog.register(m.ExchangeRules)
    auditlog.register(m.CardVersion, exclude_fields=["fields_enc"])

    def open_requests(user: Any) -> int:
        return m.HandoverRequest.objects.restrict(user).unanswered().count()

    home.register(
        home.Card(
            _("Hand-over between cities"),
            "exchange:requests",
            "exchange.handoverrequest",
            "view",
            _("Requests sent to or received from other cities, not yet answered"),
            open_requests,
        )
    )
    home.register(
        home.Card(
            _("National report cards"),
            "exchange:cards",
            "exchange.reportcard",
            "view",
            _("Cases to export as report cards, acknowledgements to record"),
            None,
        )
    )
