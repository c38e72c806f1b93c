from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class ExchangeConfig(wiring.Wired):
    name = "fangkong.exchange"
    verbose_name = _("Exchange between cities and national report cards")
    audited = {
        "HandoverRequest": {"exclude_fields": ["path", "id_number_enc", "phone_enc"]},
        "Partner": wiring.PLACED,
        "ExchangeRules": {},
        "CardVersion": {"exclude_fields": ["fields_enc"]},
    }
    hooks = "register_hooks"
    demo_step = "demo:demo_step"
