from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class CompanionsConfig(wiring.Wired):
    name = "fangkong.companions"
    verbose_name = _("Space-time companions")
    # Decisions on candidates and rule changes are audited (who, when, what changed).
    audited = {
        "CandidateExposure": {"include_fields": ["decision", "decision_note", "decided_by"]},
        **wiring.plain("CompanionRules"),
    }
    demo_step = "demo:demo_step"

    def ready(self) -> None:
        super().ready()
        from fangkong.core import home

        home.register(
            home.Card(
                _("Space-time companions"),
                "companions:runs",
                "companions.companionrun",
                "view",
                _("Find who shared a place with a case, ranked by exposure"),
            )
        )
