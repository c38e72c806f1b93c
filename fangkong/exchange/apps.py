from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class ExchangeConfig(wiring.Wired):
    name = "fangkong.exchange"
    verbose_name = _("Exchange between cities and national report cards")
    hooks = "register_hooks"
