from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MobilisationConfig(AppConfig):
    name = "fangkong.mobilisation"
    label = "mobilisation"
    verbose_name = _("Mobilisation")

    def ready(self) -> None:
        from fangkong.mobilisation import permissions  # noqa: F401
        from fangkong.mobilisation.hooks import register_hooks

        register_hooks()

        # its part of the daily briefing (core.sections; the briefing imports no app)
        from fangkong.core.sections import register_section
        from fangkong.mobilisation.briefing import section

        register_section("mobilisation", section, 90)
