"""The bell shows a new notice without reloading the page, and one tap in the inbox
acknowledges the directive."""

import pytest

from fangkong.command.models import DirectiveReceipt
from tests import kit
from tests.conftest import HUAYUAN, YUECHENG
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_bell_updates_without_reload_and_one_tap_acknowledges(live_server, phone, make_user, node):
    hq = make_user("county_hq", YUECHENG, username="hq")
    make_user("village_staff", HUAYUAN, username="cun")
    sign_in(phone, live_server.url, "cun")
    count = phone.locator("#notice-bell .bell-count")
    assert count.inner_text() == "0"
    phone.evaluate("window.__same_page = true")

    d = kit.directive(title="关于做好返程人员排查的通知", by=hq, levels=("village",))
    phone.wait_for_selector("#notice-bell .bell-count[data-unread='1']", timeout=25000)
    assert phone.evaluate("window.__same_page") is True  # no reload happened

    phone.click("#notice-bell")
    phone.wait_for_selector("text=关于做好返程人员排查的通知")
    phone.click("button:has-text('签收')")
    phone.wait_for_selector("text=已签收")
    r = DirectiveReceipt.objects.get(directive=d, node__code=HUAYUAN)
    assert r.acknowledged_at is not None
    assert phone.locator("button:has-text('签收')").count() == 0
