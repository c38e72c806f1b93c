from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfflineConfig(AppConfig):
    name = "fangkong.offline"
    label = "offline"
    verbose_name = _("Work without a signal")

    def ready(self) -> None:
        from fangkong.offline import hooks, permissions  # noqa: F401

        hooks.register()
