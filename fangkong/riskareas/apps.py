from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskAreasConfig(AppConfig):
    name = "fangkong.riskareas"
    label = "riskareas"
    verbose_name = _("Risk areas")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from fangkong.core import demo_steps
        from fangkong.riskareas import permissions  # noqa: F401
        from fangkong.riskareas.models import RiskArea
        from fangkong.riskareas.seed import demo_step

        auditlog.register(RiskArea)
        demo_steps.register("riskareas", demo_step)
        from fangkong.core import home

        home.register(
            home.Card(
                _("Risk areas"),
                "riskareas:list",
                "riskareas.riskarea",
                "view",
                _("High- and medium-risk areas in force, by date"),
            )
        )
