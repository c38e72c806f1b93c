"""A resident opens their health code on a 375-px phone; the gate keeper scans it on
their phone and sees the colour (R13: a red code is not let in)."""

import pytest

from tests.conftest import GRID_A, YUECHENG
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def phone_page(browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    return context, context.new_page()


def test_resident_shows_code_and_gate_keeper_sees_the_colour(
    live_server, browser, make_user, make_person, seeded_rules
):
    from fangkong.accounts.models import User
    from fangkong.healthcode import actions as codes
    from fangkong.healthcode.tokens import personal_token
    from fangkong.tracing import venues
    from fangkong.tracing.models import Scan

    keeper = make_user("grid_worker", GRID_A, username="keeper")
    gate = venues.create_venue(
        keeper, {"name": "府山小区东门", "kind": "gate", "node": keeper.node}
    )
    green, red = make_person("林芳", node_code=GRID_A), make_person("赵磊", node_code=GRID_A)
    hq = make_user("county_hq", YUECHENG, username="hq")
    codes.override_colour(hq, red, colour="red", reason="确诊病例的密切接触者（测试）")
    codes.recompute_persons([green.pk, red.pk])
    assert User.objects.filter(username="keeper").exists()

    resident_ctx, resident = phone_page(browser)
    keeper_ctx, gate_page = phone_page(browser)
    sign_in(gate_page, live_server.url, "keeper")
    for person, colour, text, admitted in (
        (green, "green", "绿码", True),
        (red, "red", "红码", False),
    ):
        resident.goto(f"{live_server.url}/healthcode/me/{personal_token(person.pk)}/")
        assert resident.locator(f".code-colour[data-colour={colour}]").is_visible()
        assert resident.locator("#qr svg").is_visible()
        width = resident.evaluate("document.documentElement.scrollWidth")
        assert width <= 375
        token = resident.locator("#qr").get_attribute("data-token")

        gate_page.goto(f"{live_server.url}/tracing/venues/{gate.pk}/gate/")
        gate_page.fill("#id_token", token)
        gate_page.fill("#id_temperature", "36.5")
        gate_page.click("#gate-result button.btn")
        result = gate_page.locator(f"#gate-result .code-colour[data-colour={colour}]")
        result.wait_for()
        assert text in result.inner_text()
        scan = Scan.objects.filter(person=person).get()
        assert scan.admitted is admitted and scan.direction == "entry"

    gate_page.goto(f"{live_server.url}/tracing/venues/{gate.pk}/gate/")
    gate_page.fill("#id_token", "forged-code")
    gate_page.click("#gate-result button.btn")
    gate_page.locator("#gate-result .errorlist").wait_for()
    assert "有效" in gate_page.locator("#gate-result .errorlist").inner_text()
    resident_ctx.close()
    keeper_ctx.close()
