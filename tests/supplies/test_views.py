"""Pages: a hospital requests, the county approves (by priority) and ships, the hospital
confirms receipt; every page and post of a record is a 404 for another county."""

import pytest
from django.urls import reverse

from fangkong.supplies.actions import ledger, prices, requests
from fangkong.supplies.models import Balance, Market, SupplyRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def stocked(officer, county_wh, n95):
    ledger.receive(officer, county_wh, n95, 100, source="purchase", batch_code="P1")
    return county_wh


def test_request_approval_shipment_and_receipt_through_the_pages(
    client, officer, hospital_user, stocked, hospital_wh, n95
):
    client.force_login(hospital_user)
    r = client.post(
        reverse("supplies:request_new"),
        {
            "requester_kind": "medical",
            "requester_name": "塔山医院",
            "warehouse": stocked.pk,
            "destination": "",
            "item": n95.pk,
            "quantity": 60,
            "urgency": "urgent",
        },
    )
    assert r.status_code == 302, r.content.decode()[-3000:]
    req = SupplyRequest.objects.get()
    assert r.status_code == 302 and req.path == hospital_user.node.path
    client.force_login(officer)
    page = client.get(reverse("supplies:warehouse", args=[stocked.pk]))
    assert "塔山医院" in page.content.decode()
    client.post(
        reverse("supplies:warehouse_action", args=[stocked.pk, "allocate"]), {"item": n95.pk}
    )
    req.refresh_from_db()
    assert req.status == "approved" and req.approved_quantity == 60
    client.post(reverse("supplies:request_action", args=[req.pk, "ship"]))
    client.force_login(hospital_user)
    client.post(reverse("supplies:request_action", args=[req.pk, "receive"]), {"quantity": 60})
    req.refresh_from_db()
    assert req.status == "received" and req.received_quantity == 60
    body = client.get(reverse("supplies:request", args=[req.pk])).content.decode()
    assert "60" in body
    assert Balance.objects.get(warehouse=stocked).quantity == 40


def test_issuing_too_much_on_the_page_names_the_field(client, officer, stocked, n95):
    client.force_login(officer)
    r = client.post(
        reverse("supplies:warehouse_action", args=[stocked.pk, "issue"]),
        {"issue-item": n95.pk, "issue-quantity": 101},
        follow=True,
    )
    assert "quantity: Only 100" in r.content.decode() or "quantity" in r.content.decode()
    assert Balance.objects.get(warehouse=stocked).quantity == 100


def test_pages_render(client, officer, stocked):
    client.force_login(officer)
    for name in ("index", "requests", "request_new", "donations", "days", "prices", "excel"):
        assert client.get(reverse(f"supplies:{name}")).status_code == 200, name
    for kind in ("stock", "requests", "prices"):
        r = client.get(reverse("supplies:export", args=[kind]))
        assert r.status_code == 200 and r.content[:2] == b"PK"


def test_another_county_lists_and_exports_show_nothing(
    client, officer, zhuji_officer, stocked, hospital_user, n95, node
):
    """The pages naming a record in their path: tests/test_scoping_every_route.py."""
    requests.submit_request(
        hospital_user,
        requester_node=hospital_user.node,
        requester_kind="medical",
        requester_name="塔山医院",
        warehouse=stocked,
        item=n95,
        quantity=5,
    )
    client.force_login(zhuji_officer)
    # Lists and exports show nothing of Yuecheng.
    assert "越城区物资储备库" not in client.get(reverse("supplies:index")).content.decode()
    assert "塔山医院" not in client.get(reverse("supplies:requests")).content.decode()
    market = Market.objects.create(name="塔山农贸市场", kind="market", node=node("330602001"))
    prices.report_price(
        officer, market, n95, __import__("fangkong.core.clock", fromlist=["x"]).today(), "3.00"
    )
    assert "塔山农贸市场" not in client.get(reverse("supplies:prices")).content.decode()
    assert client.get(reverse("supplies:price_series"), {"item": n95.pk}).json()["price"] == []
