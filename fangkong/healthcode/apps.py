from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthCodeConfig(AppConfig):
    name = "fangkong.healthcode"
    label = "healthcode"
    verbose_name = _("Health code")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from fangkong.healthcode import permissions  # noqa: F401
        from fangkong.healthcode.hooks import register_hooks
        from fangkong.healthcode.models import CodeOverride, CodeRules

        auditlog.register(CodeOverride)
        auditlog.register(CodeRules)
        register_hooks()

        # its part of the daily briefing (core.sections; the briefing imports no app)
        from fangkong.core.sections import register_section
        from fangkong.healthcode.briefing import section

        register_section("healthcode", section, 50)
