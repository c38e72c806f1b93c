"""Registrations into the shared registries: home cards, jurisdiction browser columns."""

from typing import Any

from django.utils.translation import gettext_lazy as _


def register_hooks() -> None:
    from fangkong.care import models as m
    from fangkong.core import home
    from fangkong.geo import counters

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
