from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class SupervisionConfig(wiring.Wired):
    name = "fangkong.supervision"
    verbose_name = _("Supervision")
    audited = {
        **wiring.plain("Checklist"),
        "InspectionTeam": {**wiring.excluding("path"), "m2m_fields": {"members"}},
        "Rectification": wiring.excluding("path", "escalate_path"),
        **wiring.placed(
            "InspectionPlan", "Inspection", "Finding", "Commendation", "AccountabilityCase"
        ),
    }
    hooks = "register_hooks"
    sections = (wiring.Part("supervision", 100),)
    demo_step = "demo:seed_supervision"
