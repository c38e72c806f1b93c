"""Issue #15, item 6: R15 exact; R16 as dated rule sets headquarters edits in a page and
the API; the default sets keep R15's ordering; one local case is not yellow."""

import datetime as dt

import pytest

from fangkong.analytics import risk
from fangkong.analytics.inputs import CaseRow
from fangkong.briefing import epi, rules
from fangkong.briefing.epi import Rated
from fangkong.briefing.models import RiskRules
from fangkong.core import clock
from tests.briefing.conftest import at

pytestmark = pytest.mark.django_db
DAY = dt.date(2020, 2, 20)


def test_the_seeded_default_sets_keep_r15_ordering():
    sets = list(RiskRules.objects.order_by("effective_from"))
    assert [s.effective_from for s in sets][:2] == [dt.date(2020, 2, 9), dt.date(2020, 2, 12)]
    assert sets[1].count_days == 7  # re-assessment on the last week's cases
    for s in sets:
        assert risk.ordering_violations(rules.five_colour_params(s)) == []
    # without the bands the published analytics defaults do break the ordering
    loose = rules.five_colour_params(sets[0])
    from dataclasses import replace

    assert risk.ordering_violations(replace(loose, medium_max=4, high_min=0))


def test_r15_exactly_as_published():
    def level(quiet, cumulative, clusters):
        return risk.county_risk_level(
            days_since_last_case=quiet, cumulative_confirmed=cumulative, clusters_in_window=clusters
        ).level.value

    assert level(None, 0, 0) == "low"
    assert level(14, 200, 5) == "low"  # no new confirmed case for 14 days
    assert level(13, 200, 5) == "high"
    assert level(0, 50, 3) == "medium"  # not above 50
    assert level(0, 51, 0) == "medium"  # no cluster in 14 days
    assert level(0, 51, 1) == "high"


def test_one_local_case_is_blue_under_the_default_set_and_the_set_is_dated():
    rated = [Rated("330602", "越城区", "county", "3306/330602/")]
    rows = [CaseRow(DAY, "3306/330602/330602001/")]
    params = rules.five_colour_params(RiskRules.in_force(DAY))
    (one,) = epi.risk_map(rows, [], rated, DAY, colour_params=params)
    assert one["colour"] == "blue" and one["risk"] == "medium"
    assert one["counted_days"] == 7


def test_headquarters_edits_the_rules_in_the_page(client, city_hq, make_user):
    from django.urls import reverse

    url = reverse("briefing:risk_rules")
    client.force_login(city_hq)
    with clock.frozen(at(DAY, 10)):
        page = client.get(url)
        assert page.status_code == 200 and "2020-02-12" in page.text
        data = {
            "effective_from": "2020-03-01",
            "weight_cumulative": "0.6",
            "weight_local_share": "0.1",
            "weight_clusters": "0.3",
            "cumulative_full": "40",
            "clusters_full": "3",
            "cut_yellow": "0.3",
            "cut_orange": "0.5",
            "cut_red": "0.8",
            "ease_one_days": "3",
            "ease_two_days": "7",
            "count_days": "7",
            "medium_max": "3",
            "high_min": "3",
            "note": "市指挥部 3月调整",
        }
        assert client.post(url, data).status_code == 302
        saved = RiskRules.objects.get(effective_from=dt.date(2020, 3, 1))
        assert float(saved.weight_cumulative) == 0.6 and saved.created_by == city_hq
        broken = client.post(
            url, {**data, "effective_from": "2020-03-02", "medium_max": "4", "high_min": "1"}
        )
        assert broken.status_code == 422 and "has-error" in broken.text
        assert not RiskRules.objects.filter(effective_from=dt.date(2020, 3, 2)).exists()
    grid = make_user("grid_worker", "330602001004G01")
    client.force_login(grid)
    assert client.get(url).status_code == 403


def test_api_lists_and_saves_and_refuses(client, auth, city_hq, make_user):
    hq = auth(city_hq)
    r = client.get("/api/v1/briefing/risk-rules", **hq)
    assert r.status_code == 200 and r.json()["count"] >= 2 and len(r.json()["items"]) >= 2
    url = "/api/v1/briefing/risk-rules"
    bad = {"effective_from": "2020-03-05", "medium_max": 4, "high_min": 0}
    r = client.post(url, bad, content_type="application/json", **hq)
    assert r.status_code == 422 and "high_min" in r.text
    good = {"effective_from": "2020-03-05", "cut_yellow": "0.3"}
    r = client.post(url, good, content_type="application/json", **hq)
    assert r.status_code == 201 and float(r.json()["cut_yellow"]) == 0.3
    cdc = auth(make_user("cdc", "330602"))
    r = client.post(url, {"effective_from": "2020-03-06"}, content_type="application/json", **cdc)
    assert r.status_code == 403


def test_every_rule_set_is_paged_with_the_total(client, city_hq, monkeypatch):
    """The page showed the last 20 rule sets and the briefing the last 5: both page
    every one with the total."""
    from fangkong.briefing.models import BriefingRules
    from fangkong.core import listing as lists
    from tests.core.test_list_pages import briefing_rules, risk_rules, total

    monkeypatch.setattr(lists, "PER_PAGE", 2)
    for i in range(5):
        risk_rules(city_hq, i)
        briefing_rules(city_hq, i)
    client.force_login(city_hq)
    stored = RiskRules.objects.count()
    html = client.get("/briefing/risk-rules/").content.decode()
    assert total(html) == stored and "page=2" in html
    last = client.get("/briefing/risk-rules/", {"page": -(-stored // 2)}).content.decode()
    assert "2019-06-01" in last
    day = dt.date(2020, 2, 10).isoformat()
    page = client.get(f"/briefing/{city_hq.node.code}/{day}/", {"rpage": 2})
    body = page.content.decode()
    rules_at = body.index('id="briefing-rules"')
    assert 'id="briefing-rules" open' in body
    assert total(body, rules_at) == BriefingRules.objects.count() and "rpage=3" in body
