"""Django's admin reads through the one door too (issue #16, M8): each registered model
that lives in the jurisdiction tree lists only what `restrict(user, "view")` gives the
signed-in account, and the audit log only `core.audit.entries_for(user)`. Which models an
account may open at all is `accounts.User.has_perm` (the role table)."""

from typing import Any

from django.contrib.admin import AdminSite


def _scoped(model: Any, original: Any) -> Any:
    from auditlog.models import LogEntry

    from fangkong.core import audit

    def get_queryset(request: Any) -> Any:
        qs = original(request)
        if model is LogEntry:
            return qs.filter(pk__in=audit.entries_for(request.user).values("pk"))
        return qs.restrict(request.user, "view")

    return get_queryset


def _unless_in_force(original: Any) -> Any:
    """A dated rule set already in force is history: the admin shows it, never rewrites or
    deletes it (the pages and the API refuse the same through `DatedRuleSet.draft`)."""
    from fangkong.core import clock

    def permission(request: Any, obj: Any = None) -> bool:
        if obj is not None and obj.effective_from <= clock.today():
            return False
        return original(request, obj)

    return permission


def scope_admin(site: AdminSite) -> None:
    """Wrap the list query of every registered model that has a scope, and keep every
    dated rule set in force from being changed or deleted (idempotent)."""
    from auditlog.models import LogEntry

    from fangkong.core.models import DatedRuleSet

    for model, model_admin in site._registry.items():
        if getattr(model_admin, "_fangkong_scoped", False):
            continue
        if issubclass(model, DatedRuleSet):
            model_admin.has_change_permission = _unless_in_force(model_admin.has_change_permission)  # type: ignore[method-assign]
            model_admin.has_delete_permission = _unless_in_force(model_admin.has_delete_permission)  # type: ignore[method-assign]
        scoped = model is LogEntry or (
            getattr(model, "scope_path", None) is not None
            and hasattr(model._default_manager.none(), "restrict")
        )
        if scoped:
            model_admin.get_queryset = _scoped(model, model_admin.get_queryset)  # type: ignore[method-assign]
        model_admin._fangkong_scoped = True  # type: ignore[attr-defined]
