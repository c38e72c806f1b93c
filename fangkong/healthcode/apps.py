from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class HealthCodeConfig(wiring.Wired):
    name = "fangkong.healthcode"
    verbose_name = _("Health code")
    audited = wiring.plain("CodeOverride", "CodeRules")
    hooks = "register_hooks"
    sections = (wiring.Part("healthcode", 50),)
