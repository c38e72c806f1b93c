"""`{% handover_link contact=… %}` / `{% handover_link subject=… %}`: the button that
starts a hand-over request (协查) from another app's page, shown to roles that may."""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def handover_link(context: Any, **source: Any) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    if not user.may("exchange.handoverrequest", "add"):
        return ""
    key, value = next(iter(source.items()))
    url = f"{reverse('exchange:new')}?{key}={int(value)}"
    return format_html(
        '<p><a class="btn secondary" href="{}">{}</a></p>',
        url,
        _("Lives in another city: hand over (协查)"),
    )


@register.simple_tag(takes_context=True)
def report_card_link(context: Any, case: Any) -> str:
    """On a case page: the direct report (网络直报) is done through the report card —
    exported, then acknowledged — not by a tick."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    if not user.may("exchange.reportcard", "view") or not case.report_due:
        return ""
    if case.reported_at:
        return ""
    return format_html(
        '<a class="btn" href="{}">{}</a>',
        reverse("exchange:cards"),
        _("Direct report: export the report card"),
    )
