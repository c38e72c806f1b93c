from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring

STAMPED = ["created_at", "updated_at", "path"]


class TracingConfig(wiring.Wired):
    name = "fangkong.tracing"
    verbose_name = _("Contact tracing")
    audited = {
        "Contact": {"exclude_fields": [*STAMPED, "phone_enc"]},
        "IndexCase": {"exclude_fields": STAMPED},
        "Venue": {"exclude_fields": STAMPED},
        "TracingRules": {},
    }
    hooks = "register_hooks"
    sections = (wiring.Part("tracing", 40),)
    demo_step = "demo:run"
