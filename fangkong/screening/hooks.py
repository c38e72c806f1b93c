"""What screening adds to shared pages: a jurisdiction-browser column, home cards and
the audit registration."""

from typing import Any

from django.utils.translation import gettext_lazy as _


def _open_tasks(user: Any) -> int:
    from fangkong.screening.models import ScreeningTask

    return ScreeningTask.objects.restrict(user, "view").open().count()


def register() -> None:
    from fangkong.core import home
    from fangkong.geo import counters
    from fangkong.screening.models import ScreeningTask

    counters.register_rows(
        "screening_open",
        _("Screening tasks to visit"),
        lambda user: ScreeningTask.objects.restrict(user, "view").open(),
    )
    home.register(
        home.Card(
            _("Screening: today's visits"),
            "screening:today",
            "screening.screeningtask",
            "visit",
            _("Door-to-door visits due in your grid, most urgent first"),
            _open_tasks,
        )
    )
    home.register(
        home.Card(
            _("Screening progress"),
            "screening:progress",
            "screening.screeningtask",
            "view",
            _("Pushed, visited, cleared and overdue, from the city down to each grid"),
        )
    )
    home.register(
        home.Card(
            _("Pushed lists"),
            "screening:lists",
            "screening.pushedlist",
            "view",
            _("Upload lists pushed by big data and read their import reports"),
        )
    )
