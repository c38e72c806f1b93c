"""The one door to data: every read of personal or operational data goes through
`Model.objects.restrict(user, action)`.

A model declares `scope_path` (the lookup of the materialised jurisdiction path that
places a row in the tree, e.g. "path" or "grid__path"). `restrict` keeps the rows whose
path lies under the user's node, and nothing at all when the user's role may not do
`action` on the model. The same rule serves an in-memory check (`can_access`). A role
may work on fewer rows than its subtree holds: an app narrows it there
(`register_narrowing`), and both `restrict` and `can_access` apply the narrowing.
"""

from collections.abc import Callable
from typing import Any, Self

from django.db import models


def is_system(user: Any) -> bool:
    """The platform itself acting (fixtures, imports, scheduled and demo work): an
    in-memory superuser that is no stored account (`User(is_superuser=True)`, never
    saved). Only it passes every grant and sees the whole tree. A stored account follows
    the role table and its node like everyone else, whatever its `is_superuser` flag
    (issue #16, M8): a request's user is always a stored account, so no visitor can
    act as the system."""
    return bool(getattr(user, "is_superuser", False)) and getattr(user, "pk", None) is None


def system_actor() -> Any:
    """The system actor (`is_system`): an unsaved superuser of the project's user model,
    for work the platform does itself (demo steps, hooks, scheduled senders, briefings
    computed for a node rather than for a viewer)."""
    from django.contrib.auth import get_user_model

    return get_user_model()(is_superuser=True, is_active=True, role="sysadmin")


def _path_of(user: Any) -> str | None:
    """The user's subtree path; None means the whole tree (the system actor)."""
    if is_system(user):
        return None
    node = getattr(user, "node", None)
    return node.path if node is not None else ""


def ancestor_paths(path: str) -> list[str]:
    """The paths of the node at `path` and of every node above it, the top first:
    '3306/330602/' → ['3306/', '3306/330602/']. What is seen from below (a directive's
    template, a price baseline, a warehouse of a higher level) is found by `path__in`."""
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def allows(user: Any, model: type[models.Model], action: str) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if is_system(user):
        return True
    return bool(user.may(model._meta.label_lower, action))


def scope_prefix(user: Any, model: type[models.Model], action: str = "view") -> str | None:
    """The path prefix under which `restrict(user, action)` keeps the model's rows: ""
    for the whole tree (the system actor), None when it keeps none (the role may not, or
    an account bound to no node). For the hot paths' raw statements (issue #21), so they
    scope rows exactly as `restrict` does (on models no role's reach is narrowed on:
    `register_narrowing`)."""
    if narrowing(user, model) is not None:
        return None  # a narrowed reach is not a prefix: refuse rather than widen it
    return _prefix(user, model, action)


def _prefix(user: Any, model: type[models.Model], action: str) -> str | None:
    if not allows(user, model, action):
        return None
    path = _path_of(user)
    if path is None:
        return ""
    return path or None  # an account bound to no node sees nothing


# A role whose reach in a model is narrower than its subtree (#17: quarantine-site staff
# see the persons placed at their sites, not the county's registry). The app that knows
# the narrower rule registers it in its AppConfig.ready (core never imports it):
# `narrow(user, rows)` keeps the rows of the user's subtree that the role works on.
Narrowing = Callable[[Any, Any], Any]
_narrowings: dict[tuple[str, str], Narrowing] = {}


def register_narrowing(role: str, model_label: str, narrow: Narrowing) -> None:
    _narrowings[(str(role), model_label.lower())] = narrow


def narrowing(user: Any, model: type[models.Model]) -> Narrowing | None:
    """The narrower rule of the user's role on the model, if any (none for the system)."""
    if not _narrowings or is_system(user):
        return None
    return _narrowings.get((getattr(user, "role", ""), model._meta.label_lower))


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user: Any, action: str = "view") -> Self:
        prefix = _prefix(user, self.model, action)
        if prefix is None:
            return self.none()
        rows = self.under(prefix) if prefix else self
        narrow = narrowing(user, self.model)
        return narrow(user, rows) if narrow is not None else rows

    def under(self, place: Any) -> Self:
        """The rows placed in the subtree of `place` — a path, or a node (anything with a
        `path`) — the node itself and everything below it, by the model's `scope_path`:
        one indexed prefix match."""
        path = place if isinstance(place, str) else place.path
        field = getattr(self.model, "scope_path", None)
        if field is None:
            raise TypeError(f"{self.model.__name__} declares no scope_path")
        return self.filter(**{f"{field}__startswith": path})


RestrictedManager = models.Manager.from_queryset(RestrictedQuerySet)


def can_access(user: Any, obj: models.Model, action: str = "view") -> bool:
    """The in-memory twin of `restrict` for one object already loaded."""
    if not allows(user, type(obj), action):
        return False
    path = _path_of(user)
    if path is None:
        return True
    value: Any = obj
    for part in type(obj).scope_path.split("__"):  # type: ignore[attr-defined]
        value = getattr(value, part, None)
        if value is None:
            return False
    if not (path and str(value).startswith(path)):
        return False
    narrow = narrowing(user, type(obj))
    return narrow is None or narrow(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()
