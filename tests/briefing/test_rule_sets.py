"""Briefing rules are dated configuration: a set in force is history (the briefings
computed by it keep it) and is never rewritten; a new set from a later date replaces
it, and a set not yet in force may be amended. Refused naming `effective_from`, through
the action, the page and the API."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fangkong.briefing import actions
from fangkong.briefing.models import BriefingRules
from fangkong.core import clock
from tests.briefing.conftest import DAY0, at
from tests.kit import bearer

pytestmark = pytest.mark.django_db
IN_FORCE = "该日期已生效的规则不能改写"  # the kernel's refusal (DatedRuleSet.draft)


@pytest.fixture
def in_force(city_hq):
    """A set from DAY0 - 1, in force on DAY0 (the clock is frozen at DAY0 09:00)."""
    with clock.frozen(at(DAY0)):
        yield actions.save_rules(
            city_hq, {"effective_from": DAY0 - dt.timedelta(days=1), "rt_window": 7}
        )


def test_a_set_in_force_is_not_rewritten_but_a_future_one_is_amended(city_hq, in_force):
    with clock.frozen(at(DAY0)):
        with pytest.raises(ValidationError) as refused:
            actions.save_rules(city_hq, {"effective_from": in_force.effective_from, "rt_window": 9})
        assert list(refused.value.message_dict) == ["effective_from"]
        tomorrow = DAY0 + dt.timedelta(days=1)
        later = actions.save_rules(city_hq, {"effective_from": tomorrow, "rt_window": 9})
        amended = actions.save_rules(city_hq, {"effective_from": tomorrow, "rt_window": 10})
    in_force.refresh_from_db()
    assert in_force.rt_window == 7 and amended.pk == later.pk and amended.rt_window == 10
    assert amended.created_by == city_hq
    assert BriefingRules.in_force(DAY0).pk == in_force.pk
    assert BriefingRules.in_force(tomorrow).pk == amended.pk


def test_the_page_offers_tomorrow_and_names_the_field_of_a_set_in_force(
    client, city_hq, in_force, make_user
):
    client.force_login(city_hq)
    url = reverse("briefing:rules")
    with clock.frozen(at(DAY0)):
        page = client.get(url).content.decode()
        assert 'value="2020-02-11"' in page and "2020-02-09" in page  # tomorrow; the set
        form = {
            "effective_from": "2020-02-09",
            "cutoff": "08:00",
            "history_days": 60,
            "rt_window": 9,
            "si_mean": "6.3",
            "si_sd": "4.2",
            "growth_days": 14,
            "forecast_days": 14,
            "rt_min_cases": 12,
            "rt_max_width": "2.00",
        }
        refused = client.post(url, form)
        assert refused.status_code == 422
        assert refused.context["form"].errors["effective_from"] == [IN_FORCE]
        saved = client.post(url, {**form, "effective_from": "2020-02-11"})
        assert saved.status_code == 302
    in_force.refresh_from_db()
    assert in_force.rt_window == 7
    assert BriefingRules.objects.get(effective_from=dt.date(2020, 2, 11)).rt_window == 9
    client.force_login(make_user("county_hq", "330602"))  # a reader: the list, no form
    with clock.frozen(at(DAY0)):
        page = client.get(url)
        assert page.status_code == 200 and "<form" not in page.content.decode().split("<h1>")[1]
        assert client.post(url, form).status_code == 403


def test_the_api_refuses_a_set_in_force_naming_the_field(client, city_hq, in_force):
    headers = bearer(city_hq)
    with clock.frozen(at(DAY0)):
        body = {"effective_from": "2020-02-09", "rt_window": 9}
        r = client.post("/api/v1/briefing/rules", body, content_type="application/json", **headers)
        assert r.status_code == 422, r.content
        assert r.json()["detail"] == [{"loc": ["body", "effective_from"], "msg": IN_FORCE}]
        body = {"effective_from": "2020-02-11", "rt_window": 9}
        r = client.post("/api/v1/briefing/rules", body, content_type="application/json", **headers)
        assert r.status_code == 201 and r.json()["effective_from"] == "2020-02-11"
    in_force.refresh_from_db()
    assert in_force.rt_window == 7


RISK_FORM = {
    "weight_cumulative": "0.4",
    "weight_local_share": "0.3",
    "weight_clusters": "0.3",
    "cumulative_full": "50",
    "clusters_full": "3",
    "cut_yellow": "0.25",
    "cut_orange": "0.5",
    "cut_red": "0.75",
    "ease_one_days": "3",
    "ease_two_days": "7",
    "count_days": "7",
    "medium_max": "3",
    "high_min": "3",
    "note": "",
}


def test_a_five_colour_set_in_force_is_not_rewritten_action_page_and_api(client, city_hq):
    """Issue #22: `save_risk_rules` rewrote a set in force (the stored maps were rated by
    it); refused under `effective_from` as the briefing rules are, a future set amended."""
    from fangkong.briefing.models import RiskRules

    seeded = RiskRules.objects.get(effective_from=dt.date(2020, 2, 9))  # in force on DAY0
    cut = seeded.cut_yellow
    with clock.frozen(at(DAY0)):
        with pytest.raises(ValidationError) as refused:
            actions.save_risk_rules(city_hq, {"effective_from": seeded.effective_from})
        assert list(refused.value.message_dict) == ["effective_from"]
        client.force_login(city_hq)
        page = client.post(
            reverse("briefing:risk_rules"), {**RISK_FORM, "effective_from": "2020-02-09"}
        )
        assert page.status_code == 422
        assert page.context["form"].errors["effective_from"] == [IN_FORCE]
        url = "/api/v1/briefing/risk-rules"
        body = {"effective_from": "2020-02-09", "cut_yellow": "0.3"}
        r = client.post(url, body, content_type="application/json", **bearer(city_hq))
        assert r.status_code == 422, r.content
        assert r.json()["detail"] == [{"loc": ["body", "effective_from"], "msg": IN_FORCE}]
        tomorrow = DAY0 + dt.timedelta(days=1)
        later = actions.save_risk_rules(city_hq, {"effective_from": tomorrow, "cut_yellow": 0.3})
        amended = actions.save_risk_rules(city_hq, {"effective_from": tomorrow, "cut_yellow": 0.2})
    seeded.refresh_from_db()
    assert seeded.cut_yellow == cut
    assert amended.pk == later.pk and float(amended.cut_yellow) == 0.2
    assert amended.created_by == city_hq


def test_the_admin_shows_a_set_in_force_but_never_rewrites_or_deletes_it(
    client, city_hq, in_force, make_user
):
    """Django's admin is a second way in: a set in force is read-only there too, while a
    set not yet in force can still be amended."""
    admin = make_user("sysadmin", "3306", is_superuser=True, is_staff=True)
    client.force_login(admin)
    with clock.frozen(at(DAY0)):
        future = actions.save_rules(
            city_hq, {"effective_from": DAY0 + dt.timedelta(days=1), "rt_window": 9}
        )
        url = f"/admin/briefing/briefingrules/{in_force.pk}/change/"
        page = client.get(url)
        assert page.status_code == 200 and 'name="_save"' not in page.text  # shown, read-only
        form = {"effective_from": str(in_force.effective_from), "rt_window": "12"}
        assert client.post(url, form).status_code == 403
        assert (
            client.post(
                f"/admin/briefing/briefingrules/{in_force.pk}/delete/", {"post": "yes"}
            ).status_code
            == 403
        )
        future_page = client.get(f"/admin/briefing/briefingrules/{future.pk}/change/")
        assert 'name="_save"' in future_page.text
    in_force.refresh_from_db()
    assert in_force.rt_window == 7
