"""The API: movements, a request's whole chain, prices with alerts, bad input as 422,
and every record endpoint a 404 for a caller of another county."""

import pytest

from fangkong.core import clock
from fangkong.supplies.actions import ledger
from fangkong.supplies.models import Market, PriceBaseline
from tests.kit import bearer as auth

pytestmark = pytest.mark.django_db
API = "/api/v1/supplies"


def post(client, url, data, h):
    return client.post(url, data, content_type="application/json", **h)


def test_movements_request_chain_and_stock(
    client, officer, hospital_user, county_wh, hospital_wh, n95
):
    h = auth(officer)
    r = post(
        client,
        f"{API}/warehouses/{county_wh.pk}/movements",
        {"kind": "receipt", "item_id": n95.pk, "quantity": 50, "batch": "A"},
        h,
    )
    assert r.status_code == 201, r.content
    r = post(
        client,
        f"{API}/warehouses/{county_wh.pk}/movements",
        {"kind": "issue", "item_id": n95.pk, "quantity": 51},
        h,
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "quantity"]
    r = post(
        client,
        f"{API}/warehouses/{county_wh.pk}/movements",
        {"kind": "receipt", "item_id": n95.pk, "quantity": -3},
        h,
    )
    assert r.status_code == 422
    hh = auth(hospital_user)
    r = post(
        client,
        f"{API}/requests",
        {
            "requester_kind": "medical",
            "warehouse_id": county_wh.pk,
            "destination_id": hospital_wh.pk,
            "item_id": n95.pk,
            "quantity": 30,
        },
        hh,
    )
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    assert post(client, f"{API}/requests/{rid}/approve", {"quantity": 20}, hh).status_code == 403
    assert (
        post(client, f"{API}/requests/{rid}/approve", {"quantity": 20}, h).json()[
            "approved_quantity"
        ]
        == 20
    )
    assert post(client, f"{API}/requests/{rid}/ship", {}, h).json()["status"] == "shipped"
    r = post(client, f"{API}/requests/{rid}/receive", {}, hh)
    assert r.json()["status"] == "received"
    stock = {
        (s["warehouse_id"], s["item_id"]): s["quantity"]
        for s in client.get(f"{API}/stock", **h).json()
    }
    assert stock == {(county_wh.pk, n95.pk): 30, (hospital_wh.pk, n95.pk): 20}
    assert client.get(f"{API}/requests/{rid}", **hh).json()["received_quantity"] == 20


def test_prices_alert_above_baseline_and_absurd_prices_are_refused(client, officer, items, node):
    rice = items["大米"]
    market = Market.objects.create(name="塔山农贸市场", kind="market", node=node("330602001"))
    h = auth(officer)
    r = client.put(
        f"{API}/baselines",
        {"item_id": rice.pk, "node_code": "330602", "price": "5.00"},
        content_type="application/json",
        **h,
    )
    assert r.status_code == 200 and PriceBaseline.objects.get().price == 5
    today = clock.today().isoformat()
    r = post(
        client,
        f"{API}/prices",
        {"market_id": market.pk, "item_id": rice.pk, "day": today, "price": "5.40"},
        h,
    )
    assert r.status_code == 201 and r.json()["alert"] is False and r.json()["baseline"] == "5.00"
    r = post(
        client,
        f"{API}/prices",
        {"market_id": market.pk, "item_id": rice.pk, "day": today, "price": "5.60"},
        h,
    )
    assert r.json()["alert"] is True
    for bad in ("0", "-1", "90000", "abc"):
        r = post(
            client,
            f"{API}/prices",
            {"market_id": market.pk, "item_id": rice.pk, "day": today, "price": bad},
            h,
        )
        assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "price"], bad
    assert client.get(f"{API}/prices?alerts=true", **h).json()["count"] == 1


def test_another_county_may_not_request_donate_or_price_for_a_yuecheng_record(
    client, officer, zhuji_officer, county_wh, n95, node
):
    """The routes naming a record in their path: tests/test_scoping_every_route.py."""
    ledger.receive(officer, county_wh, n95, 10, source="purchase")
    PriceBaseline.objects.create(item=n95, node=node("330602"), price="1.00")
    market = Market.objects.create(name="塔山农贸市场", kind="market", node=node("330602001"))
    h = auth(zhuji_officer)
    assert (
        post(
            client,
            f"{API}/requests",
            {
                "requester_kind": "medical",
                "warehouse_id": county_wh.pk,
                "item_id": n95.pk,
                "quantity": 1,
            },
            h,
        ).status_code
        == 404
    )
    assert (
        post(
            client,
            f"{API}/donations",
            {
                "warehouse_id": county_wh.pk,
                "donor": "x",
                "lines": [{"kind": "receipt", "item_id": n95.pk, "quantity": 1}],
            },
            h,
        ).status_code
        == 404
    )
    assert (
        post(
            client,
            f"{API}/prices",
            {
                "market_id": market.pk,
                "item_id": n95.pk,
                "day": clock.today().isoformat(),
                "price": "3",
            },
            h,
        ).status_code
        == 404
    )
    r = client.put(
        f"{API}/baselines",
        {"item_id": n95.pk, "node_code": "330602", "price": "1"},
        content_type="application/json",
        **h,
    )
    assert r.status_code == 404
    for lst in (
        "warehouses",
        "stock",
        "requests",
        "donations",
        "markets",
        "prices",
        "baselines",
        "days-of-supply",
        "days-of-supply?scope=warehouse",
    ):
        body = client.get(f"{API}/{lst}", **h).json()
        if isinstance(body, dict):  # a paged list (core.listing.CountedPagination)
            assert body == {"items": [], "count": 0}, lst
        else:
            assert body == [], lst


def test_warehouses_and_markets_are_created_in_the_own_area_only(
    client, officer, zhuji_officer, hospital_user
):
    h = auth(officer)
    body = {"name": "塔山街道物资点", "kind": "site", "node_code": "330602001"}
    r = post(client, f"{API}/warehouses", body, h)
    assert r.status_code == 201 and r.json()["node_code"] == "330602001"
    assert post(client, f"{API}/warehouses", body, h).status_code == 422  # same name twice
    r = post(client, f"{API}/warehouses", {**body, "name": "x", "kind": "palace"}, h)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "kind"]
    assert (
        post(
            client,
            f"{API}/markets",
            {"name": "塔山农贸市场", "kind": "market", "node_code": "330602001"},
            h,
        ).status_code
        == 201
    )
    hz = auth(zhuji_officer)
    assert post(client, f"{API}/warehouses", {**body, "name": "y"}, hz).status_code == 404
    assert (
        post(
            client, f"{API}/markets", {"name": "z", "kind": "market", "node_code": "330602001"}, hz
        ).status_code
        == 404
    )
    assert (
        post(client, f"{API}/warehouses", {**body, "name": "w"}, auth(hospital_user)).status_code
        == 403
    )
