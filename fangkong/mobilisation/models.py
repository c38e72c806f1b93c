"""Party organisations, units, members and cadres, registration where they live,
posts, shifts and assignments with rest rules, protective equipment per shift (C11)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core import clock, crypto, fields
from fangkong.core.fields import optional_ref, path_column, ref_to, sealed, status_of, step
from fangkong.core.models import DatedRuleSet, NodeScoped, PathScoped, Placed, TimeStampedModel
from fangkong.mobilisation.choices import (
    ACTIVE_REGISTRATION,
    HealthStatus,
    OrganisationKind,
    PostKind,
    RegistrationStatus,
    UnitKind,
)
from fangkong.mobilisation.querysets import (
    AssignmentQuerySet,
    MemberQuerySet,
    OrganisationQuerySet,
    PostQuerySet,
    PpeIssueQuerySet,
    RegistrationQuerySet,
    ShiftQuerySet,
    UnitQuerySet,
)


class RestRuleSet(DatedRuleSet):
    """Rest rules (劳逸结合) in force from a date: how long a shift and a day may be,
    how many days in a row, and how long the rest between two shifts must be."""

    max_shift_hours = models.PositiveSmallIntegerField(_("maximum hours per shift"), default=12)
    max_hours_per_24h = models.PositiveSmallIntegerField(
        _("maximum hours in any 24 hours"), default=12
    )
    max_consecutive_days = models.PositiveSmallIntegerField(
        _("maximum consecutive days on duty"), default=6
    )
    min_rest_hours = models.PositiveSmallIntegerField(
        _("minimum rest between shifts (hours)"), default=8
    )

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("rest rule set")
        verbose_name_plural = _("rest rule sets")


class Named(NodeScoped, TimeStampedModel):
    """A named record of a node that the mobilisation lists show under it (a unit, a Party
    organisation, a post: `views._node_list`), by place then name."""

    name = models.CharField(_("name"), max_length=120)

    class Meta:
        abstract = True
        ordering = ["path", "name"]

    def __str__(self) -> str:
        return self.name


class Unit(Named):
    """A unit of the territory (office, enterprise, hospital, school) at a node."""

    kind = models.CharField(_("kind"), max_length=12, choices=UnitKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta(Named.Meta):
        verbose_name = _("unit")
        verbose_name_plural = _("units")


class PartyOrganisation(Named):
    """A Party committee, general branch or branch, placed at a node and, where it
    belongs to one, at a unit."""

    kind = models.CharField(_("kind"), max_length=16, choices=OrganisationKind.choices)
    parent = optional_ref(
        "self", _("parent organisation"), on_delete=models.PROTECT, related_name="children"
    )
    unit = optional_ref(Unit, _("unit"), related_name="organisations")
    secretary = optional_ref("Member", _("secretary"))

    objects = OrganisationQuerySet.as_manager()

    class Meta(Named.Meta):
        verbose_name = _("Party organisation")
        verbose_name_plural = _("Party organisations")


class Member(PathScoped, TimeStampedModel):
    """A Party member, cadre, medical worker or volunteer. The phone is protected like
    a person's (ciphertext, blind index, masked column)."""

    name = models.CharField(_("name"), max_length=50)
    phone_enc, phone_index, phone_masked = sealed(_("mobile phone"), max_length=16)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
    )
    is_party_member = models.BooleanField(_("Party member"), default=False)
    is_cadre = models.BooleanField(_("cadre"), default=False)
    cadre_rank = models.CharField(_("cadre rank"), max_length=40, blank=True)
    is_medical = models.BooleanField(_("medical worker"), default=False)
    is_volunteer = models.BooleanField(_("volunteer"), default=False)
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    health_status = models.CharField(
        _("health status"),
        max_length=12,
        choices=HealthStatus.choices,
        default=HealthStatus.HEALTHY,
    )
    organisation = optional_ref(PartyOrganisation, _("Party organisation"), related_name="members")
    unit = optional_ref(Unit, _("unit"), related_name="members")
    community = optional_ref("geo.Division", _("registered at community"), on_delete=models.PROTECT)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["phone_index"],
                condition=models.Q(phone_index__isnull=False),
                name="member_unique_phone",
            )
        ]
        indexes = [fields.path_index("member_path_id")]

    def __str__(self) -> str:
        return self.name

    def reveal_phone(self) -> str:
        return crypto.decrypt(bytes(self.phone_enc), "member.phone") if self.phone_enc else ""

    @property
    def kinds(self) -> list[str]:
        out = []
        if self.is_party_member:
            out.append(str(_("Party member")))
        if self.is_cadre:
            out.append(f"{_('cadre')} {self.cadre_rank}".strip())
        if self.is_medical:
            out.append(str(_("medical worker")))
        if self.is_volunteer:
            out.append(str(_("volunteer")))
        return out


class Registration(Placed):
    """A member's registration at the community where they live (到居住地社区报名入列);
    the community's staff confirm or decline. One pending or confirmed at a time."""

    placed_by = "community"

    member = ref_to(Member, _("member"), on_delete=models.CASCADE, related_name="registrations")
    community = ref_to("geo.Division", _("community"))
    status = status_of(RegistrationStatus, default=RegistrationStatus.PENDING, max_length=10)
    note = models.CharField(_("note"), max_length=200, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    decided_at, decided_by = step()

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status__in=ACTIVE_REGISTRATION),
                name="registration_one_active_per_member",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.community}"


class Post(Named):
    """A duty post (checkpoint, gate, team, hotline) at a node, staffed around the
    clock by shifts of `shift_hours` with `required_per_shift` people each."""

    kind = models.CharField(_("kind"), max_length=12, choices=PostKind.choices)
    required_per_shift = models.PositiveSmallIntegerField(_("people required per shift"), default=2)
    shift_hours = models.PositiveSmallIntegerField(_("hours per shift"), default=8)
    first_shift_hour = models.PositiveSmallIntegerField(
        _("first shift starts at (hour)"), default=0
    )
    active = models.BooleanField(_("active"), default=True)

    objects = PostQuerySet.as_manager()

    class Meta(Named.Meta):
        verbose_name = _("post")
        verbose_name_plural = _("posts")


class Shift(Placed):
    """One shift of a post, from `starts_at` to `ends_at` (aware datetimes)."""

    placed_by = "post"

    post = ref_to(Post, _("post"), on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    required = models.PositiveSmallIntegerField(_("people required"), default=2)
    path = path_column()

    objects = ShiftQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at", "post_id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "starts_at"], name="shift_unique_start"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["path", "starts_at"], name="shift_path_start")]

    def __str__(self) -> str:
        return f"{self.post} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


class Assignment(Placed):
    """A member on a shift. Rest rules broken at assignment are kept with the
    override reason that allowed it."""

    placed_by = "shift"

    member = ref_to(Member, _("member"), related_name="assignments")
    shift = ref_to(Shift, _("shift"), on_delete=models.CASCADE, related_name="assignments")
    starts_at = models.DateTimeField(editable=False)
    ends_at = models.DateTimeField(editable=False)
    broken_rules = models.JSONField(_("rest rules overridden"), default=list, blank=True)
    override_reason = models.CharField(_("override reason"), max_length=300, blank=True)
    created_at, created_by = step(now=True, editable=False)
    path = path_column()

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "shift"], name="assignment_unique"),
        ]
        indexes = [
            models.Index(fields=["member", "starts_at"], name="assignment_member_start"),
            models.Index(fields=["path", "starts_at"], name="assignment_path_start"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.shift}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.starts_at = self.shift.starts_at
        self.ends_at = self.shift.ends_at
        super().save(*args, **kwargs)

    @property
    def overridden(self) -> bool:
        return bool(self.broken_rules)


class PpeIssue(Placed):
    """Protective equipment issued for one assignment; `ledger_entry_id` names the
    supplies ledger entry when the supplies app recorded the issue."""

    placed_by = "assignment"

    assignment = ref_to(Assignment, _("assignment"), on_delete=models.CASCADE, related_name="ppe")
    item_code = models.CharField(_("item"), max_length=40)
    item_name = models.CharField(_("item name"), max_length=120, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    ledger_entry_id = models.BigIntegerField(_("ledger entry"), null=True, blank=True)
    issued_at, issued_by = step(now=True, editable=False)

    objects = PpeIssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("protective equipment issue")
        verbose_name_plural = _("protective equipment issues")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.item_name or self.item_code} × {self.quantity}"
