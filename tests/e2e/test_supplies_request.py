"""A hospital asks for protective suits on a phone, the county supplies officer
approves and ships, the hospital confirms receipt; both see the whole chain."""

import pytest
from django.urls import reverse

from fangkong.core.querysets import system_actor
from tests.conftest import TASHAN, YUECHENG
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_hospital_request_to_approval_and_receipt(live_server, browser, phone, make_user, node):
    from fangkong.supplies.actions import ledger
    from fangkong.supplies.models import Balance, Item, SupplyRequest, Warehouse
    from tests.supplies.conftest import ensure_catalogue

    ensure_catalogue()
    system = system_actor()
    officer = make_user("supplies", YUECHENG, username="officer")
    make_user("medical", TASHAN, username="hospital")
    county = Warehouse.objects.create(name="越城区物资储备库", kind="county", node=node(YUECHENG))
    store = Warehouse.objects.create(name="塔山医院库房", kind="hospital", node=node(TASHAN))
    suit = Item.objects.get(standard="GB 19082")
    ledger.receive(system, county, suit, 50, source="purchase", batch_code="S1")
    base = live_server.url

    # The hospital asks, on a phone.
    sign_in(phone, base, "hospital")
    phone.goto(base + reverse("supplies:request_new"))
    phone.select_option("#id_requester_kind", "medical")
    phone.fill("#id_requester_name", "塔山医院")
    phone.select_option("#id_warehouse", str(county.pk))
    phone.select_option("#id_destination", str(store.pk))
    phone.select_option("#id_item", str(suit.pk))
    phone.fill("#id_quantity", "30")
    phone.select_option("#id_urgency", "critical")
    phone.click("#request-form button")
    phone.wait_for_selector("#chain")
    req = SupplyRequest.objects.get()
    assert req.status == "submitted"
    assert phone.locator("#approve").count() == 0  # the hospital cannot approve

    # The county officer approves 20 of 30 and ships.
    context = browser.new_context(viewport={"width": 1024, "height": 800}, locale="zh-CN")
    desk = context.new_page()
    sign_in(desk, base, officer.username)
    desk.goto(base + reverse("supplies:request", args=[req.pk]))
    desk.fill("#approve input[name=quantity]", "20")
    desk.click("#approve button")
    desk.wait_for_selector("#ship")
    desk.click("#ship button")
    desk.wait_for_selector("#chain")
    req.refresh_from_db()
    assert (req.status, req.approved_quantity, req.shipped_quantity) == ("shipped", 20, 20)

    # The hospital sees the shipment and confirms receipt.
    phone.goto(base + reverse("supplies:request", args=[req.pk]))
    phone.click("#receive button")
    phone.wait_for_selector("#chain")
    req.refresh_from_db()
    assert req.status == "received" and req.received_quantity == 20
    chain = phone.inner_text("#chain")
    assert "20" in chain and chain.count(":") >= 4
    # The officer sees the same chain, received.
    desk.goto(base + reverse("supplies:request", args=[req.pk]))
    assert desk.inner_text("#chain") == chain
    assert Balance.objects.get(warehouse=county).quantity == 30
    assert Balance.objects.get(warehouse=store).quantity == 20
    context.close()
