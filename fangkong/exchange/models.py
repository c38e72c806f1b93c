"""Hand-over between cities (协查) and national report cards (传染病报告卡).

A `Partner` is another city's deployment, known by its public key. A `HandoverRequest`
is one person handed over, in either direction; every signed message that carried a
request or its answer is kept in `Message` (its id refuses a replay). A `ReportCard` is
the national card of one case, with one `CardVersion` per initial report, revision
(订正) or deletion; its acknowledgement closes the case's 2-hour report clock."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core import clock, crypto
from fangkong.core.fields import optional_ref, path_column, ref_to, sealed_unindexed, step, user_ref
from fangkong.core.models import DatedRuleSet, DetailPage, PathScoped, TimeStampedModel
from fangkong.core.querysets import RestrictedQuerySet
from fangkong.exchange.choices import Answer, Ask, CardKind, Channel, Direction, Kind, Reason, State
from fangkong.people.choices import Sex


class ExchangeRules(DatedRuleSet):
    """Dated rules of the exchange: how long the receiving city has to answer, and how
    old a message may be when it arrives (HTTP, or a file carried by hand)."""

    answer_hours = models.PositiveIntegerField(_("answer due within (hours)"), default=24)
    http_max_age_minutes = models.PositiveIntegerField(
        _("a message over HTTP is refused when older than (minutes)"), default=60
    )
    file_max_age_days = models.PositiveIntegerField(
        _("a message in a file is refused when older than (days)"), default=14
    )

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("exchange rule set")
        verbose_name_plural = _("exchange rule sets")


class PartnerQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):  # type: ignore[no-untyped-def]
        """Partners are the city's configuration: every node that may use them sees all."""
        from fangkong.core.querysets import allows

        return self if allows(user, self.model, action) else self.none()


class Partner(PathScoped, TimeStampedModel):
    """Another city's deployment (协查伙伴): its city code, its exchange endpoint (empty
    when requests go by file) and its Ed25519 public key."""

    code = models.CharField(_("city code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=60)
    url = models.URLField(_("exchange endpoint"), blank=True)
    public_key = models.CharField(_("public key (Ed25519, base64)"), max_length=64)
    active = models.BooleanField(_("active"), default=True)
    path = path_column(default="")

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner city")
        verbose_name_plural = _("partner cities")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class RequestQuerySet(RestrictedQuerySet):
    def overdue(self):  # type: ignore[no-untyped-def]
        return self.exclude(state=State.ANSWERED).filter(deadline__lt=clock.now())

    def unanswered(self):  # type: ignore[no-untyped-def]
        return self.exclude(state=State.ANSWERED)


class HandoverRequest(DetailPage, PathScoped, TimeStampedModel):
    """One person handed over to, or received from, another city (协查请求).

    The message id is the request's id in both deployments. Resident ID and phone are
    encrypted at rest like a person's; lists show the masked columns."""

    detail_view = "exchange:request"

    message_id = models.UUIDField(_("message id"))
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    partner = ref_to(Partner, _("partner city"), related_name="requests")
    channel = models.CharField(_("channel"), max_length=4, choices=Channel.choices, blank=True)
    name = models.CharField(_("name"), max_length=50)
    sex = models.CharField(_("sex"), max_length=1, blank=True, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    id_number_enc, id_masked = sealed_unindexed(_("resident ID"), max_length=24)
    phone_enc, phone_masked = sealed_unindexed(_("mobile phone"), max_length=16)
    address = models.CharField(_("address in the receiving city"), max_length=200)
    residence_code = models.CharField(_("address code"), max_length=12)
    reason = models.CharField(_("why"), max_length=16, choices=Reason.choices)
    exposure_date = models.DateField(_("last exposure or arrival"), null=True, blank=True)
    exposure = models.CharField(_("exposure details"), max_length=300, blank=True)
    ask = models.CharField(_("what is asked"), max_length=10, choices=Ask.choices)
    deadline = models.DateTimeField(_("answer due"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, blank=True)
    answer_note = models.CharField(_("answer details"), max_length=300, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    sender_contact = models.CharField(_("sender's contact"), max_length=100, blank=True)
    # Where the request came from (sender) or landed (receiver): ids of other apps.
    person = optional_ref("people.Person", on_delete=models.PROTECT)
    contact_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    subject = optional_ref("screening.ScreeningSubject")
    node = ref_to("geo.Division")
    created_by = user_ref()
    answered_by = user_ref()

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("hand-over request")
        verbose_name_plural = _("hand-over requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "direction", "message_id"], name="exchange_request_unique"
            )
        ]
        indexes = [
            models.Index(fields=["path", "state", "deadline"], name="exchange_request_queue")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_direction_display()} {self.partner.name})"

    def reveal(self, field: str) -> str:
        token = getattr(self, f"{field}_enc")
        return crypto.decrypt(token, f"exchange.{field}") if token else ""

    @property
    def overdue(self) -> bool:
        return self.state != State.ANSWERED and self.deadline < clock.now()

    @property
    def escalated_to(self):  # type: ignore[no-untyped-def]
        """Overdue requests are escalated to the level above the node that holds them."""
        return self.node.parent if self.overdue else None


class Message(models.Model):
    """A signed message sent or received: its id refuses a replay; an outgoing one keeps
    its signed envelope (encrypted: it carries personal data) until it is delivered."""

    message_id = models.UUIDField()
    direction = models.CharField(max_length=3, choices=Direction.choices)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    partner = ref_to(Partner, related_name="messages")
    request = ref_to(HandoverRequest, on_delete=models.CASCADE, related_name="messages")
    envelope_enc = models.BinaryField(null=True, editable=False)
    created_at = models.DateTimeField(default=clock.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=4, choices=Channel.choices, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("exchange message")
        verbose_name_plural = _("exchange messages")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "direction", "message_id"], name="exchange_message_once"
            )
        ]
        indexes = [models.Index(fields=["partner", "delivered_at"], name="exchange_outbox")]

    def __str__(self) -> str:
        return f"{self.direction} {self.kind} {self.message_id}"


class Refusal(PathScoped):
    """A refused incoming message, logged without its content (nothing else is stored)."""

    at = models.DateTimeField(default=clock.now)
    claimed_sender = models.CharField(max_length=12, blank=True)
    message_id = models.CharField(max_length=40, blank=True)
    channel = models.CharField(max_length=4, choices=Channel.choices)
    reason = models.CharField(max_length=200)
    remote_addr = models.CharField(max_length=45, blank=True)
    path = path_column(default="")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("refused message")
        verbose_name_plural = _("refused messages")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.claimed_sender}: {self.reason}"


class ReportCard(PathScoped, TimeStampedModel):
    """The national infectious-disease report card (传染病报告卡) of one case."""

    number = models.CharField(_("card number"), max_length=20, unique=True)
    case = models.OneToOneField("clinical.Case", on_delete=models.PROTECT, related_name="+")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("report card")
        verbose_name_plural = _("report cards")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.number


class CardVersion(models.Model):
    """One exported version of a card: initial report, revision (订正) or deletion.
    The exported fields are kept encrypted (they carry the patient's identity)."""

    card = ref_to(ReportCard, on_delete=models.CASCADE, related_name="versions")
    seq = models.PositiveSmallIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=10, choices=CardKind.choices)
    status = models.CharField(_("class"), max_length=12)
    digest = models.CharField(max_length=64)
    fields_enc = models.BinaryField(editable=False)
    exported_at, exported_by = step(_("exported"), now=True, required=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    national_id = models.CharField(_("national card id"), max_length=40, blank=True)
    acknowledged_by = user_ref()

    class Meta:
        verbose_name = _("report card version")
        verbose_name_plural = _("report card versions")
        ordering = ["card", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["card", "seq"], name="exchange_card_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.card.number}/{self.seq} {self.get_kind_display()}"

    def get_additional_data(self) -> dict:
        return {"path": self.card.path}
