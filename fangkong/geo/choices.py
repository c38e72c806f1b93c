from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County / district")
    TOWN = "town", _("Town / street")
    VILLAGE = "village", _("Village / community")
    GRID = "grid", _("Grid")


LEVEL_ORDER = [lvl.value for lvl in Level]


def child_level(level: str) -> str | None:
    i = LEVEL_ORDER.index(level)
    return LEVEL_ORDER[i + 1] if i + 1 < len(LEVEL_ORDER) else None


class KeyKind(models.TextChoices):
    """Kinds of a grid's address keys (网格地址键)."""

    ESTATE = "estate", _("Estate (小区)")
    BUILDING = "building", _("Buildings of an estate")
    STREET = "street", _("Street and house numbers")
    NATURAL = "natural", _("Natural village (自然村)")
    GROUP = "group", _("Village group (组)")


# Kinds that take a number range, and kinds that need a name.
RANGED_KINDS = {KeyKind.BUILDING, KeyKind.STREET, KeyKind.GROUP}
NAMED_KINDS = {KeyKind.ESTATE, KeyKind.BUILDING, KeyKind.STREET, KeyKind.NATURAL}
