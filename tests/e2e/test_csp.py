"""Under the Content-Security-Policy (issue #16 item 6) the pages' scripts still run:
the language switch submits on change (static behaviour.js), the bulletin history draws
its chart (nonce), and the browser reports no blocked script or style."""

import pytest

from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_pages_work_under_the_policy(live_server, phone, make_user):
    blocked: list[str] = []
    phone.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    response = phone.goto(f"{live_server.url}/public/history/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    phone.wait_for_function("window.echarts !== undefined")
    phone.wait_for_selector("#chart canvas")
    phone.goto(f"{live_server.url}/public/ask/")
    phone.wait_for_selector("#send-code")

    make_user("county_hq", "330602", username="yuecheng")
    sign_in(phone, live_server.url, "yuecheng")
    phone.select_option("select[name=language]", "en")
    phone.wait_for_selector("html[lang=en]")
    phone.goto(f"{live_server.url}/accounts/tokens/")
    phone.wait_for_selector("text=Your tokens")
    assert blocked == []
