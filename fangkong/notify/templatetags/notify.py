from typing import Any

from django import template

from fangkong.core import listing as lists
from fangkong.notify import coverage

register = template.Library()


@register.inclusion_tag("notify/_directive_coverage.html", takes_context=True)
def directive_notices(context: Any, directive: Any) -> dict[str, Any]:
    request = context["request"]
    c = coverage.directive(request.user, directive)
    c["failed"] = lists.paginate(request, c["failed"], prefix="f")  # was the first 50
    return {"c": c, "open": bool(request.GET.get("fpage"))}


@register.inclusion_tag("notify/_bell.html", takes_context=True)
def notice_bell(context: Any) -> dict[str, Any]:
    from fangkong.notify.models import Notice

    user = context["request"].user
    n = Notice.objects.for_user(user).unread().count() if user.is_authenticated else 0
    return {"unread": n, "user": user}
