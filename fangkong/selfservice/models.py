"""Self-service health code (申领): a resident's own declaration, or one made for an
elderly parent or a child by a family member (代领), and appeals (申诉) against a colour.

A declaration is a stored fact of its own: it can only add to what is known (facts win),
it never edits the registry, and where it contradicts stored facts the contradiction is
kept on it for staff to see."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core import clock
from fangkong.core.fields import optional_ref, path_column, ref_to, sealed, status_of, step
from fangkong.core.models import DatedRuleSet, PathScoped
from fangkong.core.querysets import RestrictedQuerySet
from fangkong.core.symptoms import symptom_labels
from fangkong.selfservice.choices import AppealStatus, Relation


class SelfServiceRules(DatedRuleSet):
    stay_days = models.PositiveSmallIntegerField(
        _("places stayed asked for (last N days)"), default=14
    )
    proxy_elderly_from = models.PositiveSmallIntegerField(
        _("a family member may apply for a person aged at least"), default=60
    )
    proxy_children_under = models.PositiveSmallIntegerField(
        _("a family member may apply for a child under"), default=18
    )
    appeal_hours = models.PositiveSmallIntegerField(_("appeal decided within (hours)"), default=24)
    applications_per_hour = models.PositiveSmallIntegerField(
        _("applications per hour from one address"), default=30
    )

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("self-service rule set")
        verbose_name_plural = _("self-service rule sets")

    def __str__(self) -> str:
        return f"{self.effective_from}: {self.appeal_hours} h"


class DeclarationQuerySet(RestrictedQuerySet):
    def contradicting(self) -> "DeclarationQuerySet":
        return self.exclude(contradictions=[])


class Declaration(PathScoped):
    person = ref_to("people.Person", on_delete=models.CASCADE)
    relation = models.CharField(_("applied by"), max_length=12, choices=Relation.choices)
    applicant_name = models.CharField(_("applicant"), max_length=50)
    phone_enc, phone_index, phone_masked = sealed(
        _("verified phone"), max_length=16, indexed=True, required=True
    )
    stays = models.JSONField(_("places stayed"), default=list, blank=True)
    symptoms = models.JSONField(_("symptoms"), default=list, blank=True)
    case_contact = models.BooleanField(_("contact with cases"), default=False)
    case_contact_on = models.DateField(_("contact on"), null=True, blank=True)
    address = models.CharField(_("current address"), max_length=200, blank=True)
    node = ref_to("geo.Division", _("community"))
    consent = models.CharField(_("consent given to"), max_length=40)
    day = models.DateField(_("day"))
    declared_at = models.DateTimeField(_("declared at"), default=clock.now)
    colour = models.CharField(_("colour"), max_length=6)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    green_on = models.DateField(_("green from"), null=True, blank=True)
    contradictions = models.JSONField(_("contradicts stored facts"), default=list, blank=True)
    new_person = models.BooleanField(_("new in the registry"), default=False)

    objects = DeclarationQuerySet.as_manager()

    class Meta:
        verbose_name = _("self-declaration")
        verbose_name_plural = _("self-declarations")
        ordering = ["-declared_at", "-pk"]
        indexes = [
            models.Index(fields=["person", "day"], name="ss_decl_person_day"),
            models.Index(fields=["day"], name="ss_decl_day"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.day} {self.colour}"

    @property
    def symptom_words(self) -> str:
        """The declared symptoms in the reader's words."""
        return symptom_labels(self.symptoms)

    @property
    def declared_parts(self) -> list[str]:
        """What the resident declared, part by part: stays (place and the day they left),
        symptoms, contact with cases; empty when nothing unusual was declared."""
        parts = [f"{s.get('name', '')}（{s.get('left_on', '')}）" for s in self.stays or []]
        if self.symptoms:
            parts.append(self.symptom_words)
        if self.case_contact:
            on = f" {self.case_contact_on}" if self.case_contact_on else ""
            parts.append(str(_("contact with cases")) + on)
        return parts

    @property
    def is_proxy(self) -> bool:
        return self.relation != Relation.SELF


class AppealQuerySet(RestrictedQuerySet):
    def pending(self) -> "AppealQuerySet":
        return self.filter(status=AppealStatus.PENDING)

    def overdue(self, now=None) -> "AppealQuerySet":  # type: ignore[no-untyped-def]
        return self.pending().filter(due_at__lt=now or clock.now())


class Appeal(PathScoped):
    person = ref_to("people.Person", on_delete=models.CASCADE)
    number = models.CharField(_("number"), max_length=12, unique=True)
    reason = models.TextField(_("reason"))
    colour_before = models.CharField(_("colour when filed"), max_length=6)
    filed_at = models.DateTimeField(_("filed at"), default=clock.now)
    due_at = models.DateTimeField(_("decide by"))
    status = status_of(AppealStatus, default=AppealStatus.PENDING, max_length=8)
    decided_at, decided_by = step(_("decided at"), on_delete=models.PROTECT)
    decision_reason = models.TextField(_("decision reason"), blank=True)
    colour_after = models.CharField(_("colour after review"), max_length=6, blank=True)
    override = optional_ref("healthcode.CodeOverride")
    escalate_path = path_column(db_index=True)

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-filed_at", "-pk"]
        indexes = [models.Index(fields=["status", "due_at"], name="ss_appeal_due")]

    def __str__(self) -> str:
        return f"{self.number} {self.status}"

    @property
    def overdue(self) -> bool:
        return self.status == AppealStatus.PENDING and clock.now() > self.due_at
