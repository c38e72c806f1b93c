from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "fangkong.exchange"
    label = "exchange"
    verbose_name = _("Exchange between cities and national report cards")

    def ready(self) -> None:
        from fangkong.exchange import hooks, permissions  # noqa: F401

        hooks.register_hooks()
