"""A front-line worker's family member reports a difficulty on a 375-px phone with the
code the SMS outbox received, follows it until it is solved and rates the help; the
published deeds are linked from the public home page."""

import pytest

from tests import kit
from tests.conftest import HUAYUAN, TASHAN

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_family_reports_follows_and_rates_a_difficulty(live_server, phone, make_user):
    from django.core.cache import cache

    from fangkong.care import actions
    from fangkong.care.models import Difficulty
    from fangkong.core.sms import OutboxGateway
    from tests.care.conftest import ensure_categories

    cache.clear()
    OutboxGateway.outbox.clear()
    ensure_categories()
    staff = make_user("village_staff", HUAYUAN)
    org = make_user("organisation", "330602")
    deed = kit.deed(
        staff,
        title="深夜送药的网格员",
        text="网格员接到居民求助后连夜联系药店，把降压药送到独居老人家中。",
        hero_name="张华",
    )
    actions.review_deed(org, deed, "publish")

    phone.goto(f"{live_server.url}/public/")
    phone.click("#care-links >> text=一线工作人员反映困难")
    phone.select_option("#town", TASHAN)
    phone.wait_for_url(f"**/public/care/report/?town={TASHAN}")
    phone.fill("#id_reporter_name", "王芳")
    phone.select_option("#id_relation", "family")
    phone.select_option("#id_category", "childcare")
    phone.fill("#id_description", "丈夫在卡口值守，孩子放学后无人照看")
    phone.select_option("#id_node_code", HUAYUAN)
    phone.fill("#id_phone", "13812345678")
    phone.click("#send-code")
    phone.wait_for_selector("#code-status >> text=验证码已发送")
    code = OutboxGateway.last_to("13812345678").text.split("是")[1][:6]
    phone.fill("#id_code", code)
    phone.click("#care-submit")
    phone.wait_for_selector("#received")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    d = Difficulty.objects.get()
    assert d.node.code == HUAYUAN and d.phone_masked == "138****5678"

    actions.solve(staff, d, "社区安排志愿者放学后接送并照看孩子")
    phone.click("text=查看我的反映")
    phone.wait_for_selector(f"#report-{d.pk} >> text=已解决")
    phone.select_option(f"#report-{d.pk} select[name=rating]", "5")
    phone.click(f"#report-{d.pk} >> text=评价")
    phone.wait_for_selector(f"#report-{d.pk} >> text=5/5")
    d.refresh_from_db()
    assert d.rating == 5

    phone.goto(f"{live_server.url}/public/care/deeds/")
    phone.click("text=深夜送药的网格员")
    # The click starts a navigation; read the page once the deed's own page has loaded.
    phone.wait_for_url(f"**/public/care/deeds/{deed.pk}/")
    phone.wait_for_load_state()
    assert "降压药" in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    cache.clear()
