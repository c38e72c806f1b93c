"""The schedule with the clock frozen and moved: a sweep at window close, once; after an
outage, the missed slot exactly once; never twice for one slot (two schedulers)."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from fangkong.core import clock
from fangkong.notify import schedule
from fangkong.notify.models import Notice, ScheduledRun
from fangkong.observation.models import AlertTask, ObservationRules
from tests.notify.conftest import DAY0, TZ, at


@pytest.fixture
def periods(db, make_person, system_user, grid_worker):
    from fangkong.observation import actions

    with clock.frozen(at(DAY0 - dt.timedelta(days=1), 9)):
        out = []
        for i, name in enumerate(["王秀英", "陈建国", "刘桂兰"]):
            person = make_person(name, phone=f"1390575000{i}")
            out.append(
                actions.start_period(
                    system_user,
                    person,
                    reason="close_contact",
                    last_exposure=DAY0 - dt.timedelta(days=1),
                )
            )
    return out


def tick(now):
    """What the running scheduler does at `now` for the sweep job."""
    with clock.frozen(now):
        return schedule.enqueue_due("sweep-checkins", now)


def test_sweep_runs_at_window_close_once(periods, grid_worker):
    from fangkong.observation import actions

    with clock.frozen(at(DAY0, 8)):
        actions.check_in(
            periods[0], client_id="7d0f3c2e-8a51-4b1e-9c3a-2f6e1b0d4a11", temperature="36.5"
        )
    assert tick(at(DAY0, 11, 59)) is True  # the previous evening's slot, not yet run
    assert AlertTask.objects.filter(local_date=DAY0).count() == 0
    assert tick(at(DAY0, 12, 0)) is True  # the morning window has just closed
    assert AlertTask.objects.filter(local_date=DAY0, window="morning").count() == 2
    assert tick(at(DAY0, 12, 1)) is False  # same slot: nothing more
    assert tick(at(DAY0, 21, 59)) is False
    run = ScheduledRun.objects.get(job="sweep-checkins", slot=at(DAY0, 12))
    assert run.status == "done" and "2 tasks" in run.result
    # one digest for the grid worker, not one per person
    digest = Notice.objects.get(
        kind="missed_checkins", recipient_user=grid_worker, key__endswith=f"{DAY0}:morning"
    )
    assert digest.params == {"n": 2}


def test_outage_catches_up_the_missed_slot_exactly_once(periods):
    with clock.frozen(at(DAY0, 12, 0)):
        schedule.run_slot("sweep-checkins", at(DAY0, 12))
    # down from 12:05 to 23:30: the 22:00 sweep was missed
    with clock.frozen(at(DAY0, 23, 30)):
        caught = schedule.catch_up()
        assert "sweep-checkins" in caught
        assert schedule.catch_up() == [] or "sweep-checkins" not in schedule.catch_up()
    runs = ScheduledRun.objects.filter(job="sweep-checkins").order_by("slot")
    assert [(r.slot, r.caught_up) for r in runs] == [
        (at(DAY0, 12), False),
        (at(DAY0, 22), True),
    ]
    assert AlertTask.objects.filter(local_date=DAY0, window="evening").count() == 3
    # a restart again the next morning: the slot is not run a second time
    with clock.frozen(at(DAY0 + dt.timedelta(days=1), 6)):
        assert "sweep-checkins" not in schedule.catch_up()
    assert ScheduledRun.objects.filter(job="sweep-checkins").count() == 2


def test_two_schedulers_never_run_a_slot_twice(periods):
    with clock.frozen(at(DAY0, 12, 0)):
        assert schedule.run_slot("sweep-checkins", at(DAY0, 12)) == "done"
        assert schedule.run_slot("sweep-checkins", at(DAY0, 12)) == "already"
    assert ScheduledRun.objects.filter(job="sweep-checkins").count() == 1


def test_window_times_are_rules(db, city_hq):
    ObservationRules.objects.create(
        effective_from=DAY0, morning_end=dt.time(11, 0), evening_end=dt.time(21, 30)
    )
    job = schedule.REGISTRY["sweep-checkins"]
    assert [s.astimezone(TZ).time() for s in job.slots_on(DAY0)] == [
        dt.time(11, 0),
        dt.time(21, 30),
    ]
    assert job.next_after(at(DAY0, 11, 0)) == at(DAY0, 21, 30)
    reminders = schedule.REGISTRY["checkin-reminders"]
    assert [s.astimezone(TZ).time() for s in reminders.slots_on(DAY0)] == [
        dt.time(10, 0),
        dt.time(20, 30),
    ]


def test_cron_jobs_and_the_apscheduler_trigger(db):
    job = schedule.REGISTRY["health-codes"]
    assert job.slots_on(DAY0) == [at(DAY0, 0, 30)]
    trigger = schedule.SlotTrigger(schedule.REGISTRY["escalations"])
    assert trigger.get_next_fire_time(None, at(DAY0, 9, 1)) == at(DAY0, 9, 15)
    assert trigger.get_next_fire_time(at(DAY0, 9, 15), at(DAY0, 9, 15)) == at(DAY0, 9, 30)


def test_a_failing_job_is_kept_failed_with_its_reason(db, monkeypatch):
    def boom(slot):
        raise RuntimeError("the briefing store is full")

    monkeypatch.setattr(schedule.REGISTRY["supply-alerts"], "func", boom)
    with clock.frozen(at(DAY0, 9)):
        assert schedule.run_slot("supply-alerts", at(DAY0, 9)) == "failed"
    run = ScheduledRun.objects.get(job="supply-alerts")
    assert run.result == "RuntimeError: the briefing store is full"


def test_unknown_job_in_the_schedule_is_refused_at_start(db, settings):
    settings.FANGKONG_SCHEDULE = {"sweep-checkin": "0 12 * * *"}
    with pytest.raises(ImproperlyConfigured, match="unknown job\\(s\\): sweep-checkin"):
        schedule.check_schedule()
    with pytest.raises(CommandError, match="known jobs: briefing"):
        call_command("scheduler", "--check")
    settings.FANGKONG_SCHEDULE = {"stale-tokens": "every night"}
    with pytest.raises(CommandError, match="stale-tokens"):
        call_command("scheduler", "--check")
    settings.FANGKONG_SCHEDULE = {"sweep-checkins": "0 12 * * *"}
    with pytest.raises(CommandError, match="times are rules"):
        call_command("scheduler", "--check")
    settings.FANGKONG_SCHEDULE = {"stale-tokens": "off", "health-codes": "0 1 * * *"}
    names = [j.name for j in schedule.check_schedule()]
    assert "stale-tokens" not in names
    assert schedule.REGISTRY["health-codes"].slots_on(DAY0) == [at(DAY0, 1, 0)]


def test_retention_purge_calls_run_purge_when_installed(db, settings, monkeypatch):
    import sys
    import types

    calls = []
    mod = types.ModuleType("fake_retention")
    mod.run_purge = lambda today: calls.append(today) or {"purged": 0}  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fake_retention", mod)
    settings.FANGKONG_PURGE_FUNCTION = "fake_retention.run_purge"
    with clock.frozen(at(DAY0, 2, 45)):
        assert schedule.run_slot("retention-purge", at(DAY0, 2, 45)) == "done"
    assert calls == [DAY0]
    settings.FANGKONG_PURGE_FUNCTION = "fangkong.nowhere.run_purge"
    with clock.frozen(at(DAY0 + dt.timedelta(days=1), 2, 45)):
        schedule.run_slot("retention-purge", at(DAY0 + dt.timedelta(days=1), 2, 45))
    assert "not installed" in ScheduledRun.objects.order_by("-slot").first().result


def test_stale_tokens_are_removed(db, city_hq):
    from fangkong.accounts.models import ApiToken

    ApiToken.objects.create(user=city_hq, digest="a" * 64, expires_at=at(DAY0, 1))
    ApiToken.objects.create(user=city_hq, digest="b" * 64, expires_at=at(DAY0, 23))
    with clock.frozen(at(DAY0, 3, 15)):
        schedule.run_slot("stale-tokens", at(DAY0, 3, 15))
    assert list(ApiToken.objects.values_list("digest", flat=True)) == ["b" * 64]


def test_the_scheduler_gets_one_apscheduler_job_per_active_job(db, settings):
    from apscheduler.schedulers.background import BackgroundScheduler

    settings.FANGKONG_SCHEDULE = {"supply-alerts": "off"}
    s = BackgroundScheduler(timezone=TZ)
    active = schedule.build_scheduler(s)
    ids = {j.id for j in s.get_jobs()}
    assert ids == {j.name for j in active} and "supply-alerts" not in ids
    assert "sweep-checkins" in ids and "retention-purge" in ids
    with clock.frozen(at(DAY0, 12, 0)):
        assert schedule.fire("stale-tokens") is True
