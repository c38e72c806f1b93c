"""The platform's one schedule: every job that runs without anyone, declared with
`@job(...)` next to its code (`notify/jobs.py`), its times either a crontab line or a
function of the day (times that are rules: check-in windows, the briefing cut-off).

APScheduler (`fangkong scheduler`) fires each job at its next slot and enqueues a task on
the tasks queue; the task claims the slot by inserting the unique (job, slot) row of
`ScheduledRun`, so a slot runs once even with two schedulers or a retried task. On start,
the latest slot of each job that passed without a run (the server was down) is run once.
"""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

from fangkong.core import clock

log = logging.getLogger(__name__)

# How far back a missed slot is still caught up on start.
CATCH_UP_DAYS = 2


@dataclass
class Job:
    name: str
    func: Callable[[dt.datetime], Any]
    cron: str = ""
    times: Callable[[dt.date], list[dt.time]] | None = None
    doc: str = ""

    def slots_on(self, day: dt.date) -> list[dt.datetime]:
        """The job's slots that fall on one local day, in order."""
        tz = timezone.get_default_timezone()
        if self.times is not None:
            return sorted(dt.datetime.combine(day, t, tzinfo=tz) for t in self.times(day))
        trigger = CronTrigger.from_crontab(_cron_of(self), timezone=tz)
        start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
        end = start + dt.timedelta(days=1)
        out, t = [], trigger.get_next_fire_time(None, start)
        while t is not None and t < end:
            out.append(t)
            t = trigger.get_next_fire_time(t, t + dt.timedelta(seconds=1))
        return out

    def latest_due(self, now: dt.datetime) -> dt.datetime | None:
        local = timezone.localtime(now)
        for back in range(CATCH_UP_DAYS + 1):
            due = [s for s in self.slots_on(local.date() - dt.timedelta(days=back)) if s <= now]
            if due:
                return due[-1]
        return None

    def next_after(self, after: dt.datetime) -> dt.datetime | None:
        local = timezone.localtime(after)
        for ahead in range(9):
            later = [s for s in self.slots_on(local.date() + dt.timedelta(days=ahead)) if s > after]
            if later:
                return later[0]
        return None


REGISTRY: dict[str, Job] = {}


def job(
    name: str, *, cron: str = "", times: Callable[[dt.date], list[dt.time]] | None = None
) -> Callable[[Callable[[dt.datetime], Any]], Callable[[dt.datetime], Any]]:
    """Declare a scheduled job: `func(slot)` runs once per slot."""
    if bool(cron) == bool(times):
        raise ValueError(f"job {name}: give a crontab line or a times function")

    def decorate(func: Callable[[dt.datetime], Any]) -> Callable[[dt.datetime], Any]:
        if name in REGISTRY and REGISTRY[name].func is not func:
            raise ValueError(f"job {name} is declared twice")
        REGISTRY[name] = Job(name, func, cron=cron, times=times, doc=(func.__doc__ or "").strip())
        return func

    return decorate


def _cron_of(j: Job) -> str:
    return overrides().get(j.name) or j.cron


def overrides() -> dict[str, str]:
    """Schedule entries from settings (FANGKONG_SCHEDULE: job name → crontab line or "off")."""
    return dict(getattr(settings, "FANGKONG_SCHEDULE", {}) or {})


def check_schedule() -> list[Job]:
    """The jobs to run; a schedule entry naming an unknown job, or a bad crontab line,
    is refused with the known names."""
    entries = overrides()
    unknown = sorted(set(entries) - set(REGISTRY))
    if unknown:
        raise ImproperlyConfigured(
            f"FANGKONG_SCHEDULE names unknown job(s): {', '.join(unknown)}; "
            f"known jobs: {', '.join(sorted(REGISTRY))}"
        )
    active = []
    for name, j in sorted(REGISTRY.items()):
        entry = entries.get(name, "")
        if entry == "off":
            continue
        if entry:
            if j.times is not None:
                raise ImproperlyConfigured(
                    f"FANGKONG_SCHEDULE[{name!r}]: this job's times are rules "
                    "(change them in its rule set); only 'off' is accepted"
                )
            try:
                CronTrigger.from_crontab(entry)
            except ValueError as exc:
                raise ImproperlyConfigured(f"FANGKONG_SCHEDULE[{name!r}]: {exc}") from None
        active.append(j)
    return active


def run_slot(name: str, slot: dt.datetime, *, caught_up: bool = False) -> str:
    """Claim and run one slot of a job. Returns "done", "failed" or "already"."""
    from fangkong.notify.models import ScheduledRun

    j = REGISTRY.get(name)
    if j is None:
        raise ImproperlyConfigured(f"unknown scheduled job {name!r}")
    try:
        with transaction.atomic():
            run = ScheduledRun.objects.create(
                job=name, slot=slot, caught_up=caught_up, started_at=clock.now()
            )
    except IntegrityError:
        return "already"
    try:
        result = j.func(slot)
    except Exception as exc:  # the run is kept as failed with its reason; next slot goes on
        log.exception("scheduled job %s (%s) failed", name, slot)
        run.status, run.result = ScheduledRun.Status.FAILED, f"{type(exc).__name__}: {exc}"[:300]
    else:
        run.status, run.result = (
            ScheduledRun.Status.DONE,
            str(result if result is not None else "")[:300],
        )
    run.finished_at = clock.now()
    run.save(update_fields=["status", "result", "finished_at"])
    return run.status


def enqueue_due(name: str, now: dt.datetime | None = None, *, caught_up: bool = False) -> bool:
    """Enqueue the latest due slot of a job unless it already ran. True when enqueued."""
    from fangkong.notify.models import ScheduledRun
    from fangkong.notify.tasks import run_scheduled

    now = now or clock.now()
    slot = REGISTRY[name].latest_due(now)
    if slot is None or ScheduledRun.objects.filter(job=name, slot=slot).exists():
        return False
    run_scheduled.enqueue(name, slot.isoformat(), caught_up)
    return True


def catch_up(now: dt.datetime | None = None) -> list[str]:
    """On start: each job's latest slot that passed without a run is run once."""
    now = now or clock.now()
    return [j.name for j in check_schedule() if enqueue_due(j.name, now, caught_up=True)]


class SlotTrigger(BaseTrigger):
    """An APScheduler trigger that fires at a job's slots (crontab or rule times)."""

    def __init__(self, j: Job):
        self.job = j

    def get_next_fire_time(self, previous_fire_time, now):  # type: ignore[no-untyped-def]
        return self.job.next_after(previous_fire_time or now - dt.timedelta(microseconds=1))

    def __str__(self) -> str:
        return f"slots of {self.job.name}"


def fire(name: str) -> bool:
    """What APScheduler calls at a slot (in its thread pool): enqueue the due slot, with
    fresh database connections (a long-running scheduler must not hold a dead one)."""
    from django.db import close_old_connections, connection

    if connection.in_atomic_block:  # called inside a transaction (tests): leave it be
        return enqueue_due(name)
    close_old_connections()
    try:
        return enqueue_due(name)
    finally:
        close_old_connections()


def build_scheduler(scheduler: Any) -> list[Job]:
    """Add every active job to an APScheduler scheduler; returns the jobs."""
    active = check_schedule()
    for j in active:
        scheduler.add_job(
            fire,
            trigger=SlotTrigger(j),
            args=(j.name,),
            id=j.name,
            name=j.name,
            coalesce=True,
            misfire_grace_time=3600,
            max_instances=1,
        )
    return active
