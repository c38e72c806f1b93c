from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class ClinicalConfig(wiring.Wired):
    name = "fangkong.clinical"
    verbose_name = _("Clinical pathway")
    audited = {
        **wiring.stamped("ClinicVisit", "Facility"),
        "Case": wiring.excluding(*wiring.STAMPED_FIELDS, "report_due", "investigation_due"),
        **wiring.placed("Sample", "Transfer", "Investigation", "Cluster"),
        **wiring.plain("ClinicalRules"),
    }
    hooks = "register_hooks"
    sections = (wiring.Part("cases", 30),)
    demo_step = "demo:run"
