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


def scope_admin(site: AdminSite) -> None:
    """Wrap the list query of every registered model that has a scope (idempotent)."""
    from auditlog.models import LogEntry

    for model, model_admin in site._registry.items():
        if getattr(model_admin, "_fangkong_scoped", False):
            continue
        scoped = model is LogEntry or (
            getattr(model, "scope_path", None) is not None
            and hasattr(model._default_manager.none(), "restrict")
        )
        if scoped:
            model_admin.get_queryset = _scoped(model, model_admin.get_queryset)  # type: ignore[method-assign]
            model_admin._fangkong_scoped = True  # type: ignore[attr-defined]
