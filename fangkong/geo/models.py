from typing import cast

from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.models import Placed
from fangkong.core.querysets import RestrictedQuerySet
from fangkong.geo.choices import KeyKind, Level


class DivisionQuerySet(RestrictedQuerySet):
    def of_level(self, level: str) -> "DivisionQuerySet":
        return self.filter(level=level)

    def root(self) -> "Division | None":
        """The top of the tree (the city the deployment serves; the first by code when
        more than one is loaded), None while no tree is loaded."""
        return cast("Division | None", self.filter(parent__isnull=True).order_by("code").first())


class Division(models.Model):
    """A node of the jurisdiction tree (行政区划 / 网格), keyed by its division code.

    `path` is the materialised path of codes from the root, ending in "/", so a
    subtree is one indexed prefix match.
    """

    code = models.CharField(_("code"), max_length=24, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    path = models.CharField(_("path"), max_length=160, unique=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)

    scope_path = "path"
    objects = DivisionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("division")
        verbose_name_plural = _("divisions")
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def depth(self) -> int:
        return self.path.count("/")

    def ancestor_codes(self) -> list[str]:
        return [c for c in self.path.split("/") if c]

    def ancestors(self) -> list["Division"]:
        codes = self.ancestor_codes()[:-1]
        by_code = {d.code: d for d in Division.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]

    def contains(self, other: "Division") -> bool:
        return other.path.startswith(self.path)


class GridAddressKey(Placed):
    """An address key of a grid (网格地址键): an estate, the buildings of an estate, a
    street with a house-number range, a natural village or a range of village groups (组).
    The address matcher places a row in the grid whose key its address carries."""

    placed_by = "grid"

    grid = models.ForeignKey(
        Division, verbose_name=_("grid"), on_delete=models.CASCADE, related_name="address_keys"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=KeyKind.choices)
    text = models.CharField(_("name in addresses"), max_length=60, blank=True)
    low = models.PositiveIntegerField(_("from number"), null=True, blank=True)
    high = models.PositiveIntegerField(_("to number"), null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid address key")
        verbose_name_plural = _("grid address keys")
        ordering = ["path", "kind", "text", "low"]
        constraints = [
            models.UniqueConstraint(
                fields=["grid", "kind", "text", "low"], name="geo_gridkey_unique"
            )
        ]

    def __str__(self) -> str:
        span = f" {self.low}–{self.high}" if self.low is not None else ""
        return f"{self.text}{span} → {self.grid.name}"
