"""Care for front-line workers (关心关爱) and their advanced deeds (先进事迹).

A difficulty is routed to a jurisdiction node, has an owner and a deadline; whether it
is overdue (and so escalated to the level above) is derived from the deadline and the
clock, never stored. A deed is reviewed, published to the public side, and may be
linked to the commendation it earned (supervision.Commendation)."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.care.choices import DeedStatus, DifficultyState, DifficultyStatus, Relation
from fangkong.care.querysets import DeedQuerySet, DifficultyQuerySet
from fangkong.core import clock, crypto
from fangkong.core.fields import (
    optional_ref,
    path_column,
    path_index,
    ref_to,
    sealed,
    status_of,
    step,
    user_ref,
)
from fangkong.core.models import DatedRuleSet, DetailPage, NodeScoped, TimeStampedModel
from fangkong.core.querysets import RestrictedQuerySet


class PhotoStorage(FileSystemStorage):
    """Deed photos live under var/media/care (read when used, so a test or a deployment
    may move the var directory) and are served only by checked views."""

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(settings.VAR_DIR / "media" / "care")

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def photo_storage() -> FileSystemStorage:
    return PhotoStorage()


class CareRules(DatedRuleSet):
    """Dated rules of care: days to solve a difficulty, photo limits, submissions."""

    solve_days = models.PositiveSmallIntegerField(_("days to solve a difficulty"), default=3)
    photo_max_kb = models.PositiveIntegerField(_("largest photo (KB)"), default=5120)
    photos_per_deed = models.PositiveSmallIntegerField(_("photos per deed"), default=6)
    reports_per_hour = models.PositiveSmallIntegerField(
        _("phone reports per client per hour"), default=10
    )

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("care rules")
        verbose_name_plural = _("care rules")

    def __str__(self) -> str:
        return f"{self.effective_from}: {self.solve_days}"


class Category(models.Model):
    """A category of difficulty (childcare, elderly care…); configurable by headquarters."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=40)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("difficulty category")
        verbose_name_plural = _("difficulty categories")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Difficulty(DetailPage, NodeScoped, TimeStampedModel):
    """A practical difficulty (困难诉求) of a front-line worker or their family."""

    detail_view = "care:difficulty"

    category = ref_to(Category, _("category"))
    description = models.TextField(_("description"), max_length=1000)
    relation = models.CharField(
        _("reported by"), max_length=10, choices=Relation.choices, default=Relation.SELF
    )
    reporter_name = models.CharField(_("reporter"), max_length=50)
    phone_enc, phone_index, phone_masked = sealed(_("mobile phone"), max_length=16, indexed=True)
    member = optional_ref("mobilisation.Member", _("member"), related_name="difficulties")
    node = ref_to("geo.Division", _("responsible node"))
    path = path_column()
    owner = user_ref(_("owner"))
    deadline = models.DateTimeField(_("deadline"))
    status = status_of(DifficultyStatus, default=DifficultyStatus.OPEN, max_length=10)
    taken_at = models.DateTimeField(_("taken in hand"), null=True, blank=True)
    solved_at = models.DateTimeField(_("solved"), null=True, blank=True)
    solution = models.TextField(_("what was done"), blank=True)
    solved_by = user_ref()
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.CharField(_("comment"), max_length=200, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    reported_by = user_ref(_("entered by"))

    objects = DifficultyQuerySet.as_manager()

    class Meta:
        verbose_name = _("difficulty")
        verbose_name_plural = _("difficulties")
        ordering = ["-created_at", "-pk"]
        indexes = [
            path_index("care_difficulty_path", "status", "varchar_pattern_ops"),
            models.Index(fields=["status", "deadline"], name="care_difficulty_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="care_difficulty_rating_1_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} · {self.reporter_name} ({self.phone_masked})"

    def set_phone(self, phone: str) -> None:
        from fangkong.people.rules import mask_phone

        self.phone_enc = crypto.encrypt(phone, "care.difficulty.phone")
        self.phone_index = crypto.blind_index(phone, "person.phone")
        self.phone_masked = mask_phone(phone)

    def reveal_phone(self) -> str:
        return (
            crypto.decrypt(bytes(self.phone_enc), "care.difficulty.phone") if self.phone_enc else ""
        )

    def state_at(self, at=None) -> str:  # type: ignore[no-untyped-def]
        """The derived state: overdue unsolved difficulties count as escalated."""
        if self.status == DifficultyStatus.SOLVED:
            return DifficultyState.SOLVED
        if self.deadline < (at or clock.now()):
            return DifficultyState.ESCALATED
        return self.status

    @property
    def state(self) -> str:
        return self.state_at()

    def get_state_display(self) -> str:
        return str(DifficultyState(self.state).label)

    @property
    def escalated_to(self):  # type: ignore[no-untyped-def]
        """The level above the responsible node, which sees it when it is overdue."""
        return self.node.parent if self.state == DifficultyState.ESCALATED else None


class Deed(DetailPage, NodeScoped, TimeStampedModel):
    """An advanced deed (先进事迹) of a member or an organisation: reviewed, then
    published on the public side; it may earn a commendation."""

    detail_view = "care:deed"

    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text"), max_length=5000)
    hero_name = models.CharField(_("person or organisation named"), max_length=100)
    member = optional_ref("mobilisation.Member", _("member"), related_name="deeds")
    organisation = optional_ref(
        "mobilisation.PartyOrganisation", _("Party organisation"), related_name="deeds"
    )
    path = path_column()
    status = status_of(DeedStatus, default=DeedStatus.SUBMITTED, max_length=10)
    submitted_by = user_ref(required=True)
    reviewed_at, reviewed_by = step(_("reviewed"))
    review_reason = models.TextField(_("reason"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    commendation = optional_ref("supervision.Commendation", _("commendation"), related_name="deeds")

    objects = DeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("advanced deed")
        verbose_name_plural = _("advanced deeds")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="care_deed_published"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == DeedStatus.PUBLISHED


class DeedPhoto(models.Model):
    """A photo of a deed: checked for type and size when uploaded, stored outside
    the static files, served through a view that checks access (or publication)."""

    deed = ref_to(Deed, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(storage=photo_storage, upload_to="deeds/%Y/%m/")
    content_type = models.CharField(max_length=20)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    scope_path = "deed__path"
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("deed photo")
        verbose_name_plural = _("deed photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.deed} #{self.pk}"
