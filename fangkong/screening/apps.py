from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "fangkong.screening"
    label = "screening"
    verbose_name = _("Screening")

    def ready(self) -> None:
        from fangkong.screening import hooks, permissions  # noqa: F401

        hooks.register()
