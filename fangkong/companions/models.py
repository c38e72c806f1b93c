"""Companion-detection runs (时空伴随排查), their cases and ranked candidate exposures."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.companions import querysets as qs
from fangkong.companions.choices import Decision, Engine
from fangkong.core.fields import optional_ref, ref_to, step
from fangkong.core.models import DatedRuleSet, DetailPage, NodeScoped, Placed
from fangkong.core.querysets import RestrictedManager


def default_weights() -> dict[str, int]:
    from fangkong.analytics.companions.job import DEFAULT_RISK

    return {str(k): v for k, v in DEFAULT_RISK.items()}


class CompanionRules(DatedRuleSet):
    """The dated rule set of companion detection: θ, bucket width, sessionising gap,
    tracing window and setting weights."""

    theta_minutes = models.PositiveIntegerField(_("minimum shared time (minutes)"), default=10)
    bucket_minutes = models.PositiveIntegerField(_("time bucket (minutes)"), default=240)
    gap_minutes = models.PositiveIntegerField(_("new stay after a gap of (minutes)"), default=30)
    days_before_onset = models.PositiveIntegerField(
        _("tracing starts days before onset"), default=2
    )
    weights = models.JSONField(
        _("setting weights (per mille)"),
        default=default_weights,
        help_text=_("Setting code → weight per mille of shared time, used for ranking"),
    )
    batch_size = models.PositiveIntegerField(_("cases per batch"), default=25)

    objects = qs.RulesQuerySet.as_manager()

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("companion rule set")
        verbose_name_plural = _("companion rule sets")

    def risk(self) -> dict[int, int]:
        return {int(k): int(v) for k, v in (self.weights or default_weights()).items()}


class DataIdentity(Placed):
    """Links a person id of a stay data set (an operator's pseudonymous subscriber, a
    simulator's person) to the person registry, so candidates show a registered person."""

    placed_by = "person"

    dataset = models.CharField(_("data set"), max_length=80)
    ref = models.BigIntegerField(_("person id in the data set"))
    person = ref_to("people.Person", on_delete=models.CASCADE)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("data set identity")
        verbose_name_plural = _("data set identities")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "ref"], name="companions_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dataset}:{self.ref}"


class CompanionRun(DetailPage, NodeScoped):
    """One detection run over a data set for a batch of cases, done as a background job."""

    detail_view = "companions:run"

    job = models.OneToOneField("core.Job", on_delete=models.CASCADE, related_name="companion_run")
    node = ref_to("geo.Division")
    dataset = models.CharField(_("data set"), max_length=80)
    engine = models.CharField(_("engine"), max_length=10, choices=Engine.choices)
    rules = models.ForeignKey(CompanionRules, on_delete=models.PROTECT, null=True, blank=True)
    theta_seconds = models.PositiveIntegerField(_("minimum shared time (s)"))
    bucket_seconds = models.PositiveIntegerField(_("time bucket (s)"))
    report = models.JSONField(default=dict, blank=True)
    created_at, created_by = step(now=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("companion run")
        verbose_name_plural = _("companion runs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.dataset} · {self.get_engine_display()} #{self.pk}"


class RunCase(Placed):
    """A case traced in a run: its id in the data set, its window, how many companions."""

    placed_by = "run"

    run = ref_to(CompanionRun, on_delete=models.CASCADE, related_name="cases")
    ref = models.BigIntegerField(_("case id in the data set"))
    person = optional_ref("people.Person")
    window_from = models.DateTimeField(_("tracing from"), null=True, blank=True)
    window_to = models.DateTimeField(_("tracing to"), null=True, blank=True)
    companions = models.PositiveIntegerField(_("companions"), default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("traced case")
        verbose_name_plural = _("traced cases")
        ordering = ["run", "ref"]
        constraints = [models.UniqueConstraint(fields=["run", "ref"], name="companions_case_once")]

    def __str__(self) -> str:
        return f"#{self.ref}"


class CandidateExposure(Placed):
    """A person who shared a place with a case long enough, ranked by exposure, for an
    investigator to confirm or dismiss (候选密接)."""

    placed_by = "run"

    run = ref_to(CompanionRun, on_delete=models.CASCADE, related_name="candidates")
    case = ref_to(RunCase, on_delete=models.CASCADE, related_name="candidates")
    ref = models.BigIntegerField(_("person id in the data set"))
    person = optional_ref("people.Person")
    rank = models.PositiveIntegerField(_("rank"))
    overlap_seconds = models.PositiveIntegerField(_("shared time (s)"))
    cell_seconds = models.PositiveIntegerField(_("shared time in cells (s)"))
    venue_seconds = models.PositiveIntegerField(_("shared time in venues (s)"))
    exposure = models.BigIntegerField(_("exposure"))
    shared_stays = models.PositiveIntegerField(_("shared stays"))
    first_at = models.DateTimeField(_("first together"))
    last_at = models.DateTimeField(_("last together"))
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_at, decided_by = step()
    decision_note = models.CharField(_("reason"), max_length=200, blank=True)

    objects = qs.CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidate exposure")
        verbose_name_plural = _("candidate exposures")
        ordering = ["case", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["case", "ref"], name="companions_candidate_once")
        ]
        indexes = [models.Index(fields=["run", "case", "rank"], name="companions_cand_rank")]

    def __str__(self) -> str:
        return f"#{self.ref} ← #{self.case.ref} ({self.rank})"

    @property
    def exposure_minutes(self) -> float:
        """Weighted shared minutes: Σ overlap × weight (per mille) / 1000 / 60."""
        return round(self.exposure / 60_000, 2)

    @property
    def overlap_minutes(self) -> int:
        return self.overlap_seconds // 60
