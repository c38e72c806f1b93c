from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class BriefingConfig(wiring.Wired):
    name = "fangkong.briefing"
    verbose_name = _("Daily briefing")
    audited = wiring.plain("BriefingRules", "RiskRules")
    hooks = "register_hooks"
