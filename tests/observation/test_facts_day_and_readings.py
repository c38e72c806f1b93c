"""Issue #15 for observation: every writer tells the facts registry (the raw-SQL check-in
included) and the health code changes at once; day N from the last exposure; readings
placed by Shanghai time with late ones marked; the alert follows the reading."""

import datetime as dt

import pytest
from django.urls import reverse

from fangkong.core import clock, facts
from fangkong.healthcode.models import HealthCode
from fangkong.observation import actions, links
from fangkong.observation.models import CheckIn
from tests.factlog import told
from tests.observation.conftest import at, cid

DAY0 = dt.date(2020, 2, 10)
pytestmark = pytest.mark.django_db


def _code(person_id):
    return HealthCode.objects.filter(person_id=person_id).values_list("colour", "reasons").first()


def test_every_observation_writer_tells_the_registry_and_the_code_follows_at_once(
    start, system_user, make_user
):
    with clock.frozen(at(DAY0, 9)), told() as log:
        period = start(last_exposure=DAY0 - dt.timedelta(days=2))
        # no commit has happened: the colour is already stored (same transaction)
        assert _code(period.person_id)[0] == "red"
        actions.check_in(period, client_id=cid(), temperature="38.1")  # the raw-SQL path
        assert any("报告发热或症状" in r for r in _code(period.person_id)[1])
        actions.record_exposure(system_user, period, DAY0 - dt.timedelta(days=1))
        period.refresh_from_db()
        actions.end_period(system_user, period, "lost", "moved away")
    pid = period.person_id
    assert (facts.OBSERVATION, [pid]) in log
    assert (facts.CHECKIN, [pid]) in log
    assert [f for f, ids in log if ids == [pid]].count(facts.OBSERVATION) == 3


def test_release_tells_the_registry(start, make_user):
    from tests.conftest import YUECHENG

    with clock.frozen(at(DAY0, 9)):
        period = start(last_exposure=DAY0 - dt.timedelta(days=13))
    releaser = make_user("county_hq", YUECHENG)
    with clock.frozen(at(period.planned_end, 10)), told() as log:
        actions.release(releaser, period, negative_test_on=period.planned_end)
    assert (facts.OBSERVATION, [period.person_id]) in log


def test_day_n_counts_from_the_last_exposure(start):
    exposure = DAY0 - dt.timedelta(days=2)
    with clock.frozen(at(DAY0, 9)):
        period = start(last_exposure=exposure)  # started two days after the exposure
    assert period.planned_end == exposure + dt.timedelta(days=14)
    with clock.frozen(at(period.planned_end, 9)):
        assert period.day_number == 14  # the release day is day 14, not 12
    with clock.frozen(at(exposure + dt.timedelta(days=1), 9)):
        assert period.day_number == 1


def test_a_reading_between_windows_is_placed_by_shanghai_time_and_marked_late(client, start):
    with clock.frozen(at(DAY0, 9)):
        period = start(last_exposure=DAY0)
    url = reverse("observation:self_checkin", args=[links.make_token(period)])
    with clock.frozen(at(DAY0 + dt.timedelta(days=1), 15, 43)):
        r = client.post(url, {"client_id": cid(), "temperature": "36.5", "reporter_kind": "self"})
    stored = CheckIn.objects.get(period=period)
    assert stored.local_date == DAY0 + dt.timedelta(days=1)
    assert (stored.window, stored.on_time) == ("morning", False)
    assert 'data-late="1"' in r.text  # the late notice on the resident's page
    # An ISO time in UTC is placed by Shanghai time: 07:43Z is 15:43 in Shanghai.
    with clock.frozen(at(DAY0 + dt.timedelta(days=2), 20)):
        late, _c = actions.check_in(
            period, client_id=cid(), temperature="36.5", taken_at="2020-02-12T07:43:00+00:00"
        )
    assert late.local_date == DAY0 + dt.timedelta(days=2) and late.window == "morning"
    assert not late.on_time


def test_the_alert_follows_the_reading_not_the_earlier_referral(client, start):
    with clock.frozen(at(DAY0, 9)):
        period = start(last_exposure=DAY0)
    url = reverse("observation:self_checkin", args=[links.make_token(period)])
    with clock.frozen(at(DAY0 + dt.timedelta(days=1), 8)):
        hot = client.post(url, {"client_id": cid(), "temperature": "38.2", "reporter_kind": "self"})
    assert 'role="alert"' in hot.text
    period.refresh_from_db()
    assert period.status == "referred"
    with clock.frozen(at(DAY0 + dt.timedelta(days=1), 19)):
        normal = client.post(
            url, {"client_id": cid(), "temperature": "36.7", "reporter_kind": "self"}
        )
    assert normal.status_code == 200 and "36.7" in normal.text
    assert 'role="alert"' not in normal.text


def test_placement_and_referral_answers_are_facts(start, site, system_user):
    from fangkong.observation.models import Referral, Room

    with clock.frozen(at(DAY0, 9)):
        period = start(last_exposure=DAY0)
    with clock.frozen(at(DAY0 + dt.timedelta(days=1), 8)), told() as log:
        actions.place(system_user, period, "site", room=Room.objects.get(site=site, number="101"))
        actions.check_in(period, client_id=cid(), temperature="38.3")
        actions.resolve_referral(system_user, Referral.objects.get(period=period), "excluded")
    pid = period.person_id
    assert [f for f, ids in log if ids == [pid]] == [
        facts.OBSERVATION,
        facts.CHECKIN,
        facts.OBSERVATION,
    ]
    assert HealthCode.objects.get(person_id=pid).colour == "red"  # still observed
