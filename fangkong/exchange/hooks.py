"""Registrations into the shared registries: home cards and the clinical demo's direct
report (through the report card)."""

from typing import Any

from django.utils.translation import gettext_lazy as _


def register_hooks() -> None:
    from django.db.models.signals import post_save

    from fangkong.clinical.hooks import register_demo_reporter
    from fangkong.core import home
    from fangkong.exchange import models as m
    from fangkong.exchange.demo import report_case
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
    register_demo_reporter(report_case)

    from fangkong.geo import counters

    counters.register_rows(
        "exchange_overdue",
        _("Hand-over requests overdue"),
        lambda user: m.HandoverRequest.objects.restrict(user).overdue(),
    )
