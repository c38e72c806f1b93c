"""Where command meets the rest: agenda items from the briefing, home cards."""

import datetime as dt
from typing import Any

from django.apps import apps
from django.utils.translation import gettext_lazy as _


def agenda_items(node: Any, day: dt.date) -> list[str]:
    """Items for the day's meeting from the stored briefing, when the briefing app exists."""
    if not apps.is_installed("fangkong.briefing"):
        return []
    from fangkong.briefing.agenda import agenda_from_briefing

    return agenda_from_briefing(node, day)


def register_hooks() -> None:
    from fangkong.command.models import Directive, DirectiveReceipt, ReportTemplate
    from fangkong.core import home

    home.register(
        home.Card(
            _("Command"),
            "command:dashboard",
            "command.directive",
            "view",
            _("Response level, targets, task forces, meetings"),
        )
    )
    home.register(
        home.Card(
            _("Directives to acknowledge"),
            "command:inbox",
            "command.directivereceipt",
            "view",
            _("Directives addressed to your organisation and what is still owed"),
            lambda user: (
                DirectiveReceipt.objects.restrict(user, "view")
                .filter(node=user.node)
                .pending()
                .count()
                if user.node_id
                else 0
            ),
        )
    )
    home.register(
        home.Card(
            _("Reports upward"),
            "command:reports",
            "command.reporttemplate",
            "view",
            _("Scheduled reports, who is late, completeness and timeliness"),
            lambda user: ReportTemplate.objects.restrict(user, "view").count(),
        )
    )
    del Directive
