from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class CareConfig(wiring.Wired):
    name = "fangkong.care"
    verbose_name = _("Care and advanced deeds")
    audited = {
        "Difficulty": wiring.excluding("path", "phone_enc", "phone_index"),
        **wiring.placed("Deed"),
        **wiring.plain("CareRules"),
    }
    hooks = "register_hooks"
    demo_step = "demo:demo_step"
