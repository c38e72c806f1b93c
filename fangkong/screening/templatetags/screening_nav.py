"""The screening pages' own row of links: only those the account's role works with."""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

register = template.Library()

# (url name, title, the grant that makes it the role's work)
LINKS: tuple[tuple[str, Any, str, str], ...] = (
    ("screening:today", _("Today's visits"), "screening.screeningtask", "visit"),
    ("screening:progress", _("Progress"), "screening.screeningtask", "view"),
    ("screening:lists", _("Pushed lists"), "screening.pushedlist", "view"),
    ("screening:exceptions", _("Exceptions"), "screening.exceptionitem", "view"),
    ("screening:handovers", _("Handover pending"), "screening.screeningtask", "view"),
    ("screening:village_tasks", _("Not yet in a grid"), "screening.screeningtask", "transfer"),
    # Places are kept by towns and above: a village reads them, and the links are not its.
    ("screening:aliases", _("Address aliases"), "screening.addressalias", "add"),
    ("screening:grid_keys", _("Grid address keys"), "geo.gridaddresskey", "add"),
    ("screening:residents", _("Register residents from a list"), "people.person", "add"),
    (
        "screening:declarations",
        _("Self-declarations to review"),
        "screening.declarationreview",
        "view",
    ),
)


@register.simple_tag(takes_context=True)
def screening_links(context: Any) -> list[tuple[str, Any]]:
    user = context["request"].user
    node = getattr(user, "node", None)
    links = []
    for name, title, label, action in LINKS:
        if not user.may(label, action):
            continue
        if name == "screening:village_tasks" and (node is None or node.level == "grid"):
            continue  # a grid sees no task still waiting at its village
        links.append((reverse(name), title))
    return links
