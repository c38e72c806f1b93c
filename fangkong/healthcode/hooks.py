"""The health code follows the facts: it consumes every person-level fact of the
`core.facts` registry (recomputed in the writer's transaction); home cards and the
browser column."""

from django.utils.translation import gettext_lazy as _


def register_hooks() -> None:
    from fangkong.core import facts, home
    from fangkong.geo import counters
    from fangkong.healthcode.actions import on_fact
    from fangkong.healthcode.models import HealthCode

    # Every person-level fact recomputes the colour in the writer's transaction.
    facts.register("healthcode", on_fact, mode=facts.INLINE)

    counters.register_rows(
        "healthcode_red",
        _("Red codes"),
        lambda user: HealthCode.objects.restrict(user, "view").of_colour("red"),
    )
    home.register(
        home.Card(
            _("Health codes"),
            "healthcode:dashboard",
            "healthcode.healthcode",
            "view",
            _("Red and yellow codes with their reasons; overrides"),
            lambda user: HealthCode.objects.restrict(user, "view").exclude(colour="green").count(),
        )
    )
