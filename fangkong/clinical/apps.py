from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class ClinicalConfig(wiring.Wired):
    name = "fangkong.clinical"
    verbose_name = _("Clinical pathway")
    audited = {
        "ClinicVisit": wiring.STAMPED,
        "Case": {
            "exclude_fields": [
                *wiring.STAMPED["exclude_fields"],
                "report_due",
                "investigation_due",
            ]
        },
        "Sample": wiring.PLACED,
        "Transfer": wiring.PLACED,
        "Investigation": wiring.PLACED,
        "Cluster": wiring.PLACED,
        "Facility": wiring.STAMPED,
        "ClinicalRules": {},
    }
    hooks = "register_hooks"
    sections = (wiring.Part("cases", 30),)
    demo_step = "demo:run"
