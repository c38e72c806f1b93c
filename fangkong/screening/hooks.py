"""What screening adds to shared pages: a jurisdiction-browser column, home cards and
the audit registration."""

from typing import Any

from django.utils.translation import gettext_lazy as _


def _open_tasks(user: Any) -> int:
    from fangkong.screening.models import ScreeningTask

    return ScreeningTask.objects.restrict(user, "view").open().count()


def register() -> None:
    from auditlog.registry import auditlog

    from fangkong.core import demo_steps, home
    from fangkong.geo import counters
    from fangkong.geo.models import GridAddressKey
    from fangkong.screening.models import (
        AddressAlias,
        DeclarationReview,
        ExceptionItem,
        ScreeningTask,
        Visit,
    )

    auditlog.register(ScreeningTask, exclude_fields=["created_at", "updated_at", "path", "version"])
    auditlog.register(AddressAlias, exclude_fields=["created_at", "updated_at", "path"])
    auditlog.register(GridAddressKey, exclude_fields=["created_at", "path"])
    auditlog.register(Visit, exclude_fields=["path"])
    auditlog.register(ExceptionItem, exclude_fields=["created_at", "updated_at", "path"])
    auditlog.register(DeclarationReview, exclude_fields=["path", "row_enc"])

    counters.register_rows(
        "screening_open",
        _("Screening tasks to visit"),
        lambda user: ScreeningTask.objects.restrict(user, "view").open(),
    )

    def demo(seed: int) -> str:
        from fangkong.screening import demo as screening_demo

        return screening_demo.run(seed)

    demo_steps.register("screening", demo)
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
