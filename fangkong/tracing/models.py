"""Contact tracing (流调): index cases, contacts by the dated close-contact rule (R1),
transmission edges, computed chains, venues with their QR codes and scans (incl. gates)."""

import secrets
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.core import clock
from fangkong.core.fields import (
    celsius,
    optional_ref,
    path_column,
    ref_to,
    sealed_unindexed,
    status_of,
    user_ref,
)
from fangkong.core.models import DatedRuleSet, DetailPage, NodeScoped, PathScoped, TimeStampedModel
from fangkong.core.querysets import RestrictedManager
from fangkong.tracing.choices import (
    Category,
    ContactStatus,
    Direction,
    Setting,
    TransportKind,
    VenueKind,
)
from fangkong.tracing.querysets import ChainQuerySet, ContactQuerySet


def record_only_default() -> list[str]:
    return [VenueKind.PICKUP.value]


class TracingRules(DatedRuleSet):
    """Dated rule set: R1 close-contact window, R13 entry rule (fever threshold and the
    venue kinds that only record), chain activity. The cluster size is the clinical rule
    set's (one definition shared by tracing and clinical)."""

    days_before_onset = models.PositiveSmallIntegerField(
        _("close contact counts from this many days before onset"), default=2
    )
    specimen_if_asymptomatic = models.BooleanField(
        _("asymptomatic: count from the specimen date"), default=True
    )
    proximity_m = models.DecimalField(
        _("close within (m)"), max_digits=4, decimal_places=1, default=Decimal("1.0")
    )
    gate_fever_from = celsius(
        _("entry refused from this temperature (°C)"), default=Decimal("37.3")
    )
    record_only_kinds = models.JSONField(
        _("venue kinds that only record (no entry check)"),
        default=record_only_default,
        blank=True,
        help_text=_("e.g. a delivery pickup point: scans are logged, nobody is refused."),
    )
    active_days = models.PositiveSmallIntegerField(
        _("a chain is active while a case was isolated within (days)"), default=14
    )

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("tracing rule set")
        verbose_name_plural = _("tracing rule sets")

    def __str__(self) -> str:
        return f"{self.effective_from}: -{self.days_before_onset} d, {self.proximity_m} m"


class IndexCase(DetailPage, PathScoped, TimeStampedModel):
    """A case as contact tracing sees it (传染源): onset, specimen and isolation dates
    that decide R1, linked to the clinical case where there is one."""

    detail_view = "tracing:case"

    person = ref_to("people.Person")
    case_id = models.PositiveIntegerField(_("clinical case"), null=True, blank=True, unique=True)
    label = models.CharField(_("case"), max_length=60)
    asymptomatic = models.BooleanField(_("asymptomatic"), default=False)
    onset_date = models.DateField(_("onset"), null=True, blank=True)
    specimen_date = models.DateField(_("specimen taken"), null=True, blank=True)
    isolated_on = models.DateField(_("isolated on"), null=True, blank=True)
    setting = models.CharField(_("setting"), max_length=12, choices=Setting.choices, blank=True)
    source = models.CharField(_("infection source"), max_length=140, blank=True)
    source_contact = models.OneToOneField(
        "Contact",
        verbose_name=_("was a contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="became",
    )
    path = path_column(db_index=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("index case")
        verbose_name_plural = _("index cases")
        ordering = ["-onset_date", "-pk"]

    def __str__(self) -> str:
        return self.label


class Contact(DetailPage, PathScoped, TimeStampedModel):
    """A contact of an index case (or of a close contact: secondary) with the setting,
    exposure dates and proximity; its category is derived by R1 and stored with reason."""

    detail_view = "tracing:contact"

    index = optional_ref(IndexCase, on_delete=models.CASCADE, related_name="contacts")
    source_contact = optional_ref("self", on_delete=models.CASCADE, related_name="secondary")
    person = optional_ref("people.Person", on_delete=models.PROTECT)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # A phone of a person not in the registry yet: encrypted, shown masked, handed to
    # screening with the address when the close contact is confirmed.
    phone_enc, phone_masked = sealed_unindexed(_("mobile phone"), max_length=16)
    setting = models.CharField(_("setting"), max_length=12, choices=Setting.choices)
    transport_kind = models.CharField(
        _("transport"), max_length=8, choices=TransportKind.choices, blank=True
    )
    transport_no = models.CharField(_("train / flight / coach number"), max_length=20, blank=True)
    seat = models.CharField(_("seat"), max_length=12, blank=True)
    first_exposure = models.DateField(_("first exposure"))
    last_exposure = models.DateField(_("last exposure"))
    proximity_m = models.DecimalField(
        _("distance (m)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    protected = models.BooleanField(_("effective protection worn"), default=False)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    reason = models.CharField(_("why"), max_length=300, blank=True)
    rules = ref_to(TracingRules)
    status = status_of(ContactStatus, default=ContactStatus.PENDING, max_length=12)
    observation_period_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    screening_row = models.CharField(max_length=60, blank=True, editable=False)
    clinical_exposure_id = models.PositiveIntegerField(null=True, blank=True, unique=True)
    companion_candidate_id = models.PositiveIntegerField(null=True, blank=True, unique=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    node = ref_to("geo.Division")
    created_by = user_ref()

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-last_exposure", "-pk"]
        indexes = [
            models.Index(fields=["path", "category", "status"], name="tracing_contact_scope"),
            models.Index(fields=["person", "category"], name="tracing_contact_person"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_exposure__gte=models.F("first_exposure")),
                name="tracing_contact_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_category_display()})"


class TransmissionEdge(PathScoped):
    """Who infected whom (case → contact → case), with the date and setting."""

    source = ref_to(IndexCase, on_delete=models.CASCADE, related_name="edges_out")
    target = ref_to(IndexCase, on_delete=models.CASCADE, related_name="edges_in")
    contact = optional_ref(Contact)
    exposure_date = models.DateField(_("exposure"))
    setting = models.CharField(_("setting"), max_length=12, choices=Setting.choices)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("transmission")
        verbose_name_plural = _("transmissions")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="tracing_edge_unique"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="tracing_edge_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"


class Chain(DetailPage, PathScoped):
    """A transmission chain (传播链): a connected group of index cases, computed by the
    background job; a cluster (聚集性疫情) when large enough by the rule set."""

    detail_view = "tracing:chain"

    number = models.PositiveIntegerField(_("chain"))
    size = models.PositiveIntegerField(_("cases"))
    generations = models.PositiveSmallIntegerField(_("generations"))
    first_onset = models.DateField(_("first onset"), null=True, blank=True)
    last_isolated = models.DateField(_("last isolated"), null=True, blank=True)
    is_cluster = models.BooleanField(_("cluster"), default=False)
    active = models.BooleanField(_("active"), default=False)
    members = models.ManyToManyField(IndexCase, related_name="chains")
    graph = models.JSONField(default=dict, editable=False)
    computed_at = models.DateTimeField(default=clock.now)
    path = path_column(db_index=True)

    objects = ChainQuerySet.as_manager()

    class Meta:
        verbose_name = _("transmission chain")
        verbose_name_plural = _("transmission chains")
        ordering = ["-active", "-size", "number"]

    def __str__(self) -> str:
        return f"#{self.number} ({self.size})"


def _venue_code() -> str:
    return secrets.token_urlsafe(9)


class Venue(DetailPage, NodeScoped, TimeStampedModel):
    """A place with a printed QR code (场所码): shop, market, office, bus, residential gate."""

    detail_view = "tracing:venue"

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=8, choices=VenueKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    code = models.CharField(max_length=16, unique=True, default=_venue_code, editable=False)
    node = ref_to("geo.Division")
    active = models.BooleanField(_("in use"), default=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_gate(self) -> bool:
        return self.kind == VenueKind.GATE


class Scan(PathScoped):
    """One scan at a venue or gate (扫码记录); idempotent by the client id, read in time
    order whatever the arrival order."""

    venue = ref_to(Venue, related_name="scans")
    person = optional_ref("people.Person", on_delete=models.PROTECT)
    client_id = models.UUIDField(_("client id"), unique=True)
    scanned_at = models.DateTimeField(_("scanned at"))
    received_at = models.DateTimeField(default=clock.now, editable=False)
    direction = models.CharField(
        _("direction"), max_length=5, choices=Direction.choices, default=Direction.VISIT
    )
    temperature = celsius(_("temperature (°C)"), null=True, blank=True)
    colour = models.CharField(_("code colour"), max_length=6, blank=True)
    admitted = models.BooleanField(_("let in"), default=True)
    refusal = models.CharField(_("refused because"), max_length=120, blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        ordering = ["scanned_at", "pk"]
        indexes = [
            models.Index(fields=["venue", "scanned_at"], name="tracing_scan_venue_time"),
            models.Index(fields=["person", "scanned_at"], name="tracing_scan_person_time"),
        ]

    def __str__(self) -> str:
        return f"{self.venue_id} {self.scanned_at:%Y-%m-%d %H:%M}"
