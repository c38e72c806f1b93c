"""A grid worker on a 375-px phone opens today's task, fills the visit, and the town's
progress page changes."""

import pytest

from tests.conftest import GRID_A, TASHAN
from tests.e2e.conftest import sign_in
from tests.screening.conftest import make_task  # noqa: F401,F811 - fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def metric(page, name):
    return int(page.locator(f"#progress-own [data-metric={name}]").inner_text())


def test_grid_worker_visit_changes_town_progress(
    live_server,
    browser,
    phone,
    make_user,
    make_task,  # noqa: F811
):
    make_user("grid_worker", GRID_A, username="gw")
    make_user("town_hq", TASHAN, username="town")
    make_task(code=GRID_A, name="赵小明", key_area=True, hours=1)
    make_task(code=GRID_A, name="钱小红", hours=24)

    town = browser.new_context(viewport={"width": 1024, "height": 800}, locale="zh-CN").new_page()
    sign_in(town, live_server.url, "town")
    town.goto(f"{live_server.url}/screening/progress/{TASHAN}/")
    assert metric(town, "pushed") == 2 and metric(town, "visited") == 0

    sign_in(phone, live_server.url, "gw")
    phone.goto(f"{live_server.url}/screening/today/")
    names = phone.locator("ul.tasks li strong").all_inner_texts()
    assert names[0] == "赵小明"  # the key-area arrival is due first
    phone.click("text=赵小明")
    phone.check("#id_identity_checked")
    phone.check("#id_phone_checked")
    phone.check("#id_address_checked")
    phone.fill("#id_temperature", "36.6")
    phone.select_option("#id_outcome", "cleared")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.click("form.visit-form button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/screening/today/")
    assert phone.locator("ul.tasks li strong").all_inner_texts() == ["钱小红"]

    town.reload()
    assert metric(town, "visited") == 1 and metric(town, "cleared") == 1
    town.context.close()
