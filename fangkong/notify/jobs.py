"""The schedule: every job the platform runs on its own, with its times.

Times that are rules come from the dated rule set in force on the day (check-in windows
from `ObservationRules`, the briefing cut-off from the briefing rules, reminder lead
times from `NoticeRules`); fixed times are crontab lines that `FANGKONG_SCHEDULE` may
override (or turn "off"). `fangkong scheduler` fires them; see notify/schedule.py."""

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from fangkong.notify import senders
from fangkong.notify.actions import rules as notice_rules
from fangkong.notify.schedule import job

log = logging.getLogger(__name__)


def _obs_rules(day: dt.date) -> Any:
    from fangkong.observation.models import ObservationRules

    return ObservationRules.in_force(day)


def window_closes(day: dt.date) -> list[dt.time]:
    r = _obs_rules(day)
    return [r.morning_end, r.evening_end]


def _window_of(slot: dt.datetime, lead: dt.timedelta = dt.timedelta(0)) -> tuple[dt.date, str]:
    local = timezone.localtime(slot) + lead
    r = _obs_rules(local.date())
    window = "morning" if local.time() == r.morning_end else "evening"
    return local.date(), window


@job("sweep-checkins", times=window_closes)
def sweep_checkins(slot: dt.datetime) -> str:
    """At each check-in window's close: missed check-ins become tasks (R3), and each
    responsible worker gets one digest."""
    from fangkong.observation import actions

    day, window = _window_of(slot)
    created = actions.sweep_missed(day, window)
    told = senders.missed_checkins_digest(day, window)
    return f"{day} {window}: {created} tasks, {told} digests"


def _reminder_lead(day: dt.date) -> dt.timedelta:
    return dt.timedelta(minutes=notice_rules(day).rule("checkin_reminder").get("minutes", 60))


def reminder_times(day: dt.date) -> list[dt.time]:
    lead = _reminder_lead(day)
    return [
        (dt.datetime.combine(day, t) - lead).time()
        for t in window_closes(day)
        if (dt.datetime.combine(day, t) - lead).date() == day
    ]


@job("checkin-reminders", times=reminder_times)
def checkin_reminders(slot: dt.datetime) -> str:
    """Before each window closes: persons who have not reported get their link."""
    day = timezone.localtime(slot).date()
    day, window = _window_of(slot, _reminder_lead(day))
    return f"{day} {window}: {senders.checkin_reminders(day, window)} reminders"


@job("health-codes", cron="30 0 * * *")
def health_codes(slot: dt.datetime) -> str:
    """Daily health-code transitions (R11, R12): every code recomputed from the facts."""
    from fangkong.healthcode.actions import recompute_all

    result = recompute_all(timezone.localtime(slot).date())
    return f"changes: {result['changes']}, new green: {result['new_green']}"


def briefing_cutoff(day: dt.date) -> list[dt.time]:
    from fangkong.briefing.compute import cutoff_for

    cutoff = timezone.localtime(cutoff_for(day))
    return [cutoff.time()] if cutoff.date() == day else []


@job("briefing", times=briefing_cutoff)
def briefing(slot: dt.datetime) -> str:
    """At the cut-off: the day's briefing of the city, every county and every town."""
    from fangkong.briefing.compute import compute
    from fangkong.geo.models import Division

    day = timezone.localtime(slot).date()
    nodes = Division.objects.filter(level__in=["city", "county", "town"]).order_by("path")
    n = 0
    for node in nodes:
        compute(node, day)
        n += 1
    return f"{day}: {n} briefings"


@job("escalations", cron="*/15 * * * *")
def escalations(slot: dt.datetime) -> str:
    """Overdue directives, questions go one level up; silent directive nodes, visits
    about to breach, rectification / question / care owners are told."""
    from fangkong.command.actions import escalate_overdue as escalate_directives
    from fangkong.public.actions import escalate_overdue as escalate_questions

    d = escalate_directives(slot)
    q = escalate_questions(slot)
    reminders = senders.directive_reminders(slot)
    visits = senders.visit_breach(slot)
    owners = senders.owner_deadlines(slot)
    return (
        f"directives escalated {d}, questions escalated {q}, directive notices {reminders}, "
        f"visit warnings {visits}, owner notices {owners}"
    )


@job("report-clocks", cron="*/5 * * * *")
def report_clocks(slot: dt.datetime) -> str:
    """Doctors' 2-hour / 24-hour clocks: warn before, then the head of department."""
    return f"{senders.report_clocks(slot)} notices"


@job("report-upward", cron="0 * * * *")
def report_upward(slot: dt.datetime) -> str:
    """Reports upward: the nodes that have not submitted before and at the deadline."""
    return f"{senders.report_upward(slot)} notices"


def visits_time(day: dt.date) -> list[dt.time]:
    return [dt.time.fromisoformat(notice_rules(day).rule("visits_today").get("at", "08:00"))]


@job("visits-digest", times=visits_time)
def visits_digest(slot: dt.datetime) -> str:
    """Morning digest of today's door-to-door visits per grid / village."""
    return f"{senders.visits_today(timezone.localtime(slot).date())} digests"


@job("supply-alerts", cron="0 9 * * *")
def supply_alerts(slot: dt.datetime) -> str:
    """Headquarters: items under the days-of-supply threshold; price alerts."""
    return f"{senders.supply_alerts(timezone.localtime(slot).date())} notices"


@job("notify-deliver", cron="*/5 * * * *")
def notify_deliver(slot: dt.datetime) -> str:
    """Open notices follow their task's new owner; deliveries whose retry (back-off) or
    quiet hours have passed are sent."""
    from fangkong.notify.actions import deliver_due, follow_owners

    moved = follow_owners(slot)
    return f"moved {moved}, {deliver_due()}"


@job("stale-tokens", cron="15 3 * * *")
def stale_tokens(slot: dt.datetime) -> str:
    """Expired API tokens, used or expired SMS codes (and, after 90 days, their delivery
    records), expired sessions, old run rows."""
    from django.contrib.sessions.models import Session

    from fangkong.accounts.models import ApiToken
    from fangkong.core.models import PhoneCode
    from fangkong.notify.models import Notice, ScheduledRun

    tokens = ApiToken.objects.filter(expires_at__lt=slot).delete()[0]
    codes = PhoneCode.objects.filter(expires_at__lt=slot - dt.timedelta(days=1)).delete()[0]
    sessions = Session.objects.filter(expire_date__lt=slot).delete()[0]
    runs = ScheduledRun.objects.filter(slot__lt=slot - dt.timedelta(days=90)).delete()[0]
    codes += (
        Notice.objects.filter(kind="phone_code", created_at__lt=slot - dt.timedelta(days=90))
        .delete()[1]
        .get("notify.Notice", 0)
    )
    return f"tokens {tokens}, codes {codes}, sessions {sessions}, runs {runs}"


@job("retention-purge", cron="45 2 * * *")
def retention_purge(slot: dt.datetime) -> str:
    """The retention purge (`run_purge(today)`, settings.FANGKONG_PURGE_FUNCTION)."""
    path = getattr(settings, "FANGKONG_PURGE_FUNCTION", "fangkong.retention.purge.run_purge")
    try:
        run_purge = import_string(path)
    except ImportError:
        log.warning("retention purge: %s is not installed; nothing purged", path)
        return f"{path} not installed"
    return str(run_purge(timezone.localtime(slot).date()))
