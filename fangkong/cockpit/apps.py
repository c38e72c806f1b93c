from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CockpitConfig(AppConfig):
    name = "fangkong.cockpit"
    label = "cockpit"
    verbose_name = _("Cockpits")

    def ready(self) -> None:
        from fangkong.cockpit import hooks

        hooks.register_cockpits()
