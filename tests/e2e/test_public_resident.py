"""A resident on a 375-px phone reads the day's bulletin and asks a question, with the
phone verified by the code the SMS outbox received."""

import pytest

from tests.conftest import TASHAN

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_resident_reads_bulletin_and_asks_a_verified_question(live_server, phone, make_user, node):
    from django.core.cache import cache

    from fangkong.core import clock
    from fangkong.core.sms import OutboxGateway
    from fangkong.public import actions
    from fangkong.public.models import Question

    cache.clear()
    OutboxGateway.outbox.clear()
    hq = make_user("city_hq", "3306", username="hq")
    day = clock.today()
    figures = [{"code": "330602", "name": "越城区", "new": 3, "total": 12}]
    b = actions.draft_bulletin(hq, node("3306"), day, figures)
    actions.publish_bulletin(hq, b)

    phone.goto(f"{live_server.url}/public/")
    assert phone.locator("#bulletin-title").inner_text() == b.title
    assert "新增确诊病例3例" in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    phone.click("text=我要提问")
    phone.wait_for_url(f"{live_server.url}/public/ask/")
    phone.select_option("#id_node_code", TASHAN)
    phone.select_option("#id_department", "community")
    phone.fill("#id_text", "小区什么时候恢复快递进小区？")
    phone.fill("#id_phone", "13812345678")
    phone.click("#send-code")
    phone.wait_for_selector("#code-status >> text=验证码已发送")
    code = OutboxGateway.last_to("13812345678").text.split("是")[1][:6]
    phone.fill("#id_code", code)
    phone.click("#ask-submit")
    phone.wait_for_selector("#ticket")
    ticket = phone.locator("#ticket").inner_text()
    q = Question.objects.get()
    assert q.ticket == ticket and q.node.code == TASHAN and q.phone_masked == "138****5678"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    cache.clear()
