"""Offline lists without silent truncation (#17 item 4): the gate key's gates (were cut
at 500), the village's phones and orphan visits, and the dated rule sets (were the last
50) are counted and paged."""

import datetime as dt

import pytest

from fangkong.core import listing as lists
from fangkong.offline import api as offline_api
from fangkong.offline.models import OfflineRules
from tests.conftest import GRID_A
from tests.core.test_list_pages import gate_venue, orphan, phone_status, total

pytestmark = pytest.mark.django_db


def test_the_gate_key_counts_every_gate_and_the_rest_page(client, make_user, monkeypatch):
    monkeypatch.setattr(offline_api, "GATE_VENUES", 2)
    worker = make_user("grid_worker", GRID_A)
    for i in range(5):
        gate_venue(worker, i)
    client.force_login(worker)
    key = client.get("/api/v1/offline/gate-key").json()
    assert key["venue_count"] == 5 and key["venues_per_page"] == 2 and len(key["venues"]) == 2
    seen = [v["name"] for v in key["venues"]]
    for page in (2, 3):
        more = client.get("/api/v1/offline/venues", {"page_size": 2, "page": page}).json()
        assert more["count"] == 5
        seen += [v["name"] for v in more["items"]]
    assert seen == sorted(f"卡口{i}" for i in range(5))


def test_the_status_page_pages_phones_and_orphans_with_totals(client, make_user, monkeypatch):
    monkeypatch.setattr(lists, "PER_PAGE", 2)
    staff = make_user("village_staff", GRID_A[:12])
    for i in range(5):
        phone_status(staff, i)
        orphan(staff, i)
    client.force_login(staff)
    html = client.get("/offline/status/").content.decode()
    assert total(html) == 5 and "page=2" in html and "opage=2" in html
    assert total(html, html.index('id="orphans"')) == 5
    last = client.get("/offline/status/", {"opage": 3}).content.decode()
    assert "离线0" in last and "离线4" not in last  # the oldest on the last page


def test_every_rule_set_is_paged(client, make_user, monkeypatch):
    monkeypatch.setattr(lists, "PER_PAGE", 2)
    city = make_user("city_hq", "3306")
    for i in range(5):
        OfflineRules.objects.create(effective_from=dt.date(2020, 3, 1 + i), note=f"规则{i}")
    stored = OfflineRules.objects.count()
    client.force_login(city)
    html = client.get("/offline/rules/").content.decode()
    assert total(html) == stored and "page=2" in html
    api = client.get("/api/v1/offline/rules", {"page_size": 2, "page": 3}).json()
    assert api["count"] == stored and len(api["items"]) == stored - 4
