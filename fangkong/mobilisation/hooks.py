"""What mobilisation adds to shared pages and registries: a jurisdiction-browser column
(members registered per community, rolled up), home cards and the figures offered to
reports upward."""

from typing import Any

from django.utils.translation import gettext_lazy as _


def _pending(user: Any) -> int:
    from fangkong.mobilisation.models import Registration

    return Registration.objects.restrict(user, "view").filter(status="pending").count()


def register_hooks() -> None:
    from fangkong.core import home
    from fangkong.geo import counters
    from fangkong.mobilisation import models as m

    counters.register_rows(
        "members_registered",
        _("Members registered"),
        lambda user: m.Member.objects.restrict(user, "view").filter(community__isnull=False),
    )

    home.register(
        home.Card(
            _("Mobilisation"),
            "mobilisation:overview",
            "mobilisation.member",
            "view",
            _("Party organisations, members and cadres, posts and rosters"),
        )
    )
    home.register(
        home.Card(
            _("Registrations to confirm"),
            "mobilisation:registrations",
            "mobilisation.registration",
            "decide",
            _("Members who registered at your community and wait for confirmation"),
            _pending,
        )
    )
    home.register(
        home.Card(
            _("Duty rosters"),
            "mobilisation:posts",
            "mobilisation.assignment",
            "add",
            _("Checkpoints and teams around the clock, staffing gaps, rest rules"),
        )
    )

    from django.apps import apps

    if apps.is_installed("fangkong.command"):
        from fangkong.command import prefill
        from fangkong.mobilisation.figures import prefill as mobilisation_prefill

        prefill.register(mobilisation_prefill)
