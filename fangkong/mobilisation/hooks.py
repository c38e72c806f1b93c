"""What mobilisation adds to shared pages and registries: audit registration, a
jurisdiction-browser column (members registered per community, rolled up), home
cards, the demo step and the figures offered to reports upward."""

from typing import Any

from django.utils.translation import gettext_lazy as _


def _pending(user: Any) -> int:
    from fangkong.mobilisation.models import Registration

    return Registration.objects.restrict(user, "view").filter(status="pending").count()


def register_hooks() -> None:
    from auditlog.registry import auditlog

    from fangkong.core import demo_steps, home
    from fangkong.geo import counters
    from fangkong.mobilisation import models as m

    auditlog.register(
        m.Member, exclude_fields=["phone_enc", "phone_index", "created_at", "updated_at", "path"]
    )
    stamped: tuple[Any, ...] = (m.PartyOrganisation, m.Unit, m.Post)
    for model in stamped:
        auditlog.register(model, exclude_fields=["created_at", "updated_at", "path"])
    plain: tuple[Any, ...] = (m.Registration, m.Assignment, m.PpeIssue, m.RestRuleSet)
    for model in plain:
        auditlog.register(model, exclude_fields=["path"])

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

    def demo(seed: int) -> str:
        from fangkong.mobilisation import demo as mobilisation_demo

        return mobilisation_demo.run(seed)

    demo_steps.register("mobilisation", demo)

    from django.apps import apps

    if apps.is_installed("fangkong.command"):
        from fangkong.command import prefill
        from fangkong.mobilisation.figures import prefill as mobilisation_prefill

        prefill.register(mobilisation_prefill)
