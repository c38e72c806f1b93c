from typing import Any

from django.http import HttpRequest

from fangkong.core import home


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The top navigation: the home cards the signed-in user may open (no counts)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_cards": []}
    return {"nav_cards": [c for c in home.registered() if user.may(c.model_label, c.action)]}
