"""A grid worker on a 360-px phone sends a task to another community by typing its
everyday name: the picker lists the matches with their paths, the keyboard chooses
one, and a confirmation page names the person before the task moves."""

import pytest
from playwright.sync_api import expect

from fangkong.screening.models import ScreeningTask
from tests.conftest import GRID_A, GRID_C
from tests.e2e.conftest import sign_in
from tests.screening.conftest import make_task  # noqa: F401,F811 - fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_jurisdiction_picker_on_a_small_phone(live_server, browser, make_user, make_task):  # noqa: F811
    make_user("grid_worker", GRID_A, username="gw")
    task = make_task(code=GRID_A, name="孙丽华")
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server.url, "gw")
    page.goto(f"{live_server.url}/screening/tasks/{task.pk}/transfer/")

    box = page.locator("#id_to_code")
    assert box.get_attribute("placeholder").startswith("输入名称")
    box.press_sequentially("越都", delay=60)
    options = page.locator(".picker-list [role=option]")
    options.first.wait_for()
    texts = options.all_inner_texts()
    assert any("越城区 › 府山街道 › 越都社区" in t for t in texts)
    assert any("诸暨市" in t for t in texts)  # the other 越都社区, told apart by its path
    assert options.first.bounding_box()["height"] >= 44  # a finger can hit it
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    box.press_sequentially(" 第1网格", delay=60)
    expect(options).to_have_count(1)
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant")
    box.press("Enter")
    assert box.input_value() == "越城区 › 府山街道 › 越都社区 › 第1网格"
    page.fill("#id_reason", "已搬到府山")
    page.click("form button[type=submit]")

    confirm = page.locator("dl.confirm")
    confirm.wait_for()
    text = confirm.inner_text()
    assert "孙丽华" in text and "越城区 › 府山街道 › 越都社区 › 第1网格" in text
    assert ScreeningTask.objects.get(pk=task.pk).node.code == GRID_A  # not moved yet
    page.click("text=确认转交 >> nth=-1")
    page.wait_for_url(f"{live_server.url}/screening/today/")
    assert ScreeningTask.objects.get(pk=task.pk).node.code == GRID_C
    assert not errors, errors
    context.close()
