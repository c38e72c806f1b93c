from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class MobilisationConfig(wiring.Wired):
    name = "fangkong.mobilisation"
    verbose_name = _("Mobilisation")
    audited = {
        "Member": {
            "exclude_fields": ["phone_enc", "phone_index", *wiring.STAMPED["exclude_fields"]]
        },
        "PartyOrganisation": wiring.STAMPED,
        "Unit": wiring.STAMPED,
        "Post": wiring.STAMPED,
        "Registration": wiring.PLACED,
        "Assignment": wiring.PLACED,
        "PpeIssue": wiring.PLACED,
        "RestRuleSet": wiring.PLACED,
    }
    hooks = "register_hooks"
    sections = (wiring.Part("mobilisation", 90),)
    demo_step = "demo:run"
