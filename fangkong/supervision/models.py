"""Supervision (督查): inspection plans and teams, open and unannounced inspections with
topic checklists, findings with evidence photos, rectification tasks verified by the
inspector, and cadre records — commendations and accountability cases (C12, S3.3)."""

from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.core import clock
from fangkong.core.fields import USER, optional_ref, path_column, ref_to, status_of, step, user_ref
from fangkong.core.models import DatedRuleSet, NodeScoped, Placed
from fangkong.core.querysets import RestrictedManager
from fangkong.supervision.choices import (
    CommendingBody,
    DecidingBody,
    InspectionKind,
    InspectionStatus,
    Outcome,
    RectificationStatus,
    Severity,
    Topic,
)
from fangkong.supervision.querysets import (
    CaseQuerySet,
    InspectionChildQuerySet,
    InspectionQuerySet,
    RectificationQuerySet,
)


def photo_storage() -> FileSystemStorage:
    """Evidence photos live under var/media/supervision, served only by a scoped view."""
    return FileSystemStorage(location=settings.VAR_DIR / "media" / "supervision")


class SupervisionRuleSet(DatedRuleSet):
    """When a rectification is due by default and when an unanswered one escalates."""

    rectification_days = models.PositiveSmallIntegerField(_("default days to rectify"), default=7)
    escalation_grace_days = models.PositiveSmallIntegerField(
        _("days past the deadline before escalation"), default=0
    )

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("supervision rule set")
        verbose_name_plural = _("supervision rule sets")


class Checklist(models.Model):
    """The check items of one topic (configuration, seeded by a migration, editable)."""

    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, unique=True)
    items = models.JSONField(_("check items"), default=list)
    active = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["topic"]

    def __str__(self) -> str:
        return str(self.get_topic_display())


class AccountabilityDecision(models.Model):
    """A kind of decision in an accountability case (configurable list: criticism and
    education, admonishment talk, written inspection, sanctions, dismissal)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("accountability decision")
        verbose_name_plural = _("accountability decisions")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class InspectionPlan(NodeScoped):
    """An inspection plan (督查计划) of a node for a period and topics."""

    node = ref_to("geo.Division", _("organised by"))
    title = models.CharField(_("title"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    topics = models.JSONField(_("topics"), default=list)
    created_at, created_by = step(now=True, editable=False, required=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class InspectionTeam(Placed):
    """A team (督查组) of a plan: a leader and members, discipline or headquarters staff."""

    placed_by = "plan"

    plan = ref_to(InspectionPlan, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=80)
    leader = user_ref(_("leader"), required=True)
    members = models.ManyToManyField(  # type: ignore[var-annotated]
        USER, verbose_name=_("members"), blank=True, related_name="inspection_teams"
    )

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("inspection team")
        verbose_name_plural = _("inspection teams")
        ordering = ["plan", "name"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="sv_team_name")]

    def __str__(self) -> str:
        return self.name


class Inspection(NodeScoped):
    """An inspection of a node by a team. An unannounced one (暗访) stays invisible to
    the inspected node and its subtree until it is recorded; `path` is the inspected
    node's path."""

    team = ref_to(InspectionTeam, _("team"), related_name="inspections")
    node = ref_to("geo.Division", _("inspected node"))
    kind = models.CharField(_("kind"), max_length=12, choices=InspectionKind.choices)
    topics = models.JSONField(_("topics"), default=list)
    planned_on = models.DateField(_("planned on"))
    leader = user_ref(_("leader"), required=True)
    subject = optional_ref(
        "mobilisation.Member", _("cadre in charge"), related_name="inspections_as_subject"
    )
    status = status_of(InspectionStatus, default=InspectionStatus.PLANNED, max_length=10)
    summary = models.TextField(_("summary"), blank=True)
    recorded_at, recorded_by = step(_("recorded at"))
    created_at = models.DateTimeField(default=clock.now, editable=False)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-planned_on", "-pk"]
        indexes = [models.Index(fields=["path", "planned_on"], name="sv_inspection_path_day")]

    def __str__(self) -> str:
        return f"{self.node} {self.planned_on}"

    @property
    def hidden_until_recorded(self) -> bool:
        return self.kind == InspectionKind.UNANNOUNCED and self.recorded_at is None

    def get_additional_data(self) -> dict:
        """Audit entries of an unannounced inspection are placed at the organising node,
        so the inspected node's discipline office cannot learn of it from the audit log."""
        if self.kind == InspectionKind.UNANNOUNCED:
            return {"path": self.team.plan.path}
        return {"path": self.path}


class CheckResult(Placed):
    """One check item of a topic answered on an inspection: pass, fail or n/a."""

    placed_by = "inspection"

    inspection = ref_to(Inspection, on_delete=models.CASCADE, related_name="results")
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    item_no = models.PositiveSmallIntegerField(_("item number"))
    item_text = models.CharField(_("check item"), max_length=200)
    outcome = models.CharField(_("outcome"), max_length=4, choices=Outcome.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = InspectionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("check result")
        verbose_name_plural = _("check results")
        ordering = ["inspection", "topic", "item_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "topic", "item_no"], name="sv_result_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.topic}#{self.item_no}: {self.outcome}"


class Finding(Placed):
    """A problem found on an inspection (发现问题), with the cadre concerned if any."""

    placed_by = "inspection"

    inspection = ref_to(Inspection, related_name="findings")
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, blank=True)
    description = models.TextField(_("description"))
    severity = models.CharField(
        pgettext_lazy("finding", "severity"),
        max_length=8,
        choices=Severity.choices,
        default=Severity.MINOR,
    )
    cadre = optional_ref("mobilisation.Member", _("cadre concerned"), related_name="findings")
    created_at, created_by = step(now=True, editable=False, required=True)

    objects = InspectionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.description[:60]

    def get_additional_data(self) -> dict:
        return self.inspection.get_additional_data()


class EvidencePhoto(Placed):
    """A photo of a finding, re-encoded as JPEG (no EXIF, bounded size) on upload."""

    placed_by = "finding"

    finding = ref_to(Finding, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(storage=photo_storage, upload_to="%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    uploaded_at, uploaded_by = step(now=True, editable=False, required=True)

    objects = InspectionChildQuerySet.as_manager()
    inspection_lookup = "finding__inspection"

    class Meta:
        verbose_name = _("evidence photo")
        verbose_name_plural = _("evidence photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"photo {self.pk} of finding {self.finding_id}"


class Rectification(Placed):
    """A rectification task (整改) for a finding: an owner node (and optionally an
    account), a deadline, the owner's reply, the inspector's verification, closure.
    `path` is the owner's node; an overdue task escalates to `escalate_path`, the node
    above the owner."""

    placed_by = "owner_node"

    finding = ref_to(Finding, related_name="rectifications")
    owner_node = ref_to("geo.Division", _("owner"))
    owner_user = user_ref(_("owner (person)"))
    requirement = models.TextField(_("what must be rectified"))
    deadline = models.DateField(_("deadline"))
    status = status_of(RectificationStatus, default=RectificationStatus.OPEN, max_length=10)
    reply = models.TextField(_("reply of the inspected node"), blank=True)
    replied_at, replied_by = step()
    verification_note = models.CharField(_("verification note"), max_length=300, blank=True)
    verified_at, verified_by = step()
    rejections = models.PositiveSmallIntegerField(_("replies sent back"), default=0)
    closed_at, closed_by = step()
    escalate_path = path_column()
    created_at, created_by = step(now=True, editable=False, required=True)

    objects = RectificationQuerySet.as_manager()
    inspection_lookup = "finding__inspection"

    class Meta:
        verbose_name = _("rectification task")
        verbose_name_plural = _("rectification tasks")
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["escalate_path", "status", "deadline"], name="sv_rect_escalation"),
            models.Index(fields=["path", "status", "deadline"], name="sv_rect_path_status"),
            models.Index(fields=["owner_user", "deadline"], name="sv_rect_owner_user"),
        ]

    def __str__(self) -> str:
        return f"{self.owner_node} {self.deadline}: {self.requirement[:40]}"


class Commendation(Placed):
    """A commendation (表彰) of a member or of a Party organisation."""

    placed_by = "recipient"

    member = optional_ref(
        "mobilisation.Member", _("member"), on_delete=models.PROTECT, related_name="commendations"
    )
    organisation = optional_ref(
        "mobilisation.PartyOrganisation",
        _("Party organisation"),
        on_delete=models.PROTECT,
        related_name="commendations",
    )
    title = models.CharField(_("title"), max_length=120)
    reason = models.TextField(pgettext_lazy("commendation", "reason"))
    decided_by = models.CharField(_("decided by"), max_length=30, choices=CommendingBody.choices)
    decided_on = models.DateField(_("decided on"))
    created_at, created_by = step(now=True, editable=False, required=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member__isnull=False, organisation__isnull=True)
                | models.Q(member__isnull=True, organisation__isnull=False),
                name="sv_commendation_one_subject",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def recipient(self) -> Any:
        return self.member or self.organisation


class AccountabilityCase(Placed):
    """An accountability case (问责) against a cadre, resting on a finding; visible
    only to the organisation department, discipline inspection and city/county
    headquarters of the subtree. `path` is the inspected node of the finding."""

    placed_by = "finding"

    finding = ref_to(Finding, _("finding"), related_name="cases")
    member = ref_to("mobilisation.Member", _("cadre"), related_name="accountability_cases")
    decision = models.ForeignKey(
        AccountabilityDecision, verbose_name=_("decision"), on_delete=models.PROTECT
    )
    decided_by = models.CharField(_("decided by"), max_length=30, choices=DecidingBody.choices)
    decided_on = models.DateField(_("decided on"))
    summary = models.TextField(_("summary"), blank=True)
    created_at, created_by = step(now=True, editable=False, required=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("accountability case")
        verbose_name_plural = _("accountability cases")
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.decision_id} {self.decided_on}"
