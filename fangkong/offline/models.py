"""Work recorded on a phone without a signal and sent later.

Every item a phone sends carries its own client id and the time it happened. The
receipt keeps both times and the answer given, so a phone that sends the same queue
twice gets the same answers and nothing is stored twice. A visit whose task no longer
exists is kept as an orphan for the village to resolve, never dropped."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core import clock
from fangkong.core.fields import step, user_ref
from fangkong.core.models import DatedRuleSet, PathScoped
from fangkong.core.querysets import RestrictedManager


class OfflineRules(DatedRuleSet):
    """How long a phone may keep today's work, and how much it may send at once."""

    key_hours = models.PositiveSmallIntegerField(
        _("offline store kept for (hours)"),
        default=12,
        help_text=_(
            "the key that encrypts the phone's store expires after this; then the store is wiped"
        ),
    )
    max_batch = models.PositiveSmallIntegerField(_("items per sync request"), default=200)
    max_waiting = models.PositiveSmallIntegerField(_("items a phone may hold unsent"), default=500)
    max_item_age_days = models.PositiveSmallIntegerField(
        _("oldest item accepted (days)"), default=7
    )

    class Meta(DatedRuleSet.Meta):
        verbose_name = _("offline rules")
        verbose_name_plural = _("offline rules")


class Kind(models.TextChoices):
    VISIT = "visit", _("door-to-door visit")
    FOLLOWUP = "followup", _("missed check-in follow-up")
    SCAN = "scan", _("gate scan")


class Result(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    CONFLICT = "conflict", _("kept, but the task has changed")
    ORPHAN = "orphan", _("kept for the village: the task no longer exists")
    REJECTED = "rejected", _("refused")


class SyncReceipt(PathScoped):
    """One item received from a phone: its client id (unique), when it happened on the
    phone, when the server received it, and the answer (sent again on a replay)."""

    client_id = models.UUIDField(unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    user = user_ref(blank=False)
    device = models.CharField(max_length=40, blank=True)
    recorded_at = models.DateTimeField(_("recorded on the phone"))
    received_at = models.DateTimeField(_("received"), default=clock.now)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    message = models.CharField(_("message"), max_length=300, blank=True)
    target = models.CharField(max_length=40, blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("sync receipt")
        verbose_name_plural = _("sync receipts")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["path", "received_at"], name="offline_receipt_path")]

    def __str__(self) -> str:
        return f"{self.kind} {self.client_id} {self.result}"


class OrphanVisit(PathScoped):
    """A visit recorded offline for a task that was deleted meanwhile: kept whole for
    the village staff to file or close, with the worker and both times."""

    client_id = models.UUIDField(unique=True, default=uuid.uuid4)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.VISIT)
    task_ref = models.CharField(_("task number on the phone"), max_length=40)
    subject_name = models.CharField(_("name"), max_length=50, blank=True)
    visited_by = user_ref(blank=False)
    recorded_at = models.DateTimeField(_("recorded on the phone"))
    received_at = models.DateTimeField(_("received"), default=clock.now)
    data = models.JSONField(_("visit record"), default=dict)
    resolved_at, resolved_by = step(_("resolved"), blank=False)
    resolution = models.CharField(_("resolution"), max_length=200, blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("orphan visit")
        verbose_name_plural = _("orphan visits")
        ordering = ["resolved_at", "-received_at"]

    def __str__(self) -> str:
        return f"{self.task_ref} {self.subject_name}"


class DeviceStatus(PathScoped):
    """What a worker's phone last reported: items waiting to be sent, its last sync."""

    user = user_ref(on_delete=models.CASCADE, required=True)
    device = models.CharField(max_length=40)
    waiting = models.PositiveIntegerField(_("waiting to send"), default=0)
    last_sync_at = models.DateTimeField(_("last sync"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported"), default=clock.now)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("phone sync status")
        verbose_name_plural = _("phone sync status")
        ordering = ["-waiting", "-reported_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "device"], name="offline_device_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.device}: {self.waiting}"
