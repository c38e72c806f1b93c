from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class CommandConfig(wiring.Wired):
    name = "fangkong.command"
    verbose_name = _("Command")
    audited = {
        **wiring.plain("ResponseLevel"),
        "TaskForce": {**wiring.excluding("path"), "m2m_fields": {"members"}},
        **wiring.placed(
            "Directive", "DirectiveReceipt", "Decision", "ReportTemplate", "Submission"
        ),
    }
    hooks = "register_hooks"
    sections = (
        wiring.Part(
            "response_level", 20, "response_level", listed=False, label="response_level_label"
        ),
        wiring.Part("command", 110),
    )
    demo_step = "demo:demo_step"
