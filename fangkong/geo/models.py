from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.querysets import RestrictedQuerySet
from fangkong.geo.choices import Level


class DivisionQuerySet(RestrictedQuerySet):
    def of_level(self, level: str) -> "DivisionQuerySet":
        return self.filter(level=level)

    def under(self, node: "Division") -> "DivisionQuerySet":
        return self.filter(path__startswith=node.path)


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
