"""Medical observation (医学观察): sites and rooms, observation periods, placements,
check-ins, missed-check-in tasks, fever referrals and the dated rule set."""

import datetime as dt
import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core import clock
from fangkong.core import models as core
from fangkong.core.fields import celsius, optional_ref, ref_to, status_of, step, user_ref
from fangkong.core.querysets import RestrictedManager
from fangkong.observation.choices import (
    PlaceKind,
    Reason,
    ReferralStatus,
    ReporterKind,
    Status,
    TaskStatus,
    Window,
    symptom_labels,
    symptom_summary,
)
from fangkong.observation.querysets import (
    CheckInQuerySet,
    PeriodQuerySet,
    RoomQuerySet,
    SiteQuerySet,
)

R5_SYMPTOMS = ["fever", "cough", "shortness_of_breath", "diarrhoea"]


def _default_referral_symptoms() -> list[str]:
    return list(R5_SYMPTOMS)


class ObservationRules(core.DatedRuleSet):
    """A dated rule set (R2–R6). A period is judged by the set in force on its start date."""

    days = models.PositiveSmallIntegerField(_("observation days"), default=14)
    morning_start = models.TimeField(_("morning window opens"), default=dt.time(6, 0))
    morning_end = models.TimeField(_("morning window closes"), default=dt.time(12, 0))
    evening_start = models.TimeField(_("evening window opens"), default=dt.time(16, 0))
    evening_end = models.TimeField(_("evening window closes"), default=dt.time(22, 0))
    fever_threshold = celsius(_("fever threshold (°C)"), default=Decimal("37.3"))
    min_temperature = celsius(_("lowest valid reading (°C)"), default=Decimal("34.0"))
    max_temperature = celsius(_("highest valid reading (°C)"), default=Decimal("43.0"))
    referral_symptoms = models.JSONField(
        _("symptoms that refer to a fever clinic"), default=_default_referral_symptoms
    )
    negative_test_required = models.BooleanField(
        _("negative test required at release"), default=False
    )
    link_readings_per_window = models.PositiveSmallIntegerField(
        _("readings per check-in window through the person's link"),
        default=6,
        help_text=_("More through the signed link in one window are refused (flooding)."),
    )

    class Meta(core.DatedRuleSet.Meta):
        verbose_name = _("observation rule set")
        verbose_name_plural = _("observation rule sets")

    def __str__(self) -> str:
        return f"{self.effective_from}: {self.days} d, ≥{self.fever_threshold} °C"

    @property
    def referral_symptom_labels(self) -> str:
        return symptom_labels(self.referral_symptoms)


class QuarantineSite(core.NodeScoped, core.TimeStampedModel):
    """A centralised observation site (集中隔离点), usually a requisitioned hotel."""

    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200)
    node = ref_to("geo.Division", _("jurisdiction"), related_name="quarantine_sites")
    doctor = user_ref(_("site doctor"), related_name="doctor_of_sites")
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff"),
        blank=True,
        related_name="staff_of_sites",
    )
    active = models.BooleanField(_("in use"), default=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("quarantine site")
        verbose_name_plural = _("quarantine sites")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def free_beds(self) -> int:
        """Beds no one is placed in (a site read `with_occupancy`): the sum of its rooms'
        free beds."""
        return max(int(getattr(self, "capacity", 0)) - int(getattr(self, "occupied", 0)), 0)


class Room(core.Placed):
    """A room of a site; `capacity` persons at most."""

    placed_by = "site"

    site = ref_to(QuarantineSite, on_delete=models.CASCADE, related_name="rooms")
    number = models.CharField(_("room"), max_length=20)
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=1)

    objects = RoomQuerySet.as_manager()

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["site", "number"]
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="room_unique_number"),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="room_capacity_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.site.name} {self.number}"


class ObservationPeriod(core.DetailPage, core.PathScoped, core.TimeStampedModel):
    """One person's observation (医学观察期). The planned end is derived from the last
    exposure (or arrival) by the rule set in force on the start date; the columns
    under "line list" are kept up to date by the actions for fast lists."""

    detail_view = "observation:period"

    person = ref_to("people.Person", related_name="observation_periods")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    start_date = models.DateField(_("start"))
    last_exposure = models.DateField(_("last exposure or arrival"))
    planned_end = models.DateField(_("planned end"), editable=False)
    rules = ref_to(ObservationRules)
    status = status_of(Status, default=Status.ACTIVE, max_length=16)
    place_kind = models.CharField(
        _("place"), max_length=4, choices=PlaceKind.choices, default=PlaceKind.HOME
    )
    site = optional_ref(QuarantineSite, on_delete=models.PROTECT, related_name="periods")
    room = optional_ref(Room, on_delete=models.PROTECT, related_name="periods")
    # Sent to a site by the county or town, awaiting a room there (待入住): the site's
    # staff see the person and assign the room; cleared when placed at that site.
    sent_to = optional_ref(
        QuarantineSite,
        _("sent to site"),
        on_delete=models.PROTECT,
        related_name="sent_periods",
    )
    grid = ref_to("geo.Division", _("grid"))
    grid_worker = user_ref(_("responsible grid worker"))
    doctor = user_ref(_("responsible doctor"))
    # Who gets the missed-check-in task: the site doctor at a site, else the grid worker.
    responsible = user_ref()

    # Line list (Sara Alert style), pre-computed by the actions.
    last_checkin_at = models.DateTimeField(_("last check-in"), null=True, blank=True)
    last_temperature = celsius(_("last temperature"), null=True, blank=True)
    symptomatic = models.BooleanField(_("symptomatic"), default=False)

    link_version = models.PositiveIntegerField(default=0, editable=False)
    link_revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    negative_test_on = models.DateField(_("negative test on"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    certificate_code = models.CharField(max_length=32, null=True, blank=True, unique=True)
    created_by = user_ref()

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("observation period")
        verbose_name_plural = _("observation periods")
        indexes = [
            models.Index(fields=["status", "path"], name="obs_period_status_path"),
            models.Index(fields=["path", "id"], name="obs_period_path_id"),
            models.Index(fields=["planned_end", "status"], name="obs_period_end"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status__in=["active", "referred"]),
                name="obs_one_open_period_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.start_date}–{self.planned_end}"

    @property
    def is_open(self) -> bool:
        return self.status in (Status.ACTIVE, Status.REFERRED)

    @property
    def day_number(self) -> int:
        """Day N of the observation, counted like the release date (R2): day 1 is the day
        after the last exposure (or arrival), day 14 the planned end of a 14-day rule."""
        return max((clock.today() - self.last_exposure).days, 0)

    def new_certificate_code(self) -> str:
        return secrets.token_urlsafe(18)


class Placement(core.PathScoped):
    """Where a period was spent, from when to when (home, a site, a room): the history."""

    period = ref_to(ObservationPeriod, on_delete=models.CASCADE, related_name="placements")
    kind = models.CharField(_("place"), max_length=4, choices=PlaceKind.choices)
    site = optional_ref(QuarantineSite, on_delete=models.PROTECT)
    room = optional_ref(Room, on_delete=models.PROTECT, related_name="placements")
    started_at = models.DateTimeField(_("from"), default=clock.now)
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    by = user_ref()

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["started_at", "pk"]
        indexes = [models.Index(fields=["room", "ended_at"], name="obs_placement_room_open")]

    def __str__(self) -> str:
        where = str(self.room or self.site or self.get_kind_display())
        return f"{self.period_id} @ {where} from {self.started_at:%Y-%m-%d %H:%M}"


class CheckIn(core.PathScoped):
    """One temperature and symptom report (体温及症状报告); idempotent by `client_id`."""

    # Indexed by the unique (period, client_id) and the (period, date, window) indexes.
    period = ref_to(
        ObservationPeriod, on_delete=models.CASCADE, related_name="checkins", db_index=False
    )
    client_id = models.UUIDField(_("client id"))
    taken_at = models.DateTimeField(_("taken at"))
    local_date = models.DateField(_("date"))
    window = models.CharField(_("window"), max_length=8, choices=Window.choices)
    on_time = models.BooleanField(_("within the window"), default=True)
    temperature = celsius(_("temperature (°C)"))
    symptoms = models.JSONField(_("symptoms"), default=list, blank=True)
    other_symptom = models.CharField(_("other symptom"), max_length=100, blank=True)
    febrile = models.BooleanField(_("fever"), default=False)
    symptomatic = models.BooleanField(_("symptomatic"), default=False)
    reporter_kind = models.CharField(_("reported by"), max_length=16, choices=ReporterKind.choices)
    # Never searched by: no index keeps the busiest insert lean.
    received_at, reported_by = step(now=True, editable=False, db_index=False)

    objects = CheckInQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-taken_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["period", "client_id"], name="checkin_unique_client")
        ]
        indexes = [
            models.Index(fields=["period", "local_date", "window"], name="obs_checkin_window"),
            models.Index(fields=["local_date", "path"], name="obs_checkin_date_path"),
        ]

    def __str__(self) -> str:
        return f"{self.period_id} {self.local_date} {self.window} {self.temperature}"


class AlertTask(core.PathScoped):
    """A missed check-in window → a task for the grid worker or site doctor (R3).

    Tasks are written in bulk by the sweep from existing periods and accounts, so the
    foreign keys carry no database constraint (Django still cascades and nulls on
    delete): at 100,000 periods the constraint triggers cost as much as the insert."""

    # Indexed by the unique (period, date, window) index.
    period = ref_to(
        ObservationPeriod,
        on_delete=models.CASCADE,
        related_name="tasks",
        db_index=False,
        db_constraint=False,
    )
    local_date = models.DateField(_("date"))
    window = models.CharField(_("window"), max_length=8, choices=Window.choices)
    assigned_to = user_ref(_("assigned to"), related_name="observation_tasks", db_constraint=False)
    status = status_of(TaskStatus, default=TaskStatus.OPEN, max_length=8)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    done_at, done_by = step(db_index=False, db_constraint=False)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("missed check-in task")
        verbose_name_plural = _("missed check-in tasks")
        ordering = ["-local_date", "window", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "local_date", "window"], name="alert_unique_window"
            )
        ]
        indexes = [models.Index(fields=["status", "path"], name="obs_task_status_path")]

    def __str__(self) -> str:
        return f"{self.period_id} missed {self.local_date} {self.window}"


class Referral(core.PathScoped):
    """A referral to a fever clinic (R5); the clinical pathway picks it up."""

    period = ref_to(ObservationPeriod, on_delete=models.CASCADE, related_name="referrals")
    checkin = optional_ref(CheckIn)
    temperature = celsius(null=True, blank=True)
    symptoms = models.JSONField(default=list, blank=True)
    reason = models.CharField(_("reason"), max_length=200)
    clinic = models.CharField(_("fever clinic"), max_length=100, blank=True)
    status = status_of(ReferralStatus, default=ReferralStatus.PENDING, max_length=10)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    resolved_at, resolved_by = step()

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("fever clinic referral")
        verbose_name_plural = _("fever clinic referrals")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.period_id} → {self.clinic or '?'} ({self.status})"

    @property
    def summary(self) -> str:
        """What the referral is for, in the reader's language: the temperature and the
        symptoms' labels when it came from a check-in, the written reason otherwise."""
        if self.temperature is None and not self.symptoms:
            return self.reason
        return symptom_summary(self.temperature, self.symptoms)
