"""The public side (C13): bulletins and their published copies, knowledge articles,
rumours and clarifications, public questions (群众关切), return to work (复工复产) and
school (开学), and reported gatherings. Rules are dated (PublicRules)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.core import clock
from fangkong.core import models as core
from fangkong.core.fields import (
    celsius,
    optional_ref,
    ref_to,
    sealed,
    sealed_unindexed,
    status_of,
    step,
    user_ref,
)
from fangkong.core.models import DatedRuleSet
from fangkong.core.querysets import RestrictedManager
from fangkong.geo.choices import Level
from fangkong.public import choices as ch
from fangkong.public import querysets as qs


class PublicRules(DatedRuleSet):
    """Dated rules of the public side: answer time, R17 thresholds, the gathering ban,
    the rate limit of public submissions."""

    answer_hours = models.PositiveIntegerField(_("hours to answer a question"), default=24)
    rtw_days_before = models.PositiveIntegerField(
        _("days between submission and resume date (R17)"), default=3
    )
    rtw_town_max = models.PositiveIntegerField(
        _("largest company approved by the town"), default=100
    )
    rtw_county_max = models.PositiveIntegerField(
        _("largest company approved by the county"), default=500
    )
    rtw_inspection_from = models.PositiveIntegerField(
        _("on-site inspection from this many employees"), default=100
    )
    gathering_ban = models.BooleanField(_("gathering ban in force"), default=True)
    submissions_per_hour = models.PositiveIntegerField(
        _("public submissions per client per hour"), default=10
    )

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("public rules")
        verbose_name_plural = _("public rules")


class PublicRecord(core.NodeScoped):
    """A public-side record placed at a node, with the time it was created."""

    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        abstract = True


class Bulletin(PublicRecord):
    """A daily bulletin (疫情通报) of a jurisdiction: drafted from figures, reviewed and
    published by headquarters."""

    day = models.DateField(_("day"))
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"))
    figures = models.JSONField(_("figures by district"), default=list)
    places = models.JSONField(_("places of activity (coarse)"), default=list)
    status = models.CharField(max_length=10, choices=ch.BulletinStatus.choices, default="draft")
    drafted_by = user_ref(required=True)
    published_at, published_by = step(_("published"), on_delete=models.PROTECT)
    objects = qs.BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-day", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["node", "day"], name="public_bulletin_node_day")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.title}"


class PublishedBulletin(models.Model):
    """The read-only public copy of a published bulletin: the only table the public
    bulletin pages read, with no link to any personal record."""

    node_code = models.CharField(max_length=24)
    node_name = models.CharField(max_length=100)
    day = models.DateField()
    title = models.CharField(max_length=120)
    text = models.TextField()
    figures = models.JSONField(default=list)
    places = models.JSONField(default=list)
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["node_code", "day"], name="public_copy_node_day")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.title}"


class Article(PublicRecord):
    """A prevention knowledge article (防控知识)."""

    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"))
    published = models.BooleanField(_("published"), default=True)
    author = user_ref(required=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Rumour(PublicRecord):
    """A rumour reported by staff or the public, and its clarification (辟谣)."""

    text = models.TextField(_("rumour as circulated"))
    where_seen = models.CharField(_("where it circulates"), max_length=120, blank=True)
    source = models.CharField(max_length=8, choices=ch.ReportSource.choices)
    reported_by = user_ref()
    status = models.CharField(max_length=10, choices=ch.RumourStatus.choices, default="reported")
    clarification = models.TextField(_("clarification"), blank=True)
    sources = models.TextField(_("sources"), blank=True)
    clarified_at, clarified_by = step(_("clarified"))

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("rumour")
        verbose_name_plural = _("rumours")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:40]


class Question(PublicRecord):
    """A question from the public (群众关切), routed to a jurisdiction and department,
    answered within the dated time limit, escalated upward when overdue."""

    ticket = models.CharField(_("ticket"), max_length=12, unique=True)
    department = models.CharField(_("department"), max_length=12, choices=ch.Department.choices)
    text = models.TextField(_("question"))
    phone_enc, phone_index, phone_masked = sealed(_("mobile phone"), max_length=16)
    due_at = models.DateTimeField(_("answer due"))
    escalated_to = optional_ref("geo.Division", _("escalated to"), on_delete=models.PROTECT)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at, answered_by = step(_("answered"))
    published = models.BooleanField(_("answer published"), default=False)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    objects = qs.QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("public question")
        verbose_name_plural = _("public questions")
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["answered_at", "due_at"], name="public_q_open_due")]

    def __str__(self) -> str:
        return self.ticket

    @property
    def anonymous(self) -> bool:
        return not self.phone_index


class Enterprise(models.Model):
    """A white-listed essential enterprise (重点保障企业): handled first."""

    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=120)
    listed_on = models.DateField(_("listed on"), default=clock.today)

    class Meta:
        verbose_name = _("essential enterprise")
        verbose_name_plural = _("essential enterprises")

    def __str__(self) -> str:
        return self.name


class ApprovalBatch(PublicRecord):
    """A published batch of approved return-to-work applications (复工企业名单)."""

    number = models.PositiveIntegerField(_("batch"))
    published_by = user_ref(required=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("approval batch")
        verbose_name_plural = _("approval batches")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["node", "number"], name="public_batch_number")
        ]

    def __str__(self) -> str:
        return f"{self.node_id}#{self.number}"


class WorkApplication(PublicRecord):
    """An enterprise's application to resume work (复工复产申请, R17)."""

    company = models.CharField(_("company"), max_length=120)
    credit_code = models.CharField(_("unified social credit code"), max_length=18)
    contact_name = models.CharField(_("contact"), max_length=40)
    contingency_plan = models.TextField(_("contingency plan"))
    resume_date = models.DateField(_("resume date"))
    essential = models.BooleanField(_("essential (white-listed)"), default=False, editable=False)
    approval_level = models.CharField(
        _("approval level"), max_length=10, editable=False, choices=Level.choices
    )
    inspection_required = models.BooleanField(default=False, editable=False)
    inspected_at = models.DateTimeField(_("inspected"), null=True, blank=True)
    inspection_note = models.CharField(_("inspection"), max_length=200, blank=True)
    status = status_of(ch.ApplicationStatus, default="draft", max_length=10)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at, decided_by = step(_("decided"))
    decision_note = models.CharField(_("note"), max_length=200, blank=True)
    batch = optional_ref(ApprovalBatch, on_delete=models.PROTECT, related_name="applications")
    created_by = user_ref(required=True)
    objects = qs.ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("return-to-work application")
        verbose_name_plural = _("return-to-work applications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.company


class Employee(models.Model):
    """A listed employee and their health declaration, made on a phone form opened by
    an unguessable token (no personal data in the link)."""

    application = ref_to(WorkApplication, on_delete=models.CASCADE, related_name="employees")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=40)
    phone_enc, phone_index, phone_masked = sealed(_("mobile phone"), max_length=16)
    token = models.CharField(max_length=32, unique=True, editable=False)
    declared_at = models.DateTimeField(_("declared"), null=True, blank=True)
    temperature = celsius(null=True, blank=True)
    symptoms = models.BooleanField(_("symptoms"), default=False)
    from_key_area = models.BooleanField(_("from a key area within 14 days"), default=False)
    health_code = models.CharField(_("health code"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class SchoolPlan(PublicRecord):
    """A school's return plan (返校开学方案) with its checklist and declarations."""

    school = models.CharField(_("school"), max_length=120)
    return_date = models.DateField(_("return date"))
    contingency_plan = models.TextField(_("contingency plan"))
    classes = models.PositiveIntegerField(_("classes"))
    students = models.PositiveIntegerField(_("students"))
    staff = models.PositiveIntegerField(_("staff"))
    staff_declared = models.PositiveIntegerField(_("staff declared healthy"), default=0)
    students_declared = models.PositiveIntegerField(_("students declared healthy"), default=0)
    checklist = models.JSONField(_("checklist done"), default=list)
    status = models.CharField(max_length=10, choices=ch.PlanStatus.choices, default="filed")
    decided_at, decided_by = step()
    decision_note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = user_ref(required=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("school return plan")
        verbose_name_plural = _("school return plans")
        ordering = ["return_date", "pk"]

    def __str__(self) -> str:
        return self.school


class Gathering(PublicRecord):
    """A planned or found gathering (婚丧喜宴) and how the community handled it."""

    kind = models.CharField(_("kind"), max_length=10, choices=ch.GatheringKind.choices)
    source = models.CharField(_("source"), max_length=10, choices=ch.GatheringSource.choices)
    planned_on = models.DateField(_("planned on"))
    organiser = models.CharField(_("organiser"), max_length=40)
    phone_enc, phone_masked = sealed_unindexed(_("mobile phone"), max_length=16)
    venue = models.CharField(_("venue"), max_length=120)
    guests = models.PositiveIntegerField(_("expected guests"))
    under_ban = models.BooleanField(_("under the ban"), default=False, editable=False)
    handling = models.CharField(
        _("handling"), max_length=10, choices=ch.Handling.choices, blank=True
    )
    handled_at, handled_by = step(_("handled"))
    follow_up = models.TextField(_("follow-up"), blank=True)
    followed_up_at = models.DateTimeField(_("followed up"), null=True, blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("gathering")
        verbose_name_plural = _("gatherings")
        ordering = ["planned_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.planned_on}"
