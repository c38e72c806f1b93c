from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefingConfig(AppConfig):
    name = "fangkong.briefing"
    label = "briefing"
    verbose_name = _("Daily briefing")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from fangkong.briefing import permissions  # noqa: F401
        from fangkong.briefing.hooks import register_hooks
        from fangkong.briefing.models import BriefingRules, RiskRules

        auditlog.register(BriefingRules)
        auditlog.register(RiskRules)
        register_hooks()
