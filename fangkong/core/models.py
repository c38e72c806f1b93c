import datetime as dt
import time
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fangkong.core import clock, prepared
from fangkong.core.access import actor, invalid
from fangkong.core.fields import path_column, ref_to, step, user_ref
from fangkong.core.querysets import RestrictedManager


class TimeStampedModel(models.Model):
    """Base for domain records: creation and update times from the injectable clock."""

    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.updated_at = clock.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "updated_at"}
        super().save(*args, **kwargs)


class DetailPage(models.Model):
    """A record with a page of its own: `detail_view` names the URL pattern that takes
    the record's id, and `get_absolute_url()` (links, admin, redirects) reverses it."""

    detail_view: ClassVar[str]

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        return reverse(self.detail_view, args=[self.pk])


P = TypeVar("P", bound="Placed")


class PathScoped(models.Model):
    """A record scoped by its own `path` column, so `restrict()` and `under()` never join;
    its audit entries carry the path, so they are scoped like the record. Its writer
    copies the path from what the record concerns (a person's, a case's); a record placed
    by one of its own links is `Placed`, which makes the copy itself.

    The column is not indexed; a model that filters on it redeclares
    `path = path_column(db_index=True)`."""

    path = path_column()

    scope_path: ClassVar[str] = "path"

    class Meta:
        abstract = True

    def get_additional_data(self) -> dict:
        """Audit entries carry the record's place, so they are scoped like the record."""
        return {"path": self.path}


class Placed(PathScoped):
    """A record placed in the jurisdiction tree by its own `path` column, a copy of the
    path of `placed_by` (its node, or the record it belongs to: a room its site's). The
    copy is made in one place, `place()`: `save()` calls it, and every bulk writer calls
    `place_all()` on its objects before `bulk_create`/`bulk_update`, which bypass `save()`.

    A model whose path column is not indexed redeclares `path = path_column()`."""

    path = path_column(db_index=True)

    placed_by: ClassVar[str] = "node"

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.place()
        super().save(*args, **kwargs)

    def place(self) -> None:
        """Copy the path of the record this one is placed by."""
        self.path = getattr(self, self.placed_by).path

    @classmethod
    def place_all(cls: type[P], objs: Iterable[P]) -> list[P]:
        """`place()` each object, for writers that bypass `save()`."""
        placed = list(objs)
        for obj in placed:
            obj.place()
        return placed


class NodeScoped(Placed):
    """A record placed at one node of the tree: the node and its materialised path.
    A model whose node column is defined differently (another verbose name, a
    related name, CASCADE) redeclares `node` with its own definition."""

    node = ref_to("geo.Division", _("jurisdiction"))

    class Meta:
        abstract = True


class Job(models.Model):
    """A unit of background work (import, tracing run, briefing) and its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=40)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    message = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_by = user_ref()
    path = models.CharField(max_length=160, blank=True, db_index=True)
    created_at = models.DateTimeField(default=clock.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    scope_path = "path"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, int(100 * self.done / self.total))

    def advance(self, done: int, total: int | None = None) -> None:
        self.done = done
        if total is not None:
            self.total = total
        self.status = self.Status.RUNNING
        self.save(update_fields=["done", "total", "status"])

    def finish(self, result: dict | None = None, message: str = "") -> None:
        self.status = self.Status.DONE
        self.result = result or {}
        self.message = message
        self.finished_at = clock.now()
        if self.total is not None:
            self.done = self.total
        self.save(update_fields=["status", "result", "message", "finished_at", "done"])

    def fail(self, message: str) -> None:
        self.status = self.Status.FAILED
        self.message = message
        self.finished_at = clock.now()
        self.save(update_fields=["status", "message", "finished_at"])


class DatedRuleSet(models.Model):
    """Base of every dated rule set (R1–R21 are configuration, not code): a row takes
    effect on `effective_from`, and a fact is judged by the row in force on its date."""

    effective_from = models.DateField(_("effective from"), unique=True)
    note = models.CharField(_("source / note"), max_length=200, blank=True)
    created_at, created_by = step(now=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.effective_from}"

    @classmethod
    def in_force(cls, day=None):  # type: ignore[no-untyped-def]
        """The rule set in force on `day` (today by default): the latest that took effect
        on or before it; for a day before the first one, the first one (facts recorded
        before the rules were configured are still judged); with none stored (a new
        deployment), the published defaults that the fields carry.

        Read on every scan and check-in (issue #21), so a stored set is kept per process
        for FANGKONG_RULES_CACHE_SECONDS (`forget_rule_sets`): a set saved or deleted in
        this process is seen at once, one saved by another process within those
        seconds. Each caller gets its own copy of the row."""
        day = cls._meta.get_field("effective_from").to_python(day or clock.today())
        key = (cls, day)
        now = time.monotonic()
        hit = _in_force.get(key)
        if hit is not None and hit[0] > now:
            return copy_instance(hit[1])
        # One prepared statement: the sets in force first, the latest of them; else the
        # earliest set.
        found = prepared.first(
            cls,
            "1 = 1",
            [day, day],
            order="CASE WHEN effective_from <= %s THEN 0 ELSE 1 END, "
            "CASE WHEN effective_from <= %s THEN effective_from END DESC, effective_from",
        )
        if found is None:
            return cls(effective_from=day)
        ttl = settings.FANGKONG_RULES_CACHE_SECONDS
        if ttl > 0:
            if len(_in_force) >= _IN_FORCE_MAX:
                _in_force.clear()
            _in_force[key] = (now + ttl, copy_instance(found))
        return found

    @classmethod
    def in_force_by_day(cls) -> Callable[[dt.date], Any]:
        """`in_force` for many days with one query (a list judging each row by the rules
        of its own date): the stored sets are read once; returns a function of the day."""
        stored = list(cls._default_manager.order_by("effective_from"))

        def pick(day: dt.date) -> Any:
            found = None
            for rule_set in stored:  # oldest first: the last one that took effect by `day`
                if rule_set.effective_from > day:
                    break
                found = rule_set
            return found or (stored[0] if stored else cls(effective_from=day))

        return pick

    @classmethod
    def draft(cls, day: Any, *, from_today: bool = False, amend_future: bool = False) -> Any:
        """The row a rule-set action fills for a set taking effect on `day`, refused under
        `effective_from` when the day is missing or taken. A set takes effect on a day
        with no set yet (and, `from_today`, not before today); `amend_future` lets a
        stored set that is not yet in force be rewritten (it is returned), while a set in
        force is history and never rewritten. The messages are the kernel's, once."""
        if not isinstance(day, dt.date):
            raise invalid("effective_from", _("the effective date is required"))
        if from_today and day < clock.today():
            raise invalid("effective_from", _("a new rule set takes effect today or later"))
        existing = cls._default_manager.filter(effective_from=day).first()
        if existing is None:
            return cls(effective_from=day)
        if amend_future and day > clock.today():
            return existing
        if amend_future:
            raise invalid(
                "effective_from", _("a rule set already in force on this date cannot be rewritten")
            )
        raise invalid("effective_from", _("a rule set already takes effect on this day"))

    def save_by(self, user: Any, **values: Any) -> Any:
        """Store the set written by `user` with `values`: its author (a new set; none for
        the system actor) and the actor of its audit entry."""
        for name, value in values.items():
            setattr(self, name, value)
        if self.pk is None and self.created_by_id is None and getattr(user, "pk", None):
            self.created_by = user
        with actor(user):
            self.save()
        return self

    @classmethod
    def in_force_stored(cls, day=None):  # type: ignore[no-untyped-def]
        """`in_force`, but a fact that records which rules judged it (a foreign key)
        needs a stored row: the published defaults are saved the first time."""
        found = cls.in_force(day)
        if found.pk is None:
            found.note = found.note or "published defaults"
            found.save()
        return found


# Rule sets in force, per process (DatedRuleSet.in_force): (model, day) -> (good until,
# the stored row). Emptied whenever a rule set is saved or deleted in this process, and
# again when that transaction commits (core.apps connects `forget_rule_sets`).
_in_force: dict[tuple[type, dt.date], tuple[float, Any]] = {}
_IN_FORCE_MAX = 1_000


def forget_rule_sets(**_kwargs: Any) -> None:
    """Drop every kept rule set (a signal receiver: after any rule set is written)."""
    _in_force.clear()
    transaction.on_commit(_in_force.clear)


def copy_instance(obj: Any, **related: Any) -> Any:
    """A shallow copy of a model instance with its own state and related-object cache
    (`related` added to it), so no caller's change reaches the kept original: the
    per-process caches of rule sets and bearer tokens hand out copies. The field values
    themselves are shared (they are read, not changed)."""
    new = object.__new__(type(obj))
    state = object.__new__(type(obj._state))
    state.__dict__ = obj._state.__dict__.copy()
    state.__dict__["fields_cache"] = {**obj._state.fields_cache, **related}
    new.__dict__ = {**obj.__dict__, "_state": state}
    return new


class PhoneCode(models.Model):
    """A one-time code sent to a phone by SMS (core.otp_codes); only the blind index of
    the phone and a keyed digest of the code are stored. The table keeps the name it had
    in the public app."""

    phone_index = models.CharField(max_length=32, db_index=True)
    code_digest = models.CharField(max_length=32)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "public_phonecode"

    def __str__(self) -> str:
        return f"code {self.pk}"
