import datetime as dt

import pytest

from fangkong.command.models import DirectiveReceipt
from fangkong.core import clock
from tests import kit
from tests.conftest import HUAYUAN, YUECHENG, ZHUJI
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_village_acknowledges_on_a_phone_and_hq_sees_coverage_and_the_briefing(
    live_server, phone, desktop, make_user, node
):
    hq = make_user("county_hq", YUECHENG, username="hq")
    make_user("village_staff", HUAYUAN, username="cun")
    make_user("county_hq", ZHUJI, username="zj")
    d = kit.directive(
        title="排查通知",
        text="请完成排查并反馈",
        by=hq,
        deadline=clock.now() + dt.timedelta(days=1),
        levels=("village",),
        feedback_required=True,
    )
    from fangkong.briefing.compute import compute

    compute(node(YUECHENG), clock.today())

    sign_in(phone, live_server.url, "cun")
    phone.goto(f"{live_server.url}/command/receipts/")
    phone.click("text=排查通知")
    phone.click("button:has-text('签收')")
    phone.wait_for_selector("text=已签收")
    phone.fill("#id_feedback", "已完成全部上门排查")
    phone.click("button:has-text('反馈')")
    phone.wait_for_selector("text=已完成全部上门排查")
    r = DirectiveReceipt.objects.get(directive=d, node__code=HUAYUAN)
    assert r.acknowledged_at and r.reported_at

    sign_in(desktop, live_server.url, "hq")
    desktop.goto(f"{live_server.url}/command/directives/{d.pk}/")
    assert desktop.locator("text=覆盖情况").count() == 1
    desktop.goto(f"{live_server.url}/briefing/{YUECHENG}/{clock.today()}/")
    desktop.wait_for_selector("#curve canvas")
    assert desktop.locator("text=风险地图").count() == 1

    desktop.context.clear_cookies()
    sign_in(desktop, live_server.url, "zj")
    assert desktop.goto(f"{live_server.url}/command/directives/{d.pk}/").status == 404
    assert desktop.goto(f"{live_server.url}/briefing/{YUECHENG}/{clock.today()}/").status == 404
