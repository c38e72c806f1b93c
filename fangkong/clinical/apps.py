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
