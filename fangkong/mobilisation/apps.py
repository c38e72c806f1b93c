from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class MobilisationConfig(wiring.Wired):
    name = "fangkong.mobilisation"
    verbose_name = _("Mobilisation")
    audited = {
        "Member": wiring.excluding("phone_enc", "phone_index", *wiring.STAMPED_FIELDS),
        **wiring.stamped("PartyOrganisation", "Unit", "Post"),
        **wiring.placed("Registration", "Assignment", "PpeIssue", "RestRuleSet"),
    }
    hooks = "register_hooks"
    sections = (wiring.Part("mobilisation", 90),)
    demo_step = "demo:run"
