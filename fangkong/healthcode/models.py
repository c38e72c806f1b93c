"""The health code (健康码): red, yellow or green DERIVED from stored facts (cases,
observation, contacts, arrivals, check-ins) by the dated rule set (R11, R12); the current
colour is cached with its reasons, every change kept, overrides written and audited."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core import clock
from fangkong.core.fields import celsius, ref_to, step
from fangkong.core.models import DatedRuleSet, PathScoped
from fangkong.core.querysets import RestrictedQuerySet
from fangkong.healthcode.choices import Colour, RiskLevel


class CodeQuerySet(RestrictedQuerySet):
    def of_colour(self, colour: str) -> "CodeQuerySet":
        return self.filter(colour=colour)


class CodeRules(DatedRuleSet):
    """Dated rule set of R11 (what makes red or yellow) and R12 (back to green)."""

    post_discharge_days = models.PositiveSmallIntegerField(
        _("red after discharge (days)"), default=14
    )
    high_risk_days = models.PositiveSmallIntegerField(
        _("red after arrival from a high-risk area (days)"), default=14
    )
    medium_risk_days = models.PositiveSmallIntegerField(
        _("yellow after arrival from a medium-risk area (days)"), default=14
    )
    possible_contact_days = models.PositiveSmallIntegerField(
        _("yellow after a possible contact (days)"), default=14
    )
    red_days = models.PositiveSmallIntegerField(_("red → green after (days)"), default=14)
    red_checkins = models.PositiveSmallIntegerField(
        _("red → green: consecutive normal check-ins"), default=14
    )
    yellow_checkins = models.PositiveSmallIntegerField(
        _("yellow → green: consecutive normal check-ins"), default=7
    )
    fever_threshold = celsius(_("fever from (°C)"), default=Decimal("37.3"))
    qr_seconds = models.PositiveIntegerField(_("QR code valid for (seconds)"), default=120)
    retroactive = models.BooleanField(
        _("applies to earlier arrivals too"),
        default=False,
        help_text=_(
            "Without this, an arrival is judged by the rule set in force on its date; "
            "a set marked retroactive also judges arrivals before it took effect."
        ),
    )

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("health code rule set")
        verbose_name_plural = _("health code rule sets")

    def __str__(self) -> str:
        return f"{self.effective_from}: {self.red_checkins}/{self.yellow_checkins}"


class PersonFact(PathScoped):
    """A fact about one person's code, placed by the person's path (its writer copies it)
    and read through the code queries."""

    person = ref_to("people.Person", on_delete=models.CASCADE)

    objects = CodeQuerySet.as_manager()

    class Meta:
        abstract = True


class Arrival(PersonFact):
    """A stored fact: the person arrived from an area of a risk level on a day."""

    origin = models.CharField(_("from"), max_length=100)
    risk_level = models.CharField(_("risk"), max_length=6, choices=RiskLevel.choices)
    arrived_on = models.DateField(_("arrived on"))
    recorded_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = _("arrival")
        verbose_name_plural = _("arrivals")
        indexes = [models.Index(fields=["arrived_on", "person"], name="hc_arrival_day")]

    def __str__(self) -> str:
        return f"{self.origin} {self.arrived_on}"


class DailyCheckIn(PersonFact):
    """The resident's daily health report (每日健康打卡); idempotent by client id."""

    day = models.DateField(_("day"))
    client_id = models.UUIDField(unique=True)
    temperature = celsius(_("temperature (°C)"))
    symptoms = models.JSONField(_("symptoms"), default=list, blank=True)
    abnormal = models.BooleanField(_("abnormal"), default=False)
    at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("daily check-in")
        verbose_name_plural = _("daily check-ins")
        indexes = [models.Index(fields=["person", "day"], name="hc_checkin_person_day")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.day} {self.temperature}"


class HealthCode(PersonFact):
    """A person's current colour, with the reasons; derived, never edited by hand."""

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="+")
    colour = models.CharField(_("colour"), max_length=6, choices=Colour.choices)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    since = models.DateField(_("since"))
    overridden = models.BooleanField(_("set by headquarters"), default=False)
    # What the last full recomputation read, reduced to what a normal check-in can change
    # (the facts without the check-ins, the run of normal check-in days, the rule values
    # used: `rules.basis_of`), and the day it was derived. A normal check-in of that day
    # re-derives the colour from it without reading the facts again (issue #21); every
    # full recomputation derives it anew. Null: not derived yet (the next fact reads all).
    basis = models.JSONField(null=True, blank=True, editable=False)
    basis_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("health code")
        verbose_name_plural = _("health codes")
        indexes = [models.Index(fields=["path", "colour"], name="hc_code_path_colour")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.colour}"


class CodeChange(PersonFact):
    """The history: every change of a person's colour, with the reasons at that time."""

    from_colour = models.CharField(max_length=6, choices=Colour.choices, blank=True)
    to_colour = models.CharField(_("colour"), max_length=6, choices=Colour.choices)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    at = models.DateTimeField(_("at"), default=clock.now)

    class Meta:
        verbose_name = _("colour change")
        verbose_name_plural = _("colour changes")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["person", "at"], name="hc_change_person")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.from_colour} → {self.to_colour}"


class CodeOverride(PersonFact):
    """A headquarters decision that overrides the derived colour, with a written reason."""

    colour = models.CharField(_("colour"), max_length=6, choices=Colour.choices)
    reason = models.CharField(_("reason"), max_length=300)
    until = models.DateField(_("until"), null=True, blank=True)
    active = models.BooleanField(default=True)
    at, by = step(now=True, required=True)

    class Meta:
        verbose_name = _("colour override")
        verbose_name_plural = _("colour overrides")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.colour} ({self.reason[:30]})"
