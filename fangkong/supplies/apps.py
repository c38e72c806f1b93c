from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class SuppliesConfig(wiring.Wired):
    name = "fangkong.supplies"
    verbose_name = _("Supplies and necessities")
    audited = {
        "Item": {},
        "SupplyRules": {},
        "Warehouse": wiring.STAMPED,
        "Donation": wiring.PLACED,
        "SupplyRequest": wiring.STAMPED,
        "Market": wiring.PLACED,
        "PriceBaseline": wiring.PLACED,
    }
    hooks = "register_hooks"
    sections = (wiring.Part("supplies", 80),)
    demo_step = "demo:run"
