from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommandConfig(AppConfig):
    name = "fangkong.command"
    label = "command"
    verbose_name = _("Command")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from fangkong.command import permissions  # noqa: F401
        from fangkong.command.hooks import register_hooks
        from fangkong.command.models import (
            Decision,
            Directive,
            DirectiveReceipt,
            ReportTemplate,
            ResponseLevel,
            Submission,
            TaskForce,
        )

        auditlog.register(ResponseLevel)
        auditlog.register(TaskForce, exclude_fields=["path"], m2m_fields={"members"})
        auditlog.register(Directive, exclude_fields=["path"])
        auditlog.register(DirectiveReceipt, exclude_fields=["path"])
        auditlog.register(Decision, exclude_fields=["path"])
        auditlog.register(ReportTemplate, exclude_fields=["path"])
        auditlog.register(Submission, exclude_fields=["path"])
        register_hooks()

        # its part of the daily briefing (core.sections; the briefing imports no app)
        from fangkong.command.briefing import response_level, section
        from fangkong.core.sections import register_section

        register_section("response_level", response_level, 20, listed=False)
        register_section("command", section, 110)
