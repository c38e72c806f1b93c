from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring

PLACED = {"exclude_fields": ["path"]}


class CommandConfig(wiring.Wired):
    name = "fangkong.command"
    label = "command"
    verbose_name = _("Command")
    audited = {
        "ResponseLevel": {},
        "TaskForce": {**PLACED, "m2m_fields": {"members"}},
        "Directive": PLACED,
        "DirectiveReceipt": PLACED,
        "Decision": PLACED,
        "ReportTemplate": PLACED,
        "Submission": PLACED,
    }
    hooks = "register_hooks"
    sections = (
        wiring.Part("response_level", 20, "response_level", listed=False),
        wiring.Part("command", 110),
    )
