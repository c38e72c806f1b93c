import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from fangkong.core import clock
from fangkong.observation import actions
from fangkong.observation.models import (
    AlertTask,
    CheckIn,
    ObservationPeriod,
    ObservationRules,
    Placement,
    Referral,
    Room,
)
from tests.conftest import GRID_A
from tests.observation.conftest import at, cid

pytestmark = pytest.mark.django_db
DAY0 = dt.date(2020, 2, 10)


def test_default_rule_set_is_seeded():
    r = actions.rules_in_force(DAY0)
    assert r.days == 14 and str(r.fever_threshold) == "37.3"
    assert str(r.min_temperature) == "34.0" and str(r.max_temperature) == "43.0"


def test_rule_set_applies_by_the_start_date_across_an_effective_date(start, city_hq):
    with clock.frozen(at(DAY0, 9)):
        actions.save_rules(
            city_hq,
            {"effective_from": dt.date(2020, 2, 21), "days": 10, "negative_test_required": True},
        )
    with clock.frozen(at(dt.date(2020, 2, 20), 9)):
        before = start(name="甲")
    with clock.frozen(at(dt.date(2020, 2, 21), 9)):
        after = start(name="乙")
    assert before.planned_end == dt.date(2020, 3, 5)  # 14 days
    assert after.planned_end == dt.date(2020, 3, 2)  # 10 days
    assert after.rules.negative_test_required and not before.rules.negative_test_required
    # A later exposure is judged by the period's own rule set.
    with clock.frozen(at(dt.date(2020, 2, 23), 9)):
        actions.record_exposure(city_hq, before, dt.date(2020, 2, 23))
    assert before.planned_end == dt.date(2020, 3, 8)


def test_only_headquarters_edit_rules_and_history_is_not_rewritten(grid_worker, city_hq):
    with pytest.raises(PermissionError):
        actions.save_rules(grid_worker, {"effective_from": dt.date(2030, 1, 1)})
    with clock.frozen(at(DAY0, 9)), pytest.raises(ValidationError) as exc:
        actions.save_rules(city_hq, {"effective_from": dt.date(2020, 1, 1), "days": 7})
    assert "effective_from" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        actions.save_rules(city_hq, {"effective_from": dt.date(2031, 1, 1), "days": 0})
    assert "days" in exc.value.message_dict
    assert ObservationRules.objects.count() == 1


def test_full_fourteen_day_period_with_missed_evening_fever_and_release(start, site, city_hq):
    """A replayed clock: two readings a day, a missed evening on day 5 raises a task for
    the site doctor, a fever on day 8 refers the person (period not closed), the clinic
    excludes it, and on day 14 the person is released with a certificate."""
    room = Room.objects.get(site=site, number="101")
    with clock.frozen(at(DAY0, 13)):  # after the morning window: day 0 has an evening only
        period = start(last_exposure=DAY0, room=room)
    assert period.planned_end == DAY0 + dt.timedelta(days=14)
    assert period.responsible == site.doctor
    referral = None
    for n in range(15):
        day = DAY0 + dt.timedelta(days=n)
        for hour, window in ((8, "morning"), (19, "evening")):
            if (n, window) == (5, "evening") or (n == 0 and window == "morning"):
                pass
            else:
                temp = "38.1" if (n, window) == (8, "morning") else "36.6"
                with clock.frozen(at(day, hour)):
                    actions.check_in(period, client_id=cid(), temperature=temp)
            if n == 8 and window == "morning":
                period.refresh_from_db()
                assert period.status == "referred" and period.symptomatic
                referral = Referral.objects.get(period=period)
                assert referral.temperature is not None and "fever" in referral.symptoms
                with translation.override("zh-hans"):  # read in words, not stored values
                    assert referral.summary == "38.1 °C · 发热"
                with translation.override("en"):
                    assert referral.summary == "38.1 °C · Fever"
                actions.resolve_referral(city_hq, referral, "excluded", clinic="越城区人民医院")
            with clock.frozen(at(day, 12 if window == "morning" else 22, 30)):
                actions.sweep_missed()
        if n < 14:
            with clock.frozen(at(day, 10)), pytest.raises(ValidationError):
                actions.release(city_hq, period)
    tasks = list(AlertTask.objects.filter(period=period))
    assert [(t.local_date, t.window) for t in tasks] == [(DAY0 + dt.timedelta(days=5), "evening")]
    assert tasks[0].assigned_to == site.doctor and tasks[0].status == "open"
    assert CheckIn.objects.filter(period=period).count() == 28
    with clock.frozen(at(period.planned_end, 20)):
        actions.release(city_hq, period)
    period.refresh_from_db()
    assert period.status == "released" and period.certificate_code
    assert AlertTask.objects.get(period=period).status == "done"
    assert not Placement.objects.filter(period=period, ended_at__isnull=True).exists()
    with clock.frozen(at(period.planned_end, 21)), pytest.raises(ValidationError) as exc:
        actions.check_in(period, client_id=cid(), temperature="36.5")
    assert "解除" in str(exc.value) or "released" in str(exc.value)


def test_check_in_is_idempotent_by_client_id(start):
    with clock.frozen(at(DAY0, 8)):
        period = start()
        key = cid()
        first, created = actions.check_in(period, client_id=key, temperature="36.5")
        again, created_again = actions.check_in(period, client_id=key, temperature="39.0")
    assert created and not created_again and first.pk == again.pk
    assert CheckIn.objects.filter(period=period).count() == 1
    assert not Referral.objects.exists()


def test_bad_check_in_input_is_refused_and_nothing_stored(start):
    with clock.frozen(at(DAY0, 8)):
        period = start()
        for temp in ("33.9", "43.1"):
            with pytest.raises(ValidationError) as exc:
                actions.check_in(period, client_id=cid(), temperature=temp)
            msg = " ".join(exc.value.message_dict["temperature"])
            assert "34.0" in msg and "43.0" in msg
        with pytest.raises(ValidationError) as exc:
            actions.check_in(period, client_id="not-a-uuid", temperature="36.5")
        assert "client_id" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            actions.check_in(period, client_id=cid(), temperature="36.5", symptoms=["sneeze"])
        assert "symptoms" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            actions.check_in(period, client_id=cid(), temperature="36.5", taken_at=at(DAY0, 23))
        assert "taken_at" in exc.value.message_dict
    assert not CheckIn.objects.exists()


def test_a_listed_symptom_refers_without_fever_and_other_symptoms_do_not(start):
    with clock.frozen(at(DAY0, 8)):
        a, b = start(name="甲"), start(name="乙")
        actions.check_in(a, client_id=cid(), temperature="36.5", symptoms=["fatigue"])
        actions.check_in(b, client_id=cid(), temperature="36.5", symptoms=["cough"])
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == "active" and a.symptomatic
    assert b.status == "referred" and Referral.objects.filter(period=b).count() == 1


def test_new_exposure_moves_the_end(start, city_hq):
    with clock.frozen(at(DAY0, 8)):
        period = start(last_exposure=DAY0 - dt.timedelta(days=2))
        assert period.planned_end == DAY0 + dt.timedelta(days=12)
        actions.record_exposure(city_hq, period, DAY0)
        assert period.planned_end == DAY0 + dt.timedelta(days=14)
        actions.record_exposure(city_hq, period, DAY0 - dt.timedelta(days=5))
        assert period.planned_end == DAY0 + dt.timedelta(days=14)
        with pytest.raises(ValidationError):
            actions.record_exposure(city_hq, period, DAY0 + dt.timedelta(days=1))


def test_placement_respects_capacity_and_keeps_history(start, site, city_hq):
    room = Room.objects.get(site=site, number="101")
    with clock.frozen(at(DAY0, 8)):
        a = start(name="甲", room=room)
        b = start(name="乙")
        with pytest.raises(ValidationError) as exc:
            actions.place(city_hq, b, "site", room=room)
        assert "full" in str(exc.value) or "满" in str(exc.value)
    with clock.frozen(at(DAY0, 10)):
        actions.place(city_hq, a, "home")
    with clock.frozen(at(DAY0, 11)):
        actions.place(city_hq, b, "site", room=room)
    history = list(Placement.objects.filter(period=a).values_list("kind", "room__number"))
    assert history == [("home", None), ("site", "101"), ("home", None)]
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.path.endswith(GRID_A + "/") and b.path == site.path
    assert b.responsible == site.doctor


def test_one_open_period_per_person(start, system_user):
    with clock.frozen(at(DAY0, 8)):
        period = start()
        with pytest.raises(ValidationError):
            actions.start_period(system_user, period.person, reason="other", last_exposure=DAY0)


def test_sweep_is_set_based_and_idempotent(start, grid_worker, django_assert_max_num_queries):
    with clock.frozen(at(DAY0, 7)):
        periods = [start(name=f"人{i}") for i in range(5)]
        actions.check_in(periods[0], client_id=cid(), temperature="36.4")
    with clock.frozen(at(DAY0, 12, 30)):
        with django_assert_max_num_queries(4):
            created = actions.sweep_missed()
        assert created == 4
        assert actions.sweep_missed() == 0
    task = AlertTask.objects.filter(period=periods[1]).get()
    assert task.assigned_to == grid_worker and task.window == "morning"
    # A late check-in closes the task.
    with clock.frozen(at(DAY0, 13)):
        actions.check_in(periods[1], client_id=cid(), temperature="36.4")
    task.refresh_from_db()
    assert task.status == "done"


def test_period_started_after_the_window_is_not_swept(start):
    with clock.frozen(at(DAY0, 13)):
        start()
    with clock.frozen(at(DAY0, 22, 30)):
        assert actions.sweep_missed(DAY0, "morning") == 0
        assert actions.sweep_missed() == 1


def test_release_requires_a_negative_test_when_the_rules_say_so(start, city_hq):
    with clock.frozen(at(DAY0, 8)):
        actions.save_rules(city_hq, {"effective_from": DAY0, "negative_test_required": True})
        period = start(last_exposure=DAY0)
    end = period.planned_end
    with clock.frozen(at(end, 10)):
        with pytest.raises(ValidationError) as exc:
            actions.release(city_hq, period)
        assert "negative" in str(exc.value) or "阴性" in str(exc.value)
        actions.release(city_hq, period, negative_test_on=end)
    assert ObservationPeriod.objects.get(pk=period.pk).status == "released"


def test_grid_worker_may_not_release(start, grid_worker):
    with clock.frozen(at(DAY0, 8)):
        period = start(last_exposure=DAY0 - dt.timedelta(days=14))
        with pytest.raises(PermissionError):
            actions.release(grid_worker, period)
