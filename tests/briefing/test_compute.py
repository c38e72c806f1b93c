import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from fangkong.briefing import actions
from fangkong.briefing.compute import compute
from fangkong.briefing.models import Briefing
from fangkong.core import clock
from tests.briefing.conftest import DAY0, at
from tests.conftest import GRID_Z

pytestmark = pytest.mark.django_db


def test_briefings_over_a_replayed_clock(add_case, node, city_hq):
    """Cases arrive day by day; each day's briefing is computed after its 08:00 cut-off
    and yesterday's stays as it was."""
    city = node("3306")
    for i in range(5):
        day = DAY0 + dt.timedelta(days=i)
        with clock.frozen(at(day - dt.timedelta(days=1), 15)):
            for _ in range(i + 1):
                add_case(at(day - dt.timedelta(days=1), 14))
        with clock.frozen(at(day, 9)):
            compute(city, day)
    with clock.frozen(at(DAY0 + dt.timedelta(days=3), 7)):
        add_case(
            at(DAY0 + dt.timedelta(days=3), 7), node_code=GRID_Z
        )  # before the cut-off of day 3
    first = Briefing.objects.get(node=city, day=DAY0)
    assert first.data["cases"]["confirmed"] == {"new": 1, "cumulative": 1}
    last = Briefing.objects.get(node=city, day=DAY0 + dt.timedelta(days=4))
    d = last.data
    assert d["cases"]["confirmed"]["new"] == 5
    assert d["cases"]["confirmed"]["cumulative"] == 15
    assert d["change"]["confirmed"] == {"today": 15, "yesterday": 10, "delta": 5}
    assert d["curve"]["local"][-5:] == [2, 3, 4, 5, 0]  # report days: the eve of each briefing
    assert set(d["sections"]) >= {
        "cases",
        "curve",
        "epi",
        "risk",
        "screening",
        "observation",
        "command",
    }
    assert d["response_level"] == "I"
    from django.apps import apps

    if apps.is_installed("fangkong.supplies"):  # its summary joins the briefing when present
        assert "supplies" in d["sections"] and "short" in d["supplies"]
    risk = {r["code"]: r for r in d["risk"]}
    assert risk["330602"]["risk"] == "medium" and risk["330602"]["cumulative"] == 15
    assert risk["330602"]["colour"] != "green"
    assert risk["330624"]["colour"] == "green" and risk["330624"]["risk"] == "low"
    # The case added after day 3's briefing did not change it (stored, not recomputed).
    assert (
        Briefing.objects.get(node=city, day=DAY0 + dt.timedelta(days=3)).data["cases"]["confirmed"][
            "cumulative"
        ]
        == 10
    )


def test_a_county_briefing_counts_only_its_subtree(add_case, node):
    with clock.frozen(at(DAY0, 9)):
        add_case(at(DAY0, 7))
        add_case(at(DAY0, 7), node_code=GRID_Z)
        b = compute(node("330681"), DAY0)
    assert b.data["cases"]["confirmed"]["cumulative"] == 1
    assert [r["level"] for r in b.data["risk"]][0] == "county"
    assert all(r["code"].startswith("330681") for r in b.data["risk"])


def test_asymptomatic_and_excluded_are_not_counted_as_confirmed(add_case, node):
    with clock.frozen(at(DAY0, 9)):
        add_case(at(DAY0, 7))
        lab = add_case(at(DAY0, 6), status="asymptomatic")
        lab.confirmed_at = at(DAY0, 6)  # lab-confirmed infection without symptoms
        lab.save()
        gone = add_case(at(DAY0, 5))
        gone.status = "excluded"
        gone.save()
        b = compute(node("3306"), DAY0)
    cases = b.data["cases"]
    assert cases["confirmed"] == {"new": 1, "cumulative": 1}
    assert cases["asymptomatic"]["cumulative"] == 1


def test_request_briefing_runs_in_the_background_and_refuses_bad_days(
    city_hq, node, make_user, django_capture_on_commit_callbacks
):
    city = node("3306")
    with clock.frozen(at(DAY0, 7)), pytest.raises(ValidationError) as e:
        actions.request_briefing(city_hq, city, DAY0)
    assert "day" in e.value.message_dict and "cut-off" in e.value.message_dict["day"][0]
    with clock.frozen(at(DAY0, 9)), django_capture_on_commit_callbacks(execute=True):
        job = actions.request_briefing(city_hq, city, DAY0)
    job.refresh_from_db()
    assert job.status == "done"
    assert Briefing.objects.get(node=city, day=DAY0).status == "done"
    with clock.frozen(at(DAY0 + dt.timedelta(days=1), 9)), pytest.raises(ValidationError) as e:
        actions.request_briefing(city_hq, city, DAY0)
    assert "kept" in e.value.message_dict["day"][0]
    with clock.frozen(at(DAY0, 9)), pytest.raises(PermissionDenied):
        actions.request_briefing(make_user("county_hq", "330681"), city, DAY0)


def test_brief_command(node, capsys):
    with clock.frozen(at(DAY0, 9)):
        call_command("brief", "--date", str(DAY0), "--node", "330602")
        call_command("brief", "--date", str(DAY0))
        with pytest.raises(CommandError, match="--date"):
            call_command("brief", "--date", "10/02/2020")
        with pytest.raises(CommandError, match="--node"):
            call_command("brief", "--date", str(DAY0), "--node", "999")
        with pytest.raises(CommandError, match="cut-off"):
            call_command("brief", "--date", str(DAY0 + dt.timedelta(days=1)))
    assert Briefing.objects.filter(day=DAY0).count() == 7  # the city and six counties


def test_rules_are_dated_configuration(city_hq, make_user):
    r = actions.save_rules(
        city_hq, {"effective_from": DAY0, "cutoff": dt.time(20, 0), "history_days": 30}
    )
    from fangkong.briefing.compute import cutoff_for

    assert cutoff_for(DAY0).hour == 20 and cutoff_for(DAY0 - dt.timedelta(days=1)).hour == 8
    assert r.history_days == 30
    with pytest.raises(ValidationError) as e:
        actions.save_rules(city_hq, {"effective_from": DAY0, "si_mean": 0.9})
    assert "si_mean" in e.value.message_dict
    with pytest.raises(PermissionDenied):
        actions.save_rules(make_user("county_hq", "330602"), {"effective_from": DAY0})


def test_meeting_agenda_is_filled_from_the_briefing(add_case, node, city_hq):
    from fangkong.command.actions import open_meeting

    with clock.frozen(at(DAY0, 9)):
        add_case(at(DAY0, 7))
        compute(node("3306"), DAY0)
        m = open_meeting(city_hq, node("3306"), DAY0)
    assert any("1" in item and ("confirmed" in item or "确诊" in item) for item in m.agenda)


def test_curve_by_onset_and_report_date_split_local_and_imported(add_case, node):
    """The clinical case records onset and source: the curve is by onset, local vs
    imported, with the report date as the second series; "unknown" counts as local."""
    d0 = DAY0
    with clock.frozen(at(d0, 9)):
        add_case(
            at(d0 - dt.timedelta(days=1), 10),
            onset_date=d0 - dt.timedelta(days=4),
            source="outside_province",
            source_note="湖北省武汉市",
        )
        add_case(
            at(d0 - dt.timedelta(days=1), 11), onset_date=d0 - dt.timedelta(days=3), source="local"
        )
        add_case(
            at(d0 - dt.timedelta(days=2), 11),
            onset_date=d0 - dt.timedelta(days=5),
            source="other_city",
        )
        add_case(at(d0 - dt.timedelta(days=1), 12))  # source unknown, no onset
        b = compute(node("330602"), d0)
    d = b.data
    assert d["cases"]["sources"] == {
        "outside_province": 1,
        "local": 1,
        "other_city": 1,
        "unknown": 1,
    }
    assert d["cases"]["imported"] == 2 and d["cases"]["onset_missing"] == 1
    cv = d["curve"]
    assert cv["basis"] == "onset"
    assert cv["onset_imported"][-6:] == [1, 1, 0, 0, 0, 0]
    assert cv["onset_local"][-6:] == [0, 0, 1, 0, 0, 0]
    assert cv["local"][-3:] == [0, 2, 0] and cv["imported"][-3:] == [1, 1, 0]  # by report date
    assert cv["delay_median"] == 3 and cv["imputed"] == 1
    assert cv["rt_local"][-6:] == [0, 1, 1, 0, 0, 0]  # unknown onset: 3 days before report
    risk = {r["code"]: r for r in d["risk"]}
    assert risk["330602"]["cumulative"] == 4 and risk["330602"]["local"] == 2
