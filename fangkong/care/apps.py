from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "fangkong.care"
    label = "care"
    verbose_name = _("Care and advanced deeds")

    def ready(self) -> None:
        from fangkong.care import hooks, permissions  # noqa: F401

        hooks.register_hooks()
