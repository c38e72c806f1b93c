from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class RiskAreasConfig(wiring.Wired):
    name = "fangkong.riskareas"
    verbose_name = _("Risk areas")
    audited = wiring.plain("RiskArea")
    demo_step = "seed:demo_step"

    def ready(self) -> None:
        super().ready()
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
