from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring

PLACED = {"exclude_fields": ["path"]}


class SupervisionConfig(wiring.Wired):
    name = "fangkong.supervision"
    label = "supervision"
    verbose_name = _("Supervision")
    audited = {
        "Checklist": {},
        "InspectionPlan": PLACED,
        "InspectionTeam": {**PLACED, "m2m_fields": {"members"}},
        "Inspection": PLACED,
        "Finding": PLACED,
        "Rectification": {"exclude_fields": ["path", "escalate_path"]},
        "Commendation": PLACED,
        "AccountabilityCase": PLACED,
    }
    hooks = "register_hooks"
    sections = (wiring.Part("supervision", 100),)
