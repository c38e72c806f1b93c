from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliesConfig(AppConfig):
    name = "fangkong.supplies"
    label = "supplies"
    verbose_name = _("Supplies and necessities")

    def ready(self) -> None:
        from fangkong.supplies import permissions  # noqa: F401
        from fangkong.supplies.hooks import register_hooks

        register_hooks()

        # its part of the daily briefing (core.sections; the briefing imports no app)
        from fangkong.core.sections import register_section
        from fangkong.supplies.briefing import section

        register_section("supplies", section, 80)
