"""Notices (who must act, on what, by when), their deliveries per channel, the outbox of
the SMS demo gateway, per-account preferences, the dated notice rules, and the slots the
scheduler has claimed (one row per job and slot: a slot never runs twice)."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core import clock
from fangkong.core.fields import (
    USER,
    optional_ref,
    path_column,
    ref_to,
    sealed_unindexed,
    status_of,
    user_ref,
)
from fangkong.core.models import DatedRuleSet, PathScoped
from fangkong.core.querysets import RestrictedQuerySet


class Channel(models.TextChoices):
    INBOX = "inbox", _("In-app inbox")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")


class Kind(models.TextChoices):
    CHECKIN_REMINDER = "checkin_reminder", _("Check-in reminder")
    MISSED_CHECKINS = "missed_checkins", _("Missed check-ins")
    VISITS_TODAY = "visits_today", _("Visits due today")
    VISIT_BREACH = "visit_breach", _("Visit about to breach its clock")
    REPORT_CLOCK = "report_clock", _("Report clock about to breach")
    REPORT_CLOCK_BREACHED = "report_clock_breached", _("Report clock breached")
    DIRECTIVE = "directive", _("Directive")
    DIRECTIVE_REMINDER = "directive_reminder", _("Directive not acknowledged")
    DIRECTIVE_ESCALATED = "directive_escalated", _("Directive escalated")
    RECTIFICATION = "rectification", _("Rectification deadline")
    QUESTION = "question", _("Question deadline")
    CARE = "care", _("Difficulty deadline")
    REPORT_UPWARD = "report_upward", _("Report upward due")
    SUPPLY_LOW = "supply_low", _("Supply below threshold")
    PRICE_ALERT = "price_alert", _("Price alert")
    PHONE_CODE = "phone_code", _("Verification code")


class NoticeQuerySet(RestrictedQuerySet):
    def for_user(self, user):  # type: ignore[no-untyped-def]
        """The inbox of an account: notices addressed to it, or to its role (or any role)
        at its node."""
        q = models.Q(recipient_user=user)
        if user.node_id:
            q |= models.Q(
                recipient_user__isnull=True,
                recipient_node_id=user.node_id,
                recipient_role__in=["", user.role],
            )
        return self.filter(q)

    def unread(self):  # type: ignore[no-untyped-def]
        return self.filter(read_at__isnull=True)


class Notice(PathScoped):
    """One thing one recipient must know or do. Stored before any channel sends it; the
    idempotency key makes a second notice for the same event impossible."""

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    key = models.CharField(max_length=200, unique=True, editable=False)
    recipient_user = user_ref(on_delete=models.CASCADE)
    recipient_node = optional_ref("geo.Division", on_delete=models.PROTECT)
    recipient_role = models.CharField(max_length=20, blank=True)
    recipient_person = optional_ref("people.Person", on_delete=models.CASCADE)
    # a mobile number that is nobody's account or registered person (a one-time code
    # asked for on a public form): encrypted, masked for lists
    recipient_phone_enc, recipient_phone_masked = sealed_unindexed(_("mobile phone"), max_length=16)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=400, blank=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    # The thing to act on ("app.model", pk): the recipient follows its current owner.
    subject = models.CharField(max_length=60, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    # SMS template id and parameters (Chinese gateways send approved templates only).
    template = models.CharField(max_length=40, blank=True)
    params = models.JSONField(default=dict, blank=True)
    urgent = models.BooleanField(default=False)
    # What must reach the gateway but never the record in clear (the text and parameters
    # of a one-time code), encrypted; erased once the message is sent or has failed.
    secret_enc = models.BinaryField(null=True, editable=False)
    path = path_column(blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), default=clock.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    acted_at = models.DateTimeField(_("acted on"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient_user", "read_at"], name="notice_user_read"),
            models.Index(fields=["recipient_node", "read_at"], name="notice_node_read"),
            models.Index(fields=["subject", "subject_id"], name="notice_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"


class Delivery(PathScoped):
    """One channel's attempt(s) at one notice, with the gateway's answer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent")

    notice = ref_to(Notice, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    status = status_of(Status, default=Status.PENDING, max_length=8)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    answer = models.CharField(_("gateway answer"), max_length=300, blank=True)
    path = path_column(blank=True, db_index=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["notice", "channel"], name="delivery_one_per_channel")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.channel} {self.status}"


class OutboxMessage(models.Model):
    """What the outbox SMS backend 'sent' (demo and tests): the number stays encrypted."""

    key = models.CharField(max_length=220, unique=True)
    phone_enc = models.BinaryField()
    phone_masked = models.CharField(max_length=16)
    template = models.CharField(max_length=40)
    params = models.JSONField(default=dict)
    text = models.TextField()
    sent_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.phone_masked} {self.template}"


class Preference(models.Model):
    """An account's channels, quiet hours, mobile number (encrypted) and the person a
    breached clock goes to next (head of department)."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="notify_pref")
    sms = models.BooleanField(_("SMS"), default=True)
    email = models.BooleanField(_("email"), default=False)
    quiet_start = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet until"), null=True, blank=True)
    phone_enc, phone_masked = sealed_unindexed(_("mobile phone"), max_length=16)
    head = user_ref(_("head of department"))

    class Meta:
        verbose_name = _("notice preferences")
        verbose_name_plural = _("notice preferences")

    def __str__(self) -> str:
        return f"{self.user_id}"

    def quiet_at(self, local: dt.time) -> bool:
        if self.quiet_start is None or self.quiet_end is None:
            return False
        s, e = self.quiet_start, self.quiet_end
        return s <= local < e if s <= e else (local >= s or local < e)


def default_rules() -> dict:
    from fangkong.notify.rules import DEFAULT_RULES

    return {k: dict(v) for k, v in DEFAULT_RULES.items()}


class NoticeRules(DatedRuleSet):
    """What is sent: per kind of notice, to whom (fixed by the kind), when (minutes
    before the deadline or window close; after it for escalations) and by which channels."""

    rules = models.JSONField(_("rules"), default=default_rules)
    max_attempts = models.PositiveSmallIntegerField(_("attempts per message"), default=5)
    retry_seconds = models.PositiveIntegerField(_("first retry after (s)"), default=60)

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("notice rules")
        verbose_name_plural = _("notice rules")

    def rule(self, kind: str) -> dict:
        from fangkong.notify.rules import DEFAULT_RULES, FIXED_RULES

        if kind in FIXED_RULES:
            return dict(FIXED_RULES[kind])
        return {**DEFAULT_RULES[kind], **(self.rules or {}).get(kind, {})}


class ScheduledRun(models.Model):
    """A job's slot, claimed by whoever runs it first: unique (job, slot), so two
    schedulers or a retried task never run the same slot twice."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    job = models.CharField(_("job"), max_length=40)
    slot = models.DateTimeField(_("slot"))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    caught_up = models.BooleanField(default=False)
    started_at = models.DateTimeField(default=clock.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-slot"]
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="scheduled_run_slot")]

    def __str__(self) -> str:
        return f"{self.job} {self.slot}"
