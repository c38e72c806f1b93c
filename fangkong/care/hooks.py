"""Registrations into the shared registries: audit, home cards, jurisdiction browser
columns, demo steps."""

from typing import Any

from django.utils.translation import gettext_lazy as _


def register_hooks() -> None:
    from auditlog.registry import auditlog

    from fangkong.care import models as m
    from fangkong.care.demo import demo_step
    from fangkong.core import demo_steps, home
    from fangkong.geo import counters

    auditlog.register(m.Difficulty, exclude_fields=["path", "phone_enc", "phone_index"])
    auditlog.register(m.Deed, exclude_fields=["path"])
    auditlog.register(m.CareRules)

    def open_count(user: Any) -> int:
        return m.Difficulty.objects.restrict(user).unsolved().count()

    def waiting_deeds(user: Any) -> int:
        return m.Deed.objects.restrict(user).waiting().count()

    home.register(
        home.Card(
            _("Difficulties"),
            "care:difficulties",
            "care.difficulty",
            "view",
            _("Difficulties of front-line workers not yet solved"),
            open_count,
        )
    )
    home.register(
        home.Card(
            _("Advanced deeds"),
            "care:deeds",
            "care.deed",
            "view",
            _("Deeds waiting for review"),
            waiting_deeds,
        )
    )

    def unsolved(user: Any, parent: Any, children: Any) -> dict[str, int]:
        rows = m.Difficulty.objects.restrict(user).level_counts(parent, children)
        return {code: c["open"] for code, c in rows.items()}

    def overdue(user: Any, parent: Any, children: Any) -> dict[str, int]:
        rows = m.Difficulty.objects.restrict(user).level_counts(parent, children)
        return {code: c["overdue"] for code, c in rows.items()}

    counters.register("care_open", _("Difficulties open"), unsolved)
    counters.register("care_overdue", _("Difficulties overdue"), overdue)
    demo_steps.register("care", demo_step)
