from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "fangkong.screening"
    label = "screening"
    verbose_name = _("Screening")

    def ready(self) -> None:
        from fangkong.screening import hooks, permissions  # noqa: F401

        hooks.register()

        # its part of the daily briefing (core.sections; the briefing imports no app)
        from fangkong.core.sections import register_section
        from fangkong.screening.briefing import section

        register_section("screening", section, 60)
