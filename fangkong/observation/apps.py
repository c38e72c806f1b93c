from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservationConfig(AppConfig):
    name = "fangkong.observation"
    label = "observation"
    verbose_name = _("Medical observation")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from fangkong.observation import permissions  # noqa: F401
        from fangkong.observation.hooks import register_hooks
        from fangkong.observation.models import (
            ObservationPeriod,
            ObservationRules,
            Placement,
            QuarantineSite,
            Referral,
        )

        auditlog.register(
            ObservationPeriod,
            exclude_fields=[
                "created_at",
                "updated_at",
                "last_checkin_at",
                "last_temperature",
                "symptomatic",
                "certificate_code",
            ],
        )
        auditlog.register(ObservationRules)
        auditlog.register(QuarantineSite, exclude_fields=["created_at", "updated_at", "path"])
        auditlog.register(Placement, exclude_fields=["path"])
        auditlog.register(Referral, exclude_fields=["path"])
        register_hooks()

        # its part of the daily briefing (core.sections; the briefing imports no app)
        from fangkong.core.sections import register_section
        from fangkong.observation.briefing import section

        register_section("observation", section, 70)
