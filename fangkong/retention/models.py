"""Purpose-bound retention (PIPL art. 19, 47): how long each kind of personal data is
kept, as a dated rule set like every other rule of the platform."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.models import DatedRuleSet


class RetentionRules(DatedRuleSet):
    """Retention periods (数据保存期限). Defaults and their sources: docs/operations.md."""

    scan_days = models.PositiveSmallIntegerField(
        _("venue and gate scans: days kept after the scan"), default=28
    )
    location_days = models.PositiveSmallIntegerField(
        _("location stays: days kept after the day collected"), default=28
    )
    closed_record_days = models.PositiveSmallIntegerField(
        _("observation and screening records: days kept after release or clearing"), default=30
    )

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("retention rules")
        verbose_name_plural = _("retention rules")

    def __str__(self) -> str:
        return f"{self.effective_from}: {self.scan_days}/{self.location_days}/{self.closed_record_days}"
