"""The clinical pathway (临床救治): fever clinics and designated hospitals with wards,
beds and expert teams; fever-clinic visits with a responsible first-contact doctor;
cases with every classification change kept; samples, transfers, daily status, case
investigations with their exposures, clusters, and the dated rule set (R7–R10)."""

import datetime as dt
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.clinical import querysets as qs
from fangkong.clinical.choices import (
    IMPORTED_SOURCES,
    BedKind,
    Disposition,
    FacilityKind,
    Outcome,
    Result,
    SampleType,
    Severity,
    Source,
    Status,
    TeamRole,
    TransferStatus,
)
from fangkong.core import clock
from fangkong.core import models as core
from fangkong.core.fields import (
    USER,
    celsius,
    optional_ref,
    path_column,
    ref_to,
    status_of,
    step,
    user_ref,
)
from fangkong.core.querysets import RestrictedManager


class ClinicalRules(core.DatedRuleSet):
    """Dated rule set for R7–R10; a fact is judged by the set in force on its date."""

    r7_min_epi = models.PositiveSmallIntegerField(_("R7: epidemiological items"), default=1)
    r7_min_clinical_with_epi = models.PositiveSmallIntegerField(
        _("R7: clinical items with epidemiological history"), default=2
    )
    r7_min_clinical_without_epi = models.PositiveSmallIntegerField(
        _("R7: clinical items without epidemiological history"), default=3
    )
    fever_threshold = celsius(_("fever threshold (°C)"), default=Decimal("37.3"))
    r8_normal_days = models.PositiveSmallIntegerField(
        _("R8: days of normal temperature (more than)"), default=3
    )
    r8_negative_tests = models.PositiveSmallIntegerField(_("R8: negative tests"), default=2)
    r8_test_gap_hours = models.PositiveSmallIntegerField(
        _("R8: hours between negative tests"), default=24
    )
    r9_report_hours = models.PositiveSmallIntegerField(_("R9: report within (h)"), default=2)
    r9_investigation_hours = models.PositiveSmallIntegerField(
        _("R9: investigation within (h)"), default=24
    )
    r9_emergency_hours = models.PositiveSmallIntegerField(
        _("R9: emergency report within (h)"), default=2
    )
    r10_cluster_threshold = models.PositiveSmallIntegerField(
        _("R10: linked cases for a cluster"), default=2
    )
    r10_window_days = models.PositiveSmallIntegerField(_("R10: within (days)"), default=14)
    onset_max_days = models.PositiveSmallIntegerField(
        _("onset at most this many days before diagnosis"), default=30
    )

    class Meta(core.DatedRuleSet.Meta):
        verbose_name = _("clinical rule set")
        verbose_name_plural = _("clinical rule sets")

    def __str__(self) -> str:
        return f"{self.effective_from}: cluster ≥ {self.r10_cluster_threshold}"


class Facility(core.NodeScoped, core.TimeStampedModel):
    """A fever clinic (发热门诊) or designated hospital (定点医院) in a jurisdiction."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=FacilityKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    staff: models.ManyToManyField = models.ManyToManyField(
        USER, verbose_name=_("staff"), blank=True, related_name="clinical_facilities"
    )
    active = models.BooleanField(_("in service"), default=True)

    objects = qs.FacilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("medical facility")
        verbose_name_plural = _("medical facilities")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["node", "name", "kind"], name="facility_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Ward(core.Placed):
    """A ward of one bed kind (isolation, negative-pressure, ICU)."""

    placed_by = "facility"

    facility = ref_to(Facility, on_delete=models.CASCADE, related_name="wards")
    name = models.CharField(_("ward"), max_length=60)
    kind = models.CharField(_("bed kind"), max_length=20, choices=BedKind.choices)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("ward")
        verbose_name_plural = _("wards")
        ordering = ["facility", "name"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "name"], name="ward_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.facility.name} {self.name}"


class Bed(core.PathScoped):
    """A bed; occupied while a transfer holds it (derived, not stored)."""

    ward = ref_to(Ward, on_delete=models.CASCADE, related_name="beds")
    number = models.CharField(_("bed"), max_length=20)
    active = models.BooleanField(_("in service"), default=True)
    path = path_column(db_index=True)

    objects = qs.BedQuerySet.as_manager()

    class Meta:
        verbose_name = _("bed")
        verbose_name_plural = _("beds")
        ordering = ["ward", "number"]
        constraints = [models.UniqueConstraint(fields=["ward", "number"], name="bed_unique")]

    def __str__(self) -> str:
        return f"{self.ward} {self.number}"


class ExpertTeam(core.Placed):
    """An expert team (专家组) of a designated hospital."""

    placed_by = "facility"

    facility = ref_to(Facility, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("team"), max_length=80)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("expert team")
        verbose_name_plural = _("expert teams")
        ordering = ["facility", "name"]

    def __str__(self) -> str:
        return self.name


class ExpertMember(models.Model):
    team = ref_to(ExpertTeam, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=50)
    specialty = models.CharField(_("specialty"), max_length=60, blank=True)
    role = models.CharField(_("role"), max_length=10, choices=TeamRole.choices)
    user = user_ref()

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["team", "role", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class ClinicVisit(core.DetailPage, core.PathScoped, core.TimeStampedModel):
    """A fever-clinic visit (发热门诊就诊) under a named first-contact doctor (首接首诊).

    The responsible doctor is the first-contact doctor until an explicit hand-over;
    only the responsible doctor disposes of (closes) the visit."""

    detail_view = "clinical:visit"

    facility = ref_to(Facility, related_name="visits")
    person = ref_to("people.Person")
    arrived_at = models.DateTimeField(_("arrived"), default=clock.now)
    first_doctor = user_ref(_("first-contact doctor"), required=True)
    responsible_doctor = user_ref(_("responsible doctor"), required=True)
    observation_referral = optional_ref("observation.Referral")
    screening_task = optional_ref("screening.ScreeningTask")
    temperature = celsius(_("temperature (°C)"), null=True, blank=True)
    symptoms = models.JSONField(_("symptoms"), default=list, blank=True)
    epi_items = models.JSONField(_("epidemiological history"), default=list, blank=True)
    epi_note = models.CharField(_("epidemiological details"), max_length=300, blank=True)
    imaging_pneumonia = models.BooleanField(_("imaging: features of pneumonia"), default=False)
    imaging_note = models.CharField(_("imaging findings"), max_length=300, blank=True)
    blood_typical = models.BooleanField(
        _("blood: normal/low white cells or low lymphocytes"), default=False
    )
    blood_note = models.CharField(_("blood findings"), max_length=300, blank=True)
    disposition = models.CharField(
        _("disposition"), max_length=12, choices=Disposition.choices, blank=True
    )
    disposition_note = models.CharField(_("disposition note"), max_length=300, blank=True)
    disposed_at, disposed_by = step(_("disposed"))

    objects = qs.VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("fever-clinic visit")
        verbose_name_plural = _("fever-clinic visits")
        ordering = ["-arrived_at", "-pk"]
        indexes = [models.Index(fields=["path", "disposition"], name="clin_visit_path_disp")]

    def __str__(self) -> str:
        return f"{self.person.name} @ {self.facility.name} {self.arrived_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return not self.disposition


class HandOver(models.Model):
    """An explicit hand-over of a visit from one named doctor to another."""

    visit = ref_to(ClinicVisit, on_delete=models.CASCADE, related_name="handovers")
    from_doctor = user_ref(required=True)
    to_doctor = user_ref(required=True)
    reason = models.CharField(_("reason"), max_length=200)
    at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.visit_id}: {self.from_doctor} → {self.to_doctor}"


class Case(core.DetailPage, core.PathScoped, core.TimeStampedModel):
    """A patient on the clinical pathway. The class, severity and outcome are derived
    from the ClassificationChange facts and cached here by the actions, as are the R9
    deadlines (from the rule set in force on the diagnosis date)."""

    detail_view = "clinical:case"

    number = models.CharField(_("case number"), max_length=24, unique=True)
    person = ref_to("people.Person")
    visit = models.OneToOneField(
        ClinicVisit, on_delete=models.PROTECT, null=True, blank=True, related_name="case"
    )
    facility = ref_to(Facility, related_name="cases")
    home_path = path_column(default="")
    county = models.CharField(max_length=12, db_index=True, editable=False)
    status = models.CharField(_("class"), max_length=12, choices=Status.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_at = models.DateTimeField(_("outcome at"), null=True, blank=True)
    diagnosed_at = models.DateTimeField(_("diagnosed"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    admitted_at = models.DateTimeField(
        _("admitted to a designated hospital"), null=True, blank=True
    )
    county_first = models.BooleanField(_("first case of the county"), default=False)
    report_due = models.DateTimeField(_("report due"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True)
    investigation_due = models.DateTimeField(_("investigation due"), null=True, blank=True)
    investigated_at = models.DateTimeField(_("investigated"), null=True, blank=True)
    emergency_due = models.DateTimeField(_("emergency report due"), null=True, blank=True)
    emergency_reported_at = models.DateTimeField(_("emergency reported"), null=True, blank=True)
    setting = models.CharField(
        _("setting (household, workplace, building…)"), max_length=120, blank=True
    )
    onset_date = models.DateField(
        _("symptom onset"),
        null=True,
        blank=True,
        help_text=_("Empty when unknown or without symptoms (asymptomatic infection)."),
    )
    source = models.CharField(
        _("infection source"), max_length=16, choices=Source.choices, default=Source.UNKNOWN
    )
    source_note = models.CharField(_("origin (place of infection)"), max_length=120, blank=True)
    expert_team = optional_ref(ExpertTeam, related_name="cases")

    objects = qs.CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-diagnosed_at", "-pk"]
        indexes = [
            models.Index(fields=["path", "status"], name="clin_case_path_status"),
            models.Index(fields=["report_due"], name="clin_case_report_due"),
            models.Index(fields=["setting", "diagnosed_at"], name="clin_case_setting"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.person.name} ({self.get_status_display()})"

    @property
    def imported(self) -> bool:
        return self.source in IMPORTED_SOURCES

    @property
    def in_care(self) -> bool:
        return not self.outcome and self.status != Status.EXCLUDED

    @property
    def to_admission(self) -> dt.timedelta | None:
        if self.admitted_at and self.confirmed_at:
            return self.admitted_at - self.confirmed_at
        return None


class ClassificationChange(models.Model):
    """One fact of the case's history: who changed the class, when, why, on what."""

    case = ref_to(Case, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("class"), max_length=12, choices=Status.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    diagnosed_at = models.DateTimeField(_("diagnosis time"))
    reason = models.CharField(_("reason"), max_length=500)
    criteria = models.JSONField(_("criteria met"), default=dict, blank=True)
    override = models.BooleanField(_("rule overridden"), default=False)
    at, by = step(now=True, required=True)

    class Meta:
        verbose_name = _("classification change")
        verbose_name_plural = _("classification changes")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status or '–'} → {self.to_status} {self.outcome}"


class Sample(core.PathScoped):
    """A specimen taken from a case and its nucleic acid test result."""

    code = models.CharField(_("sample code"), max_length=40, unique=True)
    case = ref_to(Case, on_delete=models.CASCADE, related_name="samples")
    sample_type = models.CharField(_("type"), max_length=12, choices=SampleType.choices)
    taken_at = models.DateTimeField(_("taken at"))
    taken_by = user_ref(required=True)
    lab = models.CharField(_("laboratory"), max_length=100, blank=True)
    sent_at = models.DateTimeField(_("sent to the lab"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, blank=True)
    ct_orf1ab = models.DecimalField(
        _("Ct ORF1ab"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    ct_n = models.DecimalField(_("Ct N"), max_digits=4, decimal_places=1, null=True, blank=True)
    result_at, result_by = step(_("result at"))

    objects = qs.SampleQuerySet.as_manager()

    class Meta:
        verbose_name = _("sample")
        verbose_name_plural = _("samples")
        ordering = ["taken_at", "pk"]

    def __str__(self) -> str:
        return f"{self.code} ({self.result or '…'})"


class Transfer(core.PathScoped):
    """A transfer to a designated hospital (四集中): request → bed → transport → arrival.
    The bed is held from assignment until `released_at` (discharge, death, next move)."""

    case = ref_to(Case, on_delete=models.CASCADE, related_name="transfers")
    from_facility = ref_to(Facility)
    to_facility = ref_to(Facility)
    bed_kind = models.CharField(_("bed kind"), max_length=20, choices=BedKind.choices)
    status = status_of(TransferStatus, default="requested", max_length=14)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    requested_at, requested_by = step(_("requested"), now=True, required=True)
    bed = optional_ref(Bed, on_delete=models.PROTECT, related_name="transfers")
    bed_assigned_at = models.DateTimeField(_("bed assigned"), null=True, blank=True)
    vehicle = models.CharField(_("ambulance"), max_length=40, blank=True)
    departed_at = models.DateTimeField(_("departed"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived"), null=True, blank=True)
    released_at = models.DateTimeField(_("bed released"), null=True, blank=True)
    from_path = path_column(default="")

    objects = qs.TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["bed", "released_at"], name="clin_transfer_bed")]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.to_facility} ({self.status})"


class DailyStatus(models.Model):
    """The daily clinical status of an admitted patient (R8 reads it)."""

    case = ref_to(Case, on_delete=models.CASCADE, related_name="daily")
    day = models.DateField(_("day"))
    max_temperature = celsius(_("highest temperature"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    symptoms_improved = models.BooleanField(_("symptoms improved"), default=False)
    imaging_improved = models.BooleanField(_("imaging improved"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = user_ref(required=True)

    class Meta:
        verbose_name = _("daily status")
        verbose_name_plural = _("daily statuses")
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["case", "day"], name="daily_unique_day")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.day} {self.max_temperature}"


class Investigation(core.PathScoped):
    """The case investigation (流行病学调查) opened on confirmation; its exposures are
    what contact tracing will consume (see `hooks.exposure_consumers`)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="investigation")
    opened_at = models.DateTimeField(default=clock.now)
    completed_at, completed_by = step()
    summary = models.TextField(_("summary"), blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("case investigation")
        verbose_name_plural = _("case investigations")

    def __str__(self) -> str:
        return f"investigation of {self.case_id}"


class Exposure(core.PathScoped):
    """A person or place the case exposed during the infectious period."""

    investigation = ref_to(Investigation, on_delete=models.CASCADE, related_name="exposures")
    name = models.CharField(_("name"), max_length=60)
    relation = models.CharField(_("relation"), max_length=40, blank=True)
    setting = models.CharField(_("setting"), max_length=120, blank=True)
    last_contact = models.DateField(_("last contact"))
    person = optional_ref("people.Person")
    note = models.CharField(_("note"), max_length=200, blank=True)
    consumed_at = models.DateTimeField(_("taken over by contact tracing"), null=True, blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("exposure")
        verbose_name_plural = _("exposures")
        ordering = ["last_contact", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.last_contact})"


class Cluster(core.PathScoped):
    """A cluster (聚集性疫情): linked cases in one setting within the window (R10)."""

    setting = models.CharField(_("setting"), max_length=120)
    detected_at = models.DateTimeField(_("detected"), default=clock.now)
    threshold = models.PositiveSmallIntegerField(_("threshold applied"))
    cases = models.ManyToManyField(Case, related_name="clusters")
    emergency_due = models.DateTimeField(_("emergency report due"))
    reported_at = models.DateTimeField(_("emergency reported"), null=True, blank=True)
    path = path_column(db_index=True)

    objects = qs.ClusterQuerySet.as_manager()

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["-detected_at"]

    def __str__(self) -> str:
        return f"{self.setting} ({self.detected_at:%Y-%m-%d})"
