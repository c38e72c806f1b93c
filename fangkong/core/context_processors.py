from typing import Any

from django.http import HttpRequest

from fangkong.core import navigation as nav


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu of the signed-in user: the role's daily jobs on top, the rest grouped."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": None}
    return {"menu": nav.menu_for(user)}
