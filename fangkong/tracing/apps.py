from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class TracingConfig(wiring.Wired):
    name = "fangkong.tracing"
    verbose_name = _("Contact tracing")
    audited = {
        "Contact": wiring.excluding(*wiring.STAMPED_FIELDS, "phone_enc"),
        **wiring.stamped("IndexCase", "Venue"),
        **wiring.plain("TracingRules"),
    }
    hooks = "register_hooks"
    sections = (wiring.Part("tracing", 40),)
    demo_step = "demo:run"
