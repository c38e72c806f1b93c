import datetime as dt

import pytest

from fangkong.core import clock
from fangkong.observation import actions, links
from fangkong.observation.models import AlertTask, CheckIn, ObservationPeriod, Referral, Room
from tests.conftest import GRID_A, ZHUJI
from tests.kit import bearer
from tests.observation.conftest import at, cid

pytestmark = pytest.mark.django_db
DAY0 = dt.date(2020, 2, 10)
API = "/api/v1/observation"


@pytest.fixture
def period(start, site):
    with clock.frozen(at(DAY0, 13)):
        return start(last_exposure=DAY0, room=Room.objects.get(site=site, number="101"))


def post(client, url, data, h):
    return client.post(url, data, content_type="application/json", **h)


def test_full_flow_through_the_api(client, make_user, make_person, site, city_hq):
    worker = make_user("grid_worker", GRID_A)
    h = bearer(worker)
    person = make_person("钱七")
    with clock.frozen(at(DAY0, 9)):
        r = post(
            client,
            f"{API}/periods",
            {"person_id": person.pk, "reason": "close_contact", "last_exposure": "2020-02-09"},
            h,
        )
        assert r.status_code == 201, r.content
        pk = r.json()["id"]
        assert r.json()["planned_end"] == "2020-02-23"
        r = post(client, f"{API}/periods/{pk}/exposures", {"day": "2020-02-10"}, h)
        assert r.json()["planned_end"] == "2020-02-24"
        room = Room.objects.get(site=site, number="201")
        hq = bearer(city_hq)  # the town/city arranges the site room
        r = post(client, f"{API}/periods/{pk}/placements", {"kind": "site", "room_id": room.pk}, hq)
        assert r.status_code == 201
        assert len(client.get(f"{API}/periods/{pk}/placements", **hq).json()) == 2
        assert client.get(f"{API}/periods/{pk}", **h).status_code == 404  # left the grid
        key = cid()
        body = {"client_id": key, "temperature": "36.7", "symptoms": []}
    # At the site, the period left the grid worker's area; the site doctor reports.
    hd = bearer(site.doctor)
    with clock.frozen(at(DAY0, 10)):
        r = post(client, f"{API}/periods/{pk}/checkins", body, hd)
        assert r.status_code == 201 and r.json()["reporter_kind"] == "staff"
        r = post(client, f"{API}/periods/{pk}/checkins", body, hd)
        assert r.status_code == 200
        r = post(
            client,
            f"{API}/periods/{pk}/checkins",
            {**body, "client_id": cid(), "temperature": "50"},
            hd,
        )
        assert r.status_code == 422 and "34.0" in r.text and "43.0" in r.text
        r = client.post(f"{API}/periods/{pk}/link", **hd)
        token = r.json()["token"]
        assert "<svg" in r.json()["qr_svg"]
        r = post(
            client, f"{API}/self/{token}/checkins", {"client_id": cid(), "temperature": 37.8}, {}
        )
        assert (
            r.status_code == 201 and r.json()["febrile"] and r.json()["period_status"] == "referred"
        )
        refs = client.get(f"{API}/referrals", **hd).json()
        assert refs["count"] == len(refs["items"]) == 1
    assert CheckIn.objects.filter(period_id=pk).count() == 2
    hq = bearer(city_hq)
    clinic = bearer(make_user("medical", "330602"))
    with clock.frozen(at(DAY0, 23)):
        r = post(client, f"{API}/sweep", {}, hq)
        assert r.json() == {"created": 0}
        r = post(
            client,
            f"{API}/referrals/{refs['items'][0]['id']}/resolve",
            {"outcome": "excluded"},
            clinic,
        )
        assert r.json()["status"] == "excluded"
    with clock.frozen(at(dt.date(2020, 2, 24), 9)):
        r = post(client, f"{API}/periods/{pk}/release", {}, hq)
        assert r.status_code == 200, r.content
        code = r.json()["certificate_code"]
        r = client.get(f"{API}/certificates/{code}")
        assert r.json()["valid"] and r.json()["name"].startswith("钱")
        r = post(
            client, f"{API}/self/{token}/checkins", {"client_id": cid(), "temperature": 36.5}, {}
        )
        assert r.status_code == 422 and "解除" in r.json()["detail"][0]["msg"]
    assert client.get(f"{API}/certificates/nope").status_code == 404


def test_rules_sites_lists_and_tasks(client, city_hq, period, site):
    h = bearer(city_hq)
    assert client.get(f"{API}/rules", **h).json()[0]["days"] == 14
    r = post(client, f"{API}/rules", {"effective_from": "2031-01-01", "days": 10}, h)
    assert r.status_code == 201 and r.json()["days"] == 10
    r = post(
        client, f"{API}/sites", {"name": "二号点", "address": "某路", "node_code": "330602"}, h
    )
    assert r.status_code == 201
    new = r.json()["id"]
    r = post(client, f"{API}/sites/{new}/rooms", {"numbers": ["1", "2"], "capacity": 2}, h)
    assert r.status_code == 201 and len(r.json()) == 2
    sites = {s["name"]: s for s in client.get(f"{API}/sites", **h).json()["items"]}
    assert sites["塔山宾馆"]["occupied"] == 1 and sites["塔山宾馆"]["free_rooms"] == 2
    assert sites["二号点"]["capacity"] == 4
    assert client.get(f"{API}/sites/{site.pk}/rooms", **h).status_code == 200
    with clock.frozen(at(DAY0, 22, 30)):
        counts = client.get(f"{API}/lists", **h).json()
        assert counts["not_reporting"] == 1 and counts["open"] == 1
        r = client.get(f"{API}/periods", {"list": "not_reporting", "site": site.pk}, **h)
        assert [p["id"] for p in r.json()["items"]] == [period.pk]
        assert client.get(f"{API}/periods", {"list": "bogus"}, **h).status_code == 404
        actions.sweep_missed()
    hd = bearer(site.doctor)
    page = client.get(f"{API}/tasks", {"mine": True}, **hd).json()
    assert page["count"] == 1
    tasks = page["items"]
    r = post(client, f"{API}/tasks/{tasks[0]['id']}/done", {"note": "phoned"}, hd)
    assert r.json()["status"] == "done"


def test_grid_worker_may_not_sweep_or_edit_rules(client, grid_worker):
    h = bearer(grid_worker)
    assert post(client, f"{API}/sweep", {}, h).status_code == 403
    assert post(client, f"{API}/rules", {"effective_from": "2031-01-01"}, h).status_code == 403


def test_self_check_in_link_errors(client, period, city_hq):
    token = links.make_token(period)
    actions.revoke_link(city_hq, period)
    with clock.frozen(at(DAY0, 19)):
        r = post(
            client, f"{API}/self/{token}/checkins", {"client_id": cid(), "temperature": 36.5}, {}
        )
        assert r.status_code == 410 and "作废" in r.json()["detail"]
        r = post(
            client, f"{API}/self/garbage/checkins", {"client_id": cid(), "temperature": 36.5}, {}
        )
        assert r.status_code == 404


def test_no_token_no_data(client, period):
    assert client.get(f"{API}/periods").status_code == 401
    assert client.get(f"{API}/periods/{period.pk}").status_code == 401


def test_another_jurisdiction_is_refused_on_every_endpoint(
    client, make_user, period, site, city_hq
):
    with clock.frozen(at(DAY0, 22, 30)):
        actions.sweep_missed()
        actions.check_in(period, client_id=cid(), temperature="38.5")
    task, referral = AlertTask.objects.get(), Referral.objects.get()
    outsider = make_user("county_hq", ZHUJI)
    h = bearer(outsider)
    pk = period.pk
    gets = [
        f"{API}/periods/{pk}",
        f"{API}/periods/{pk}/placements",
        f"{API}/periods/{pk}/checkins",
        f"{API}/sites/{site.pk}",
        f"{API}/sites/{site.pk}/rooms",
    ]
    for url in gets:
        assert client.get(url, **h).status_code == 404, url
    posts = {
        f"{API}/periods/{pk}/exposures": {"day": "2020-02-10"},
        f"{API}/periods/{pk}/placements": {"kind": "home"},
        f"{API}/periods/{pk}/checkins": {"client_id": cid(), "temperature": 36.5},
        f"{API}/periods/{pk}/release": {},
        f"{API}/periods/{pk}/end": {"status": "lost"},
        f"{API}/periods/{pk}/link": {},
        f"{API}/sites/{site.pk}/rooms": {"numbers": ["9"], "capacity": 1},
        f"{API}/tasks/{task.pk}/done": {},
        f"{API}/referrals/{referral.pk}/resolve": {"outcome": "excluded"},
        f"{API}/periods": {
            "person_id": period.person_id,
            "reason": "other",
            "last_exposure": "2020-02-10",
        },
        f"{API}/sites": {"name": "x", "address": "y", "node_code": "330602"},
    }
    for url, data in posts.items():
        assert post(client, url, data, h).status_code == 404, url
    assert client.delete(f"{API}/periods/{pk}/link", **h).status_code == 404
    assert client.get(f"{API}/periods", {"site": site.pk}, **h).status_code == 404
    assert client.get(f"{API}/periods", **h).json()["items"] == []
    assert client.get(f"{API}/tasks", **h).json() == {"items": [], "count": 0}
    assert client.get(f"{API}/referrals", **h).json() == {"items": [], "count": 0}
    assert client.get(f"{API}/sites", **h).json() == {"items": [], "count": 0}
    assert client.get(f"{API}/lists", **h).json()["open"] == 0
    assert ObservationPeriod.objects.get(pk=pk).status == "referred"


def test_readings_per_window_through_the_link_are_capped(client, period):
    """A leaked link cannot flood the period with readings (issue #16 item 6)."""
    from fangkong.observation.models import ObservationRules

    limit = ObservationRules.objects.order_by("-effective_from").first().link_readings_per_window
    token = links.make_token(period)
    url = f"{API}/self/{token}/checkins"
    with clock.frozen(at(DAY0 + dt.timedelta(days=1), 8)):
        first = cid()
        for n in range(limit):
            r = post(
                client, url, {"client_id": first if n == 0 else cid(), "temperature": 36.5}, {}
            )
            assert r.status_code == 201, r.content
        r = post(client, url, {"client_id": cid(), "temperature": 36.6}, {})
        assert r.status_code == 422 and "temperature" in r.text
        assert post(client, url, {"client_id": first, "temperature": 36.5}, {}).status_code == 200
    assert CheckIn.objects.filter(period=period, reported_by__isnull=True).count() == limit
    with clock.frozen(at(DAY0 + dt.timedelta(days=1), 18)):  # the evening window
        r = post(client, url, {"client_id": cid(), "temperature": 36.5}, {})
        assert r.status_code == 201
