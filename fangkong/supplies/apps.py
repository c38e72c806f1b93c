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
