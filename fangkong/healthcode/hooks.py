"""The health code follows the facts: saved observation periods, check-ins and clinical
cases recompute the person's colour after the commit; home cards and the browser column."""

from typing import Any

from django.apps import apps
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _period_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    from fangkong.healthcode.actions import recompute_after_commit

    recompute_after_commit(instance.person_id)


def _checkin_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    from fangkong.healthcode.actions import recompute_after_commit

    person_id = getattr(getattr(instance, "period", None), "person_id", None)
    if person_id:
        recompute_after_commit(person_id)


def register_hooks() -> None:
    from fangkong.core import home
    from fangkong.geo import counters
    from fangkong.healthcode.models import HealthCode

    if apps.is_installed("fangkong.observation"):
        from fangkong.observation.models import CheckIn, ObservationPeriod

        post_save.connect(_period_saved, sender=ObservationPeriod, dispatch_uid="hc.period")
        post_save.connect(_checkin_saved, sender=CheckIn, dispatch_uid="hc.checkin")
    if apps.is_installed("fangkong.clinical"):
        from fangkong.clinical.models import Case

        post_save.connect(_period_saved, sender=Case, dispatch_uid="hc.case")

    def count_red(user, parent, children):  # type: ignore[no-untyped-def]
        qs = HealthCode.objects.restrict(user, "view").of_colour("red")
        return counters.count_by_child(qs, parent, children)

    counters.register("healthcode_red", _("Red codes"), count_red)
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
