from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TracingConfig(AppConfig):
    name = "fangkong.tracing"
    label = "tracing"
    verbose_name = _("Contact tracing")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from fangkong.tracing import permissions  # noqa: F401
        from fangkong.tracing.hooks import register_hooks
        from fangkong.tracing.models import Contact, IndexCase, TracingRules, Venue

        auditlog.register(Contact, exclude_fields=["created_at", "updated_at", "path", "phone_enc"])
        auditlog.register(IndexCase, exclude_fields=["created_at", "updated_at", "path"])
        auditlog.register(Venue, exclude_fields=["created_at", "updated_at", "path"])
        auditlog.register(TracingRules)
        register_hooks()

        # its part of the daily briefing (core.sections; the briefing imports no app)
        from fangkong.core.sections import register_section
        from fangkong.tracing.briefing import section

        register_section("tracing", section, 40)
