"""The persons figure of the daily briefing's header: active persons registered up to
the cut-off and in the 24 hours before it. Registered in PeopleConfig.ready."""

from django.db.models import Count, Q

from fangkong.core.sections import Window, under
from fangkong.people.models import Person


def section(path: str, window: Window) -> dict[str, int]:
    agg = (
        under(Person, path)
        .active()
        .aggregate(
            total=Count("pk", filter=Q(created_at__lte=window.end)),
            new=Count("pk", filter=Q(created_at__gt=window.start, created_at__lte=window.end)),
        )
    )
    return {"total": agg["total"], "new": agg["new"]}
