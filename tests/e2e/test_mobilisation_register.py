"""A member registers at the community where she lives on a 360×640 phone, with the
code the SMS outbox received; the community's staff confirm her and put her on the
checkpoint roster; her phone page then shows the shift."""

import datetime as dt
import re

import pytest

from tests.conftest import HUAYUAN
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = "13912348888"


def test_member_registers_on_a_phone_is_confirmed_and_rostered(
    live_server, browser, make_user, node
):
    from fangkong.core import clock
    from fangkong.core.sms import OutboxGateway
    from fangkong.mobilisation.actions import rosters
    from fangkong.mobilisation.models import Assignment, Member

    OutboxGateway.outbox.clear()
    staff = make_user("village_staff", HUAYUAN, username="huayuan")
    system = type(staff)(is_superuser=True, is_active=True)
    post = rosters.save_post(
        system,
        None,
        node=node(HUAYUAN),
        data={"name": "花园社区北卡口", "kind": "checkpoint", "required_per_shift": 2},
    )
    tomorrow = clock.today() + dt.timedelta(days=1)
    rosters.plan_shifts(system, post, clock.today(), 2)

    ctx = browser.new_context(viewport={"width": 360, "height": 640}, locale="zh-CN")
    phone = ctx.new_page()
    phone.goto(f"{live_server.url}/mobilisation/m/")
    phone.fill("#phone", PHONE)
    phone.click("#send-code")
    phone.wait_for_selector("#code")
    code = re.search(r"\d{6}", OutboxGateway.last_to(PHONE).text).group(0)
    phone.fill("#code", code)
    phone.click("#verify-submit")
    phone.wait_for_selector("#register")
    phone.fill("#name", "沈佳")
    phone.click("a[href='?browse=']")
    for code_ in ("3306", "330602", "330602001"):
        phone.click(f"a[href='?browse={code_}']")
    phone.click(f"a[href='?community={HUAYUAN}']")
    assert phone.input_value("#community") == HUAYUAN
    phone.fill("#name", "沈佳")
    phone.check("input[name=is_party_member]")
    phone.click("#register-submit")
    phone.wait_for_selector("#registrations >> text=待确认")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    member = Member.objects.get()
    assert member.name == "沈佳" and member.is_party_member

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = desk.new_page()
    sign_in(page, live_server.url, "huayuan")
    page.goto(f"{live_server.url}/mobilisation/registrations/")
    page.click(f"#reg-{member.registrations.get().pk} >> button[value=confirm]")
    page.wait_for_selector("text=已确认沈佳的报到")
    page.goto(f"{live_server.url}/mobilisation/posts/{post.pk}/?day={tomorrow:%Y-%m-%d}")
    first = page.locator("#shifts tbody tr").first
    first.locator("select[name=member]").select_option(str(member.pk))
    first.locator("button[value=assign]").click()
    page.wait_for_selector("text=已为沈佳排班")
    assert Assignment.objects.filter(member=member).count() == 1
    desk.close()

    phone.goto(f"{live_server.url}/mobilisation/m/me/")
    phone.wait_for_selector("#registrations >> text=已确认")
    assert "花园社区北卡口" in phone.locator("#my-shifts").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    ctx.close()
