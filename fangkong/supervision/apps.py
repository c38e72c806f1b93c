from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class SupervisionConfig(wiring.Wired):
    name = "fangkong.supervision"
    verbose_name = _("Supervision")
    audited = {
        "Checklist": {},
        "InspectionPlan": wiring.PLACED,
        "InspectionTeam": {**wiring.PLACED, "m2m_fields": {"members"}},
        "Inspection": wiring.PLACED,
        "Finding": wiring.PLACED,
        "Rectification": {"exclude_fields": ["path", "escalate_path"]},
        "Commendation": wiring.PLACED,
        "AccountabilityCase": wiring.PLACED,
    }
    hooks = "register_hooks"
    sections = (wiring.Part("supervision", 100),)
