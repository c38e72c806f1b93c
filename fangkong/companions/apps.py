from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompanionsConfig(AppConfig):
    name = "fangkong.companions"
    label = "companions"
    verbose_name = _("Space-time companions")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from fangkong.companions import permissions  # noqa: F401
        from fangkong.companions.models import CandidateExposure, CompanionRules

        # Decisions on candidates and rule changes are audited (who, when, what changed).
        auditlog.register(
            CandidateExposure, include_fields=["decision", "decision_note", "decided_by"]
        )
        auditlog.register(CompanionRules)
        from fangkong.companions.demo import demo_step
        from fangkong.core import demo_steps, home

        demo_steps.register("companions", demo_step)
        home.register(
            home.Card(
                _("Space-time companions"),
                "companions:runs",
                "companions.companionrun",
                "view",
                _("Find who shared a place with a case, ranked by exposure"),
            )
        )
