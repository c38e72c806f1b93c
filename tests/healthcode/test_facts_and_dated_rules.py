"""Issue #15 for the health code: every writer tells the facts registry and the colour
changes at once (no commit, no nightly batch); an arrival is judged by the rule set of
its own date (a later set only for later arrivals, unless marked retroactive); the
"red days after a high-risk arrival" setting is applied."""

import datetime as dt
import uuid
from types import SimpleNamespace

import pytest
from django.utils import timezone

from fangkong.core import clock, facts
from fangkong.healthcode import actions
from fangkong.healthcode.models import CodeRules, HealthCode
from fangkong.healthcode.rules import Facts, derive, governing
from tests.conftest import YUECHENG
from tests.factlog import told

DAY0 = dt.date(2020, 3, 2)
pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def _colour(person) -> str:
    return HealthCode.objects.get(person=person).colour


def test_each_health_code_writer_tells_the_registry_and_the_code_changes_at_once(
    make_person, make_user
):
    hq = make_user("county_hq", YUECHENG)
    fever, arrived, overridden = make_person("发热"), make_person("到达"), make_person("人工")
    with clock.frozen(at(DAY0)), told() as log:
        actions.daily_checkin(fever, client_id=uuid.uuid4(), temperature="38.0")
        assert _colour(fever) == "yellow"
        actions.record_arrival(hq, arrived, origin="武汉", risk_level="high", arrived_on=DAY0)
        assert _colour(arrived) == "red"
        found = actions.override_colour(
            hq, overridden, colour="red", reason="指挥部依据协查函人工设定红码"
        )
        assert _colour(overridden) == "red"
        actions.end_override(hq, found)
        assert _colour(overridden) == "green"
    assert log == [
        (facts.CHECKIN, [fever.pk]),
        (facts.ARRIVAL, [arrived.pk]),
        (facts.OVERRIDE, [overridden.pk]),
        (facts.OVERRIDE, [overridden.pk]),
    ]


def test_tracing_writers_tell_the_registry(make_person, make_user):
    from fangkong.tracing import actions as tracing

    cdc = make_user("cdc", YUECHENG)
    case_person, a, b = make_person("病例"), make_person("密接"), make_person("一般")
    with clock.frozen(at(DAY0)), told() as log:
        index = tracing.open_index_case(
            cdc, case_person, {"onset_date": DAY0 - dt.timedelta(days=1), "isolated_on": DAY0}
        )
        exposure = {"setting": "household", "first_exposure": DAY0 - dt.timedelta(days=1)}
        close = tracing.add_contact(cdc, index, {"person": a, **exposure})
        assert _colour(a) == "red"
        tracing.confirm_contact(cdc, close)
        other = tracing.add_contact(cdc, index, {"person": b, **exposure})
        tracing.dismiss_contact(cdc, other, "同住核实有误")
    assert [f for f, ids in log if ids == [a.pk]].count(facts.CONTACT) >= 2
    assert [f for f, ids in log if ids == [b.pk]].count(facts.CONTACT) >= 2


def test_a_new_rule_set_does_not_judge_earlier_arrivals_unless_retroactive(make_person, make_user):
    hq = make_user("county_hq", YUECHENG)
    before, after = make_person("早到"), make_person("晚到")
    CodeRules.objects.create(effective_from=dt.date(2020, 1, 1), high_risk_days=14, red_checkins=0)
    with clock.frozen(at(DAY0)):
        actions.record_arrival(hq, before, origin="武汉", risk_level="high", arrived_on=DAY0)
    # From 03-05 headquarters shortens the red period to 3 days (not retroactive).
    later = CodeRules.objects.create(
        effective_from=dt.date(2020, 3, 5), high_risk_days=3, red_checkins=0, note="test"
    )
    with clock.frozen(at(dt.date(2020, 3, 6))):
        actions.record_arrival(
            hq, after, origin="武汉", risk_level="high", arrived_on=dt.date(2020, 3, 2)
        )
        actions.recompute_persons([before.pk, after.pk])
        # both arrived on 03-02: judged by the set of 03-02 (14 days), still red on 03-06
        assert _colour(before) == "red" and _colour(after) == "red"
    later.retroactive = True
    later.save()
    with clock.frozen(at(dt.date(2020, 3, 6))):
        actions.recompute_persons([before.pk, after.pk])
        assert _colour(before) == "green" and _colour(after) == "green"


def test_red_days_after_a_high_risk_arrival_is_the_setting_applied():
    today = dt.date(2020, 3, 20)
    f = Facts(high_risk_arrival=today - dt.timedelta(days=5))
    base = {
        "post_discharge_days": 14,
        "medium_risk_days": 14,
        "possible_contact_days": 14,
        "red_days": 14,
        "red_checkins": 0,
        "yellow_checkins": 7,
    }
    assert derive(f, SimpleNamespace(**base, high_risk_days=7), today)[0] == "red"
    assert derive(f, SimpleNamespace(**base, high_risk_days=4), today)[0] == "green"


def test_governing_set_by_the_fact_date():
    def rs(day, retro=False):
        return SimpleNamespace(effective_from=day, retroactive=retro)

    a, b, c = rs(dt.date(2020, 2, 1)), rs(dt.date(2020, 3, 1)), rs(dt.date(2020, 3, 10), True)
    assert governing([a, b], dt.date(2020, 2, 20), None) is a
    assert governing([a, b], dt.date(2020, 3, 2), None) is b
    assert governing([a, b, c], dt.date(2020, 2, 20), None) is c
    assert governing([a], dt.date(2020, 1, 5), None) is a
    default = object()
    assert governing([], dt.date(2020, 1, 5), default) is default
