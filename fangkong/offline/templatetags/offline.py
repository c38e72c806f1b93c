"""`{% offline_head %}` in the base template: the app manifest and the service worker, for
the roles that work on a phone without a signal (grid workers, village staff, gates)."""

from typing import Any

from django import template

from fangkong.core.querysets import allows

register = template.Library()


@register.inclusion_tag("offline/_head.html", takes_context=True)
def offline_head(context: Any) -> dict[str, Any]:
    from fangkong.offline.models import SyncReceipt

    request = context.get("request")
    user = getattr(request, "user", None)
    return {"enabled": user is not None and allows(user, SyncReceipt, "add")}
