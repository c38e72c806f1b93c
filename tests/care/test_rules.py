"""Dated care rules and categories: added by city headquarters, applied by the date of
the report; a rule set in force is not rewritten."""

import datetime as dt

import pytest

from fangkong.care import actions
from fangkong.care.models import Category
from fangkong.core import clock
from tests.care.conftest import T0, reported

pytestmark = pytest.mark.django_db
API = "/api/v1/care"


def test_city_headquarters_add_a_rule_set_applied_from_its_day(client, city_hq, staff):
    client.force_login(city_hq)
    tomorrow = (T0 + dt.timedelta(days=1)).date()
    values = {"solve_days": 2, "photo_max_kb": 2048, "photos_per_deed": 4, "reports_per_hour": 5}
    with clock.frozen(T0):
        past = client.post("/care/rules/", {"effective_from": "2020-02-01", **values})
        assert past.status_code == 200 and "effective_from" in past.context["form"].errors
        r = client.post("/care/rules/", {"effective_from": tomorrow.isoformat(), **values})
        assert r.status_code == 302
        again = client.post("/care/rules/", {"effective_from": tomorrow.isoformat(), **values})
        assert "effective_from" in again.context["form"].errors
        assert actions.rules_on().solve_days == 3
    with clock.frozen(T0 + dt.timedelta(days=1)):
        assert client.get("/care/rules/").context["current"].solve_days == 2
        d = reported(staff, "other", "家里水管坏了")
        assert d.deadline == clock.now() + dt.timedelta(days=2)


def test_only_city_headquarters_change_rules_and_categories(client, auth, county_hq, city_hq):
    body = {
        "effective_from": "2099-01-01",
        "solve_days": 2,
        "photo_max_kb": 2048,
        "photos_per_deed": 4,
        "reports_per_hour": 5,
    }
    h = auth(county_hq)
    r = client.post(f"{API}/rules", body, content_type="application/json", **h)
    assert r.status_code == 403
    cat = {"code": "housing", "name": "住房困难"}
    assert (
        client.post(f"{API}/categories", cat, content_type="application/json", **h).status_code
        == 403
    )
    hc = auth(city_hq)
    r = client.post(f"{API}/rules", body, content_type="application/json", **hc)
    assert r.status_code == 201 and r.json()["solve_days"] == 2
    assert client.get(f"{API}/rules", **h).json()["items"][0]["effective_from"] == "2099-01-01"
    r = client.post(f"{API}/categories", cat, content_type="application/json", **hc)
    assert r.status_code == 200 and Category.objects.get(code="housing").active
    retired = {**cat, "active": False}
    client.post(f"{API}/categories", retired, content_type="application/json", **hc)
    codes = [c["code"] for c in client.get(f"{API}/categories", **h).json()]
    assert "housing" not in codes and "childcare" in codes
    client.force_login(county_hq)
    assert client.post("/care/rules/", {"verb": "category", **cat}).status_code == 403
