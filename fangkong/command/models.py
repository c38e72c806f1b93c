"""Command (指挥): response level, targets, measures, task forces, directives with
receipts, daily meetings with decisions, and reports upward (C8, C14)."""

from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.command.choices import DecisionStatus, Direction, ResponseGrade, Schedule
from fangkong.command.querysets import (
    DecisionQuerySet,
    DirectiveQuerySet,
    ReceiptQuerySet,
    SubmissionQuerySet,
    TemplateQuerySet,
)
from fangkong.core import clock
from fangkong.core.fields import USER, optional_ref, path_column, ref_to, status_of, step, user_ref
from fangkong.core.models import DatedRuleSet, NodeScoped, PathScoped
from fangkong.core.querysets import RestrictedManager


def attachment_storage() -> FileSystemStorage:
    """Attachments live under var/media/command and are served only by a scoped view."""
    return FileSystemStorage(location=settings.VAR_DIR / "media" / "command")


class ResponseLevel(DatedRuleSet):
    """The emergency response level in force from a date (R18), set by headquarters."""

    grade = models.CharField(_("response level"), max_length=4, choices=ResponseGrade.choices)

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("response level")
        verbose_name_plural = _("response levels")

    def __str__(self) -> str:
        return f"{self.effective_from}: {self.grade}"


class Target(NodeScoped):
    """A target of a jurisdiction (e.g. 两确保三争取) tracked by daily indicators."""

    name = models.CharField(_("target"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    owner = user_ref(_("owner"), required=True)
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["path", "name"]

    def __str__(self) -> str:
        return self.name


class Indicator(PathScoped):
    target = ref_to(Target, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=120)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    goal = models.DecimalField(_("goal"), max_digits=12, decimal_places=2)
    direction = models.CharField(
        _("met when"), max_length=10, choices=Direction.choices, default=Direction.AT_LEAST
    )
    path = path_column(db_index=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["target", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.direction} {self.goal}{self.unit})"


class IndicatorValue(PathScoped):
    """The value of an indicator on one day."""

    indicator = ref_to(Indicator, on_delete=models.CASCADE, related_name="values")
    day = models.DateField(_("day"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    recorded_at, recorded_by = step(now=True, required=True)

    objects = RestrictedManager()

    class Meta:
        ordering = ["indicator", "-day"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "day"], name="cmd_indicator_day")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.day}: {self.value}"


class MeasureList(models.Model):
    """A named checklist of measures (e.g. 三清一管好), configured by headquarters and
    expected from every node of `level`."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    level = models.CharField(_("expected from level"), max_length=10)
    items = models.JSONField(_("measures"), default=list)
    active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = _("measures checklist")
        verbose_name_plural = _("measures checklists")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MeasureStatus(NodeScoped):
    """One measure of a checklist done (or not) at one node."""

    checklist = ref_to(MeasureList, on_delete=models.CASCADE, related_name="statuses")
    item = models.PositiveSmallIntegerField(_("measure number"))
    done = models.BooleanField(_("done"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at, updated_by = step(now=True, required=True)
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("measure status")
        verbose_name_plural = _("measure statuses")
        constraints = [
            models.UniqueConstraint(fields=["checklist", "item", "node"], name="cmd_measure_node")
        ]

    def __str__(self) -> str:
        return f"{self.checklist_id}#{self.item} @{self.node_id}: {self.done}"


class TaskForce(NodeScoped):
    """A task force (专班) of a headquarters, with its leader and division of work."""

    name = models.CharField(_("name"), max_length=80)
    leader = user_ref(_("leader"), required=True)
    members = models.ManyToManyField(  # type: ignore[var-annotated]
        USER, verbose_name=_("members"), blank=True, related_name="+"
    )
    responsibilities = models.TextField(_("responsibilities"))
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("task force")
        verbose_name_plural = _("task forces")
        ordering = ["path", "name"]
        constraints = [models.UniqueConstraint(fields=["node", "name"], name="cmd_taskforce_name")]

    def __str__(self) -> str:
        return self.name


class Directive(NodeScoped):
    """A directive issued by a node (`node`) down to its subtree or chosen nodes."""

    title = models.CharField(_("title"), max_length=150)
    text = models.TextField(_("text"))
    attachment = models.FileField(
        _("attachment"), storage=attachment_storage, upload_to="%Y/%m/", blank=True
    )
    deadline = models.DateTimeField(_("deadline"))
    ack_required = models.BooleanField(_("acknowledgement required"), default=True)
    feedback_required = models.BooleanField(_("report back required"), default=False)
    levels = models.JSONField(_("recipient levels"), default=list, blank=True)
    owner = user_ref(_("owner"), required=True)
    issued_at, issued_by = step(_("issued"), now=True, required=True)
    decision = optional_ref("Decision", related_name="directives")
    objects = DirectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class DirectiveReceipt(NodeScoped):
    """What one recipient organisation did with a directive; `path` is the recipient's."""

    directive = ref_to(Directive, on_delete=models.CASCADE, related_name="receipts")
    level = models.CharField(max_length=10, editable=False)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    acknowledged_at, acknowledged_by = step(_("acknowledged"))
    reported_at = models.DateTimeField(_("reported back"), null=True, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    escalated_to = optional_ref("geo.Division", on_delete=models.PROTECT)
    objects = ReceiptQuerySet.as_manager()

    class Meta:
        verbose_name = _("directive receipt")
        verbose_name_plural = _("directive receipts")
        ordering = ["directive", "path"]
        constraints = [
            models.UniqueConstraint(fields=["directive", "node"], name="cmd_receipt_node")
        ]
        indexes = [models.Index(fields=["path", "directive"], name="cmd_receipt_path")]

    def __str__(self) -> str:
        return f"{self.directive_id} → {self.node_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.level = self.node.level
        super().save(*args, **kwargs)


class Meeting(NodeScoped):
    """The daily meeting (每日会商) of a headquarters."""

    day = models.DateField(_("day"))
    title = models.CharField(_("title"), max_length=120)
    agenda = models.JSONField(_("agenda"), default=list, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    chaired_by = user_ref(required=True)
    carried = models.ManyToManyField(  # type: ignore[var-annotated]
        "Decision", blank=True, related_name="carried_to", verbose_name=_("carried over")
    )
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-day", "path"]
        constraints = [models.UniqueConstraint(fields=["node", "day"], name="cmd_meeting_day")]

    def __str__(self) -> str:
        return f"{self.title} {self.day}"


class Decision(PathScoped):
    """A decision of a meeting, followed up as a task with an owner and a deadline."""

    meeting = ref_to(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    owner = user_ref(_("owner"), required=True)
    deadline = models.DateField(_("deadline"))
    status = status_of(DecisionStatus, default=DecisionStatus.OPEN, max_length=6)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    path = path_column(db_index=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class ReportTemplate(NodeScoped):
    """A report expected upward from every node of `level` under `node` (C14)."""

    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("expected from level"), max_length=10)
    schedule = models.CharField(
        _("schedule"), max_length=8, choices=Schedule.choices, default=Schedule.DAILY
    )
    deadline_time = models.TimeField(_("due by (time of day)"))
    lock_after_hours = models.PositiveIntegerField(_("locked hours after the deadline"), default=24)
    fields = models.JSONField(_("figures to report"), default=list)
    starts_on = models.DateField(_("first period"))
    ends_on = models.DateField(_("last period"), null=True, blank=True)
    created_by = user_ref(required=True)
    objects = TemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")
        ordering = ["path", "name"]

    def __str__(self) -> str:
        return self.name


class Submission(NodeScoped):
    """One node's report for one period; `on_time` and `completeness` are stored."""

    template = ref_to(ReportTemplate, on_delete=models.CASCADE, related_name="submissions")
    period = models.DateField(_("period"))
    data = models.JSONField(_("figures"), default=dict)
    completeness = models.FloatField(_("completeness"), default=0.0)
    on_time = models.BooleanField(_("on time"), default=True)
    submitted_at, submitted_by = step(_("submitted"), now=True, required=True)
    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("report submission")
        verbose_name_plural = _("report submissions")
        ordering = ["-period", "path"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "node", "period"], name="cmd_submission_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.template_id} {self.node_id} {self.period}"
