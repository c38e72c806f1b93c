"""The daily briefing (每日会商研判材料): figures of one node for one day, computed in the
background at the cut-off and stored, so opening it is instant and yesterday's stays
as it was; and the dated rule set that fixes the cut-off and the analysis parameters."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.fields import optional_ref, ref_to, status_of
from fangkong.core.models import DatedRuleSet, NodeScoped
from fangkong.core.querysets import RestrictedQuerySet


class BriefingRules(DatedRuleSet):
    """Cut-off and analysis parameters, in force from a date (defaults by migration)."""

    cutoff = models.TimeField(_("cut-off time"), default=dt.time(8, 0))
    history_days = models.PositiveSmallIntegerField(_("days of history for Rt"), default=60)
    rt_window = models.PositiveSmallIntegerField(_("Rt window (days)"), default=7)
    si_mean = models.DecimalField(
        _("serial interval mean (days)"), max_digits=4, decimal_places=2, default=Decimal("6.3")
    )
    si_sd = models.DecimalField(
        _("serial interval sd (days)"), max_digits=4, decimal_places=2, default=Decimal("4.2")
    )
    si_source = models.CharField(_("serial interval source"), max_length=200, blank=True)
    growth_days = models.PositiveSmallIntegerField(_("days fitted for doubling time"), default=14)
    forecast_days = models.PositiveSmallIntegerField(_("forecast horizon (days)"), default=14)
    rt_min_cases = models.PositiveSmallIntegerField(
        _("Rt: fewest local cases in a window for a credible estimate"), default=12
    )
    rt_max_width = models.DecimalField(
        _("Rt: widest credible interval (95 per cent) shown as a point"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("2.00"),
    )

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("briefing rule set")
        verbose_name_plural = _("briefing rule sets")

    def __str__(self) -> str:
        return f"{self.effective_from}: cut-off {self.cutoff:%H:%M}"


COLOUR_BANDS = [
    (0, _("green")),
    (1, _("blue")),
    (2, _("yellow")),
    (3, _("orange")),
    (4, _("red")),
]


def score(verbose_name: Any, default: str) -> Any:
    """A weight or a cut-off of the R16 score: a share between 0 and 1, two decimals."""
    return models.DecimalField(
        verbose_name, max_digits=3, decimal_places=2, default=Decimal(default)
    )


class RiskRules(DatedRuleSet):
    """R16, the five-colour county map, as a dated rule set headquarters edits. Zhejiang
    published the indicators and the easing steps, not the weights and cut-offs: the
    defaults are the platform's assumption (docs/analytics.md, `rules.SOURCES`). R15 is
    exact and not configurable (`analytics.risk.COUNTY_RISK_2020`)."""

    weight_cumulative = score(_("weight: confirmed cases"), "0.50")
    weight_local_share = score(_("weight: share of local cases"), "0.20")
    weight_clusters = score(_("weight: clusters"), "0.30")
    cumulative_full = models.PositiveSmallIntegerField(
        _("confirmed cases that score in full"), default=50
    )
    clusters_full = models.PositiveSmallIntegerField(_("clusters that score in full"), default=3)
    cut_yellow = score(_("yellow from score"), "0.25")
    cut_orange = score(_("orange from score"), "0.50")
    cut_red = score(_("red from score"), "0.75")
    ease_one_days = models.PositiveSmallIntegerField(
        _("one colour lower after (days without a new case)"), default=3
    )
    ease_two_days = models.PositiveSmallIntegerField(
        _("two colours lower after (days without a new case)"), default=7
    )
    count_days = models.PositiveSmallIntegerField(
        _("count the confirmed cases of the last (days; 0 = all)"), default=0
    )
    medium_max = models.PositiveSmallIntegerField(
        _("medium-risk county (R15): at most"), choices=COLOUR_BANDS, default=3
    )
    high_min = models.PositiveSmallIntegerField(
        _("high-risk county (R15): at least"), choices=COLOUR_BANDS, default=3
    )

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("five-colour map rule set")
        verbose_name_plural = _("five-colour map rule sets")

    def __str__(self) -> str:
        return f"{self.effective_from}: R16"


class BriefingQuerySet(RestrictedQuerySet):
    def done(self) -> "BriefingQuerySet":
        return self.filter(status="done")


class Briefing(NodeScoped):
    """One node's briefing for one day, as of the cut-off; `data` holds every figure."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    node = ref_to("geo.Division")
    day = models.DateField(_("day"))
    cutoff_at = models.DateTimeField(_("figures as of"))
    status = status_of(Status, default=Status.QUEUED, max_length=8)
    rules = ref_to(BriefingRules)
    job = optional_ref("core.Job")
    data = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)
    # Set by the briefing's consumer of `core.facts` when a fact about a person of this
    # node changes after the computation: the page says the figures are out of date.
    facts_changed_at = models.DateTimeField(_("facts changed"), null=True, blank=True)
    compute_seconds = models.FloatField(null=True, blank=True)

    objects = BriefingQuerySet.as_manager()

    class Meta:
        verbose_name = _("daily briefing")
        verbose_name_plural = _("daily briefings")
        ordering = ["-day", "path"]
        constraints = [models.UniqueConstraint(fields=["node", "day"], name="briefing_node_day")]

    def __str__(self) -> str:
        return f"{self.node_id} {self.day}"
