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
