"""Screening (人员排查): pushed lists, screening subjects and door-to-door tasks."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core import clock
from fangkong.core.fields import (
    celsius,
    optional_ref,
    path_column,
    ref_to,
    status_of,
    step,
    user_ref,
)
from fangkong.core.models import DatedRuleSet, NodeScoped, PathScoped, TimeStampedModel
from fangkong.core.querysets import RestrictedManager
from fangkong.screening import querysets as qs
from fangkong.screening.choices import (
    Contact,
    ExceptionKind,
    ExceptionStatus,
    Handover,
    Health,
    ListStatus,
    Match,
    Outcome,
    Placement,
    SourceKind,
    TaskStatus,
)


class ScreeningRules(DatedRuleSet):
    """The dated rule set of screening: due times (R14), named checklists. Which areas are
    key areas is the dated risk-area list (riskareas): a high-risk area on the day of
    arrival (`rules.is_key_area`)."""

    default_due_hours = models.PositiveIntegerField(_("visit due within (hours)"), default=24)
    key_area_due_hours = models.PositiveIntegerField(
        _("visit due within for arrivals from a key area (hours)"), default=1
    )
    checklists = models.JSONField(
        _("named checklists"),
        default=list,
        blank=True,
        help_text=_('[{"name": …, "items": [{"label": …, "numerator": …, "denominator": …}]}]'),
    )

    header_synonyms = models.JSONField(
        _("column header synonyms"),
        default=dict,
        blank=True,
        help_text=_(
            'Headers recognised for each field, replacing the published ones: {"arrival_date":'
            ' ["抵达时间", "到达时间"], …}'
        ),
    )
    upload_keep_hours = models.PositiveIntegerField(
        _("keep a failed import's file for re-running (hours)"),
        default=24,
        help_text=_("0: delete it at once. A successful import's file is always deleted."),
    )

    objects = qs.RulesQuerySet.as_manager()

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("screening rule set")
        verbose_name_plural = _("screening rule sets")


class ListSource(NodeScoped, TimeStampedModel):
    """A source of pushed lists (“telecom arrivals”, “rail passengers”) and the saved
    mapping of its file's column headers to our fields."""

    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=SourceKind.choices)
    column_map = models.JSONField(_("column mapping"), default=dict, blank=True)
    node = ref_to("geo.Division", _("owner"))

    objects = qs.SourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("list source")
        verbose_name_plural = _("list sources")
        constraints = [
            models.UniqueConstraint(fields=["node", "name"], name="screening_source_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class PushedList(NodeScoped, TimeStampedModel):
    """One uploaded file (or one day of self-declarations), idempotent by its SHA-256."""

    source = ref_to(ListSource, _("source"), related_name="lists")
    file_name = models.CharField(_("file"), max_length=200)
    sha256 = models.CharField(max_length=64, unique=True)
    stored_as = models.CharField(max_length=300, blank=True, editable=False)
    status = status_of(ListStatus, default=ListStatus.QUEUED, max_length=10)
    message = models.TextField(blank=True)
    job = optional_ref("core.Job")
    node = ref_to("geo.Division")
    uploaded_by = user_ref()
    counts = models.JSONField(default=dict, blank=True)
    unused_columns = models.JSONField(_("columns not used"), default=list, blank=True)
    keep_until = models.DateTimeField(_("file kept for a re-run until"), null=True, blank=True)

    objects = qs.PushedListQuerySet.as_manager()

    class Meta:
        verbose_name = _("pushed list")
        verbose_name_plural = _("pushed lists")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source} · {self.file_name}"


class Stated(models.Model):
    """What a pushed list states about a person (masked: no plain ID or phone), kept on
    each accepted row and on the screening subject it led to."""

    name = models.CharField(_("name"), max_length=50)
    id_masked = models.CharField(_("resident ID"), max_length=24, blank=True)
    phone_masked = models.CharField(_("mobile phone"), max_length=16, blank=True)
    address = models.CharField(_("stated address"), max_length=200, blank=True)
    origin = models.CharField(_("origin"), max_length=100, blank=True)
    arrival_at = models.DateTimeField(_("arrival"), null=True, blank=True)
    transport = models.CharField(_("transport"), max_length=40, blank=True)
    transport_no = models.CharField(_("number"), max_length=40, blank=True)
    itinerary = models.CharField(_("itinerary"), max_length=200, blank=True)

    class Meta:
        abstract = True


class ScreeningSubject(PathScoped, Stated, TimeStampedModel):
    """A person to be screened (排查对象): one per person, whatever the lists naming them."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.PROTECT, related_name="screening_subject"
    )
    key_area = models.BooleanField(_("from a key area"), default=False)
    sources = models.CharField(_("sources"), max_length=300, blank=True)
    node = ref_to("geo.Division", _("grid / village"))
    placement = models.CharField(max_length=10, choices=Placement.choices)

    objects = qs.SubjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("screening subject")
        verbose_name_plural = _("screening subjects")
        indexes = [models.Index(fields=["path", "created_at"], name="screening_subject_path")]

    def __str__(self) -> str:
        return f"{self.name} ({self.id_masked or self.phone_masked})"

    @property
    def source_list(self) -> list[str]:
        return [s for s in self.sources.split("|") if s]


class PushedRow(PathScoped, Stated):
    """One accepted row of a pushed list, kept with where it led (masked, no plain IDs)."""

    pushed_list = ref_to(PushedList, on_delete=models.CASCADE, related_name="rows")
    row_no = models.PositiveIntegerField(_("row"))
    row_hash = models.CharField(max_length=32)
    subject = models.ForeignKey(
        ScreeningSubject, on_delete=models.CASCADE, related_name="rows", null=True
    )
    match = models.CharField(_("person"), max_length=10, choices=Match.choices)
    placement = models.CharField(_("placement"), max_length=10, choices=Placement.choices)
    node = ref_to("geo.Division")
    queue_reason = models.CharField(_("why queued"), max_length=100, blank=True)
    candidates = models.CharField(_("candidates"), max_length=300, blank=True)
    conflict = models.CharField(_("conflict"), max_length=200, blank=True)

    objects = qs.RowQuerySet.as_manager()

    class Meta:
        verbose_name = _("pushed row")
        verbose_name_plural = _("pushed rows")
        constraints = [
            models.UniqueConstraint(fields=["row_hash"], name="screening_row_unique_hash")
        ]
        indexes = [models.Index(fields=["pushed_list", "row_no"], name="screening_row_list")]

    def __str__(self) -> str:
        return f"{self.pushed_list_id}:{self.row_no} {self.name}"


class ImportRejection(PathScoped):
    """A row that was not imported, with the reason; nothing is dropped silently."""

    pushed_list = ref_to(PushedList, on_delete=models.CASCADE, related_name="rejections")
    row_no = models.PositiveIntegerField(_("row"))
    duplicate = models.BooleanField(
        _("merged"), default=False, help_text=_("the same row as another (not an error)")
    )
    field = models.CharField(_("field"), max_length=20, blank=True)
    reason = models.CharField(_("reason"), max_length=200)
    name = models.CharField(_("name"), max_length=50, blank=True)

    objects = qs.RowQuerySet.as_manager()

    class Meta:
        verbose_name = _("rejected row")
        verbose_name_plural = _("rejected rows")
        ordering = ["pushed_list", "row_no"]

    def __str__(self) -> str:
        return f"{self.row_no}: {self.field} {self.reason}"


class ScreeningTask(PathScoped, TimeStampedModel):
    """A door-to-door visit (排查任务) for the grid worker, due by a dated rule."""

    subject = ref_to(ScreeningSubject, on_delete=models.CASCADE, related_name="tasks")
    node = ref_to("geo.Division", _("grid / village"))
    status = status_of(TaskStatus, default=TaskStatus.OPEN, max_length=10)
    key_area = models.BooleanField(_("from a key area"), default=False)
    due_at = models.DateTimeField(_("due"))
    visited_at = models.DateTimeField(_("visited"), null=True, blank=True)
    minutes_to_visit = models.PositiveIntegerField(null=True, blank=True, editable=False)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    handover = models.CharField(
        _("handover"), max_length=8, choices=Handover.choices, default="", blank=True
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = qs.TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("screening task")
        verbose_name_plural = _("screening tasks")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["path", "status", "due_at"], name="screening_task_queue"),
            models.Index(fields=["path", "created_at"], name="screening_task_created"),
        ]

    def __str__(self) -> str:
        return f"{self.subject.name} → {self.node.name}"

    @property
    def overdue(self) -> bool:
        return self.status == TaskStatus.OPEN and self.due_at < clock.now()


class TaskTransfer(models.Model):
    """A task moved from one queue to another (moved away, or handed on by a worker)."""

    task = ref_to(ScreeningTask, on_delete=models.CASCADE, related_name="transfers")
    from_node = ref_to("geo.Division")
    to_node = ref_to("geo.Division")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    at, by = step(now=True, blank=False)

    class Meta:
        verbose_name = _("task transfer")
        verbose_name_plural = _("task transfers")
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.from_node.code} → {self.to_node.code}"


class Visit(PathScoped):
    """The door-to-door screening record: the “十清晰” items (R19) and an outcome.

    `client_id` is generated by the form, so a phone's retry creates no second visit."""

    client_id = models.UUIDField(unique=True, default=uuid.uuid4)
    task = ref_to(ScreeningTask, on_delete=models.CASCADE, related_name="visits")
    visited_at, visited_by = step(_("visited at"), now=True, blank=False)
    identity_checked = models.BooleanField(_("identity clear"), default=False)
    phone_checked = models.BooleanField(_("phone clear"), default=False)
    address_checked = models.BooleanField(_("address clear"), default=False)
    origin_checked = models.BooleanField(_("origin clear"), default=False)
    arrival_checked = models.BooleanField(_("arrival time clear"), default=False)
    transport_checked = models.BooleanField(_("transport and number clear"), default=False)
    itinerary = models.TextField(_("itinerary (14 days)"), blank=True)
    contact = models.CharField(
        _("contact with cases"), max_length=10, choices=Contact.choices, default=Contact.NONE
    )
    health = models.CharField(
        _("health"), max_length=10, choices=Health.choices, default=Health.WELL
    )
    temperature = celsius(_("temperature (°C)"), null=True, blank=True)
    measures = models.CharField(_("measures taken"), max_length=200, blank=True)
    household_members = models.PositiveSmallIntegerField(_("household members"), default=1)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    new_address = models.CharField(_("new address (if moved)"), max_length=200, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.get_outcome_display()}"


class AddressAlias(NodeScoped, TimeStampedModel):
    """A name used in addresses (estate, building, street) that places a row in a grid."""

    text = models.CharField(_("name in addresses"), max_length=60)
    node = ref_to("geo.Division", _("grid / village"), on_delete=models.CASCADE)
    path = path_column()
    created_by = user_ref(_("added by"))

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("address alias")
        verbose_name_plural = _("address aliases")
        constraints = [
            models.UniqueConstraint(fields=["text", "node"], name="screening_alias_unique")
        ]

    def __str__(self) -> str:
        return f"{self.text} → {self.node.name}"


class ExceptionItem(PathScoped, TimeStampedModel):
    """A subject the town must place by hand: address unmatched or ambiguous, person not
    found, or moved to an address we cannot place."""

    kind = models.CharField(_("kind"), max_length=10, choices=ExceptionKind.choices)
    status = status_of(ExceptionStatus, default=ExceptionStatus.OPEN, max_length=10)
    subject = ref_to(ScreeningSubject, on_delete=models.CASCADE, related_name="exceptions")
    task = optional_ref(ScreeningTask, on_delete=models.CASCADE, related_name="exceptions")
    address = models.CharField(_("address"), max_length=200, blank=True)
    candidates = models.CharField(_("candidates"), max_length=300, blank=True)
    node = ref_to("geo.Division", _("queue of"))
    assigned_to = optional_ref("geo.Division", on_delete=models.PROTECT)
    resolved_at, resolved_by = step()

    objects = qs.ExceptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("screening exception")
        verbose_name_plural = _("screening exceptions")
        ordering = ["status", "created_at", "pk"]
        indexes = [models.Index(fields=["path", "status"], name="screening_exception_queue")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.address}"


class DeclarationReview(PathScoped):
    """A public self-declaration about a person already in the registry, held for staff
    review (R14, issue #16): an anonymous visitor who knows someone's ID must not put
    that person into key-area screening. The declared row is kept encrypted until a
    reviewer accepts it (it then takes the pipeline's road) or rejects it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    person = ref_to("people.Person", _("person"), on_delete=models.CASCADE)
    node = ref_to("geo.Division")
    path = path_column(db_index=True)
    name = models.CharField(_("name"), max_length=50)
    origin = models.CharField(_("coming from"), max_length=100)
    arrival_date = models.CharField(_("arrival date"), max_length=10)
    row_enc = models.BinaryField(editable=False)
    phone_masked = models.CharField(_("mobile phone"), max_length=16)
    status = status_of(Status, default=Status.PENDING, max_length=10)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    reviewed_at, reviewed_by = step()

    objects = qs.DeclarationReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("self-declaration to review")
        verbose_name_plural = _("self-declarations to review")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.created_at:%Y-%m-%d}"
