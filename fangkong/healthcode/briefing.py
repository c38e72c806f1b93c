"""The health-code section of the daily briefing: red, yellow and green per county (by
the holder's home) and the changes of colour in the 24 hours before the cut-off.
Registered in HealthcodeConfig.ready."""

from typing import Any

from django.db.models import Count, Q

from fangkong.core.querysets import ancestor_paths
from fangkong.core.sections import Window, under
from fangkong.geo.choices import Level
from fangkong.geo.models import Division
from fangkong.healthcode.choices import Colour
from fangkong.healthcode.models import CodeChange, HealthCode


def _by_colour(field: str) -> dict[str, Count]:
    return {
        name: Count("pk", filter=Q(**{field: colour}))
        for name, colour in (
            ("red", Colour.RED),
            ("yellow", Colour.YELLOW),
            ("green", Colour.GREEN),
        )
    }


def section(path: str, window: Window) -> dict[str, Any]:
    counties = Division.objects.filter(
        Q(path__startswith=path) | Q(path__in=ancestor_paths(path)), level=Level.COUNTY
    ).order_by("path")
    rows = []
    for county in counties:
        scope = county.path if county.path.startswith(path) else path
        agg = under(HealthCode, scope).aggregate(**_by_colour("colour"))
        rows.append({"code": county.code, "name": county.name, **agg})
    changes = (
        under(CodeChange, path)
        .filter(at__gt=window.start, at__lte=window.end)
        .exclude(from_colour="")
    )
    by_kind = changes.aggregate(
        **{f"to_{name}": count for name, count in _by_colour("to_colour").items()}
    )
    return {"counties": rows, "changes": by_kind}
