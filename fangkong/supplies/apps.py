from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class SuppliesConfig(wiring.Wired):
    name = "fangkong.supplies"
    verbose_name = _("Supplies and necessities")
    audited = {
        **wiring.plain("Item", "SupplyRules"),
        **wiring.stamped("Warehouse", "SupplyRequest"),
        **wiring.placed("Donation", "Market", "PriceBaseline"),
    }
    hooks = "register_hooks"
    sections = (wiring.Part("supplies", 80),)
    demo_step = "demo:run"
