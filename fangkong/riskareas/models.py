"""High- and medium-risk areas (中高风险地区) as a dated list: each designation names an
area by its official division code (province, prefecture city, county or town), a
level, the day it starts, the day it ends (empty while in force) and its source."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.fields import step


class Risk(models.TextChoices):
    HIGH = "high", _("High-risk area")
    MEDIUM = "medium", _("Medium-risk area")


class AreaLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County / district")
    TOWN = "town", _("Town / street")


class RiskAreaQuerySet(models.QuerySet):
    def on(self, day) -> "RiskAreaQuerySet":  # type: ignore[no-untyped-def]
        """Designations in force on `day` (both ends inclusive)."""
        return self.filter(starts_on__lte=day).filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=day)
        )


class RiskArea(models.Model):
    code = models.CharField(_("division code"), max_length=12)
    name = models.CharField(_("area"), max_length=100)
    level = models.CharField(_("level"), max_length=8, choices=AreaLevel.choices)
    risk = models.CharField(_("risk"), max_length=6, choices=Risk.choices)
    starts_on = models.DateField(_("in force from"))
    ends_on = models.DateField(_("in force until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    created_at, created_by = step(now=True, editable=False)

    objects = RiskAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk area")
        verbose_name_plural = _("risk areas")
        ordering = ["-starts_on", "code"]
        indexes = [models.Index(fields=["code", "starts_on"], name="riskarea_code_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="riskarea_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code}) {self.risk} {self.starts_on}–{self.ends_on or ''}"
