"""Registrations into the shared registries: audit, home cards, demo steps, and the
clinical demo's direct report (through the report card)."""

from typing import Any

from django.utils.translation import gettext_lazy as _


def register_hooks() -> None:
    from auditlog.registry import auditlog

    from fangkong.clinical.hooks import register_demo_reporter
    from fangkong.core import demo_steps, home
    from fangkong.exchange import models as m
    from fangkong.exchange.demo import demo_step, report_case

    auditlog.register(m.HandoverRequest, exclude_fields=["path", "id_number_enc", "phone_enc"])
    auditlog.register(m.Partner, exclude_fields=["path"])
    auditlog.register(m.ExchangeRules)
    auditlog.register(m.CardVersion, exclude_fields=["fields_enc"])

    from django.db.models.signals import post_save

    from fangkong.screening.models import ScreeningSubject

    def follow_subject(sender: Any, instance: Any, update_fields: Any = None, **kw: Any) -> None:
        """A received request stays with its person: when the town places or moves the
        screening subject, the request moves to the same node."""
        if update_fields is not None and "path" not in update_fields:
            return
        m.HandoverRequest.objects.filter(subject=instance, direction="in").exclude(
            path=instance.path
        ).update(node=instance.node_id, path=instance.path)

    post_save.connect(
        follow_subject, sender=ScreeningSubject, weak=False, dispatch_uid="exchange_follow"
    )

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
    demo_steps.register("exchange", demo_step)
    register_demo_reporter(report_case)

    from fangkong.geo import counters

    counters.register_rows(
        "exchange_overdue",
        _("Hand-over requests overdue"),
        lambda user: m.HandoverRequest.objects.restrict(user).overdue(),
    )
