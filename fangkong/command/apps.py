from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class CommandConfig(wiring.Wired):
    name = "fangkong.command"
    verbose_name = _("Command")
    audited = {
        "ResponseLevel": {},
        "TaskForce": {**wiring.PLACED, "m2m_fields": {"members"}},
        "Directive": wiring.PLACED,
        "DirectiveReceipt": wiring.PLACED,
        "Decision": wiring.PLACED,
        "ReportTemplate": wiring.PLACED,
        "Submission": wiring.PLACED,
    }
    hooks = "register_hooks"
    sections = (
        wiring.Part("response_level", 20, "response_level", listed=False),
        wiring.Part("command", 110),
    )
