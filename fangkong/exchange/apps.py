from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class ExchangeConfig(wiring.Wired):
    name = "fangkong.exchange"
    verbose_name = _("Exchange between cities and national report cards")
    audited = {
        **wiring.placed("Partner"),
        **wiring.plain("ExchangeRules"),
        "HandoverRequest": wiring.excluding("path", "id_number_enc", "phone_enc"),
        "CardVersion": wiring.excluding("fields_enc"),
    }
    hooks = "register_hooks"
    demo_step = "demo:demo_step"
