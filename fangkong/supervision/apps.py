from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "fangkong.supervision"
    label = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from fangkong.supervision import permissions  # noqa: F401
        from fangkong.supervision.hooks import register_hooks
        from fangkong.supervision.models import (
            AccountabilityCase,
            Checklist,
            Commendation,
            Finding,
            Inspection,
            InspectionPlan,
            InspectionTeam,
            Rectification,
        )

        auditlog.register(Checklist)
        auditlog.register(InspectionPlan, exclude_fields=["path"])
        auditlog.register(InspectionTeam, exclude_fields=["path"], m2m_fields={"members"})
        auditlog.register(Inspection, exclude_fields=["path"])
        auditlog.register(Finding, exclude_fields=["path"])
        auditlog.register(Rectification, exclude_fields=["path", "escalate_path"])
        auditlog.register(Commendation, exclude_fields=["path"])
        auditlog.register(AccountabilityCase, exclude_fields=["path"])
        register_hooks()

        # its part of the daily briefing (core.sections; the briefing imports no app)
        from fangkong.core.sections import register_section
        from fangkong.supervision.briefing import section

        register_section("supervision", section, 100)
