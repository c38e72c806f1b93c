from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicalConfig(AppConfig):
    name = "fangkong.clinical"
    label = "clinical"
    verbose_name = _("Clinical pathway")

    def ready(self) -> None:
        from fangkong.clinical import permissions  # noqa: F401
        from fangkong.clinical.hooks import register_hooks

        register_hooks()

        # its part of the daily briefing (core.sections; the briefing imports no app)
        from fangkong.clinical.briefing import section
        from fangkong.core.sections import register_section

        register_section("cases", section, 30)
