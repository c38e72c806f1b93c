"""Each cockpit on a 360×640 phone: its headline is within the first screen, no English
word or raw value shows, no script error."""

import pytest

from fangkong.core.querysets import system_actor
from tests.conftest import GRID_A, YUECHENG
from tests.e2e.conftest import sign_in
from tests.ui.text import explain, untranslated

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VISIBLE_TEXT = """() => {
  const clone = document.body.cloneNode(true);
  clone.querySelectorAll('[lang=en], script, style, noscript').forEach(e => e.remove());
  return clone.innerText;
}"""


def phone_page(browser):
    """(context, page, script errors): a 360×640 phone in Simplified Chinese."""
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    return context, page, errors


def fits_in_chinese(page) -> None:
    """The page fits the 360 px phone sideways and shows no untranslated text."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    text = page.evaluate(VISIBLE_TEXT)
    assert untranslated(text) == [], explain(text)


@pytest.mark.parametrize(
    ("role", "code", "headline"),
    [
        ("city_hq", "3306", "#overdue"),
        ("town_hq", "330602001", "#overdue"),
        ("grid_worker", GRID_A, "#missed-total"),
        ("medical", YUECHENG, "#clocks-running"),
    ],
)
def test_cockpit_headline_fits_the_first_phone_screen(
    live_server, browser, make_user, role, code, headline
):
    make_user(role, code, username="u-" + role, display_name="王秀英")
    context, page, errors = phone_page(browser)
    sign_in(page, live_server.url, "u-" + role)
    box = page.locator(headline).bounding_box()
    assert box is not None and box["y"] + box["height"] <= 640, (role, box)
    fits_in_chinese(page)
    assert errors == []
    context.close()


def test_city_map_is_drawn_and_the_same_figures_fold_under_it(live_server, browser, make_user):
    make_user("city_hq", "3306", username="u-map", display_name="王秀英")
    context, page, errors = phone_page(browser)
    sign_in(page, live_server.url, "u-map")
    page.locator("#cockpit-map canvas").wait_for()
    # The map shows the counties: their table folds under one line, one tap away.
    assert page.evaluate("document.getElementById('county-detail').open") is False
    assert not page.locator("#county-colours").is_visible()
    page.locator("#county-detail > summary").click()
    assert page.locator("#county-colours").is_visible()
    assert page.locator("#county-colours tbody tr").count() == 6
    assert errors == []
    context.close()


MAP_TEXTS = """() => {
  const c = echarts.getInstanceByDom(document.getElementById('cockpit-map'));
  return c.getZr().storage.getDisplayList().filter(e => e.style && e.style.text)
    .map(e => e.style.text);
}"""


def test_a_county_map_names_the_neighbours_and_rates_its_own(live_server, browser, make_user):
    """A county leader's map shows the six counties; only their own carries a rating
    (shape and colour word), the neighbours their name alone, never a raw value."""
    make_user("county_hq", YUECHENG, username="u-county", display_name="王秀英")
    context, page, errors = phone_page(browser)
    sign_in(page, live_server.url, "u-county")
    page.locator("#cockpit-map canvas").wait_for()
    texts = page.evaluate(MAP_TEXTS)  # each line of a label is a text of its own
    counties = {"越城区", "柯桥区", "上虞区", "新昌县", "诸暨市", "嵊州市"}
    assert counties <= set(texts), texts
    ratings = [t for t in texts if t not in counties]
    assert len(ratings) == 1 and ratings[0].split()[1] in {"红色", "橙色", "黄色", "蓝色", "绿色"}
    assert not [t for t in texts if "undefined" in t or "null" in t]
    assert errors == []
    context.close()


def test_the_clinical_board_shows_its_five_figures_on_the_first_phone_screen(
    live_server, browser, make_user
):
    """The tour found the clinician's board one figure card a row: five cards filled two
    screens before the overdue clocks. Figure cards sit two to a row on a phone."""
    make_user("medical", YUECHENG, username="u-medical", display_name="王秀英")
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "u-medical")
    page.goto(f"{live_server.url}/clinical/")
    cards = page.locator("#figures .card")
    assert cards.count() == 5
    boxes = [cards.nth(i).bounding_box() for i in range(5)]
    assert all(b and b["y"] + b["height"] <= 640 for b in boxes), boxes
    assert boxes[0]["y"] == boxes[1]["y"]  # side by side
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_the_site_day_shows_its_six_figures_on_the_first_phone_screen(
    live_server, browser, make_user
):
    """A quarantine site's worker lands on the site's day (#17): six figures, three to a
    row, within the first screen of a phone, in Chinese."""
    from fangkong.observation import actions

    worker = make_user("quarantine_site", YUECHENG, username="u-site", display_name="冯芳")
    system = system_actor()
    site = actions.create_site(
        system, name="越城区集中隔离点一号", address="解放北路88号", node=worker.node
    )
    site.staff.add(worker)
    actions.add_rooms(system, site, ["101", "102", "103"], 1)
    context, page, errors = phone_page(browser)
    sign_in(page, live_server.url, "u-site")
    figures = page.locator(f"#site-{site.pk} [data-figure]")
    assert figures.count() == 6
    boxes = [figures.nth(i).bounding_box() for i in range(6)]
    assert all(b and b["y"] + b["height"] <= 640 for b in boxes), boxes
    assert boxes[0]["y"] == boxes[2]["y"]  # three to a row
    assert page.locator('[data-figure="free"] .n').inner_text() == "3"
    fits_in_chinese(page)
    assert errors == []
    context.close()


def test_the_site_day_admits_a_person_sent_to_it_and_its_lists_fit_a_phone(
    live_server, browser, make_user, make_person
):
    """The county sends a person to the site: on the site's day, in Chinese on a
    360 px phone, the worker picks a free room (never types an id) and assigns it; the
    figure of today's arrivals then opens the line list cut to that person, with the
    cut named in the filter form."""
    from fangkong.core import clock
    from fangkong.observation import actions

    worker = make_user("quarantine_site", YUECHENG, username="u-site2", display_name="冯芳")
    county = make_user("county_hq", YUECHENG, username="u-county2")
    system = system_actor()
    site = actions.create_site(
        system, name="越城区集中隔离点二号", address="解放北路90号", node=worker.node
    )
    site.staff.add(worker)
    actions.add_rooms(system, site, ["101", "102"], 1)
    person = make_person("赵敏", GRID_A)
    period = actions.start_period(
        system, person, reason="close_contact", last_exposure=clock.today()
    )
    actions.send_to_site(county, period, site)
    context, page, errors = phone_page(browser)
    sign_in(page, live_server.url, "u-site2")
    waiting = page.locator(f'#awaiting-{site.pk} li[data-period="{period.pk}"]')
    assert "赵敏" in waiting.inner_text()
    room = waiting.locator("select[name=room]")
    assert room.locator("option").all_inner_texts() == ["101（空 1 床）", "102（空 1 床）"]
    fits_in_chinese(page)
    room.select_option(label="102（空 1 床）")
    waiting.get_by_role("button", name="分配房间").click()
    page.wait_for_load_state()
    assert page.locator(f"#awaiting-{site.pk} li[data-period]").count() == 0
    assert page.locator('[data-figure="arrivals"] .n').inner_text() == "1"
    assert page.locator('[data-figure="free"] .n').inner_text() == "1"
    page.locator('[data-figure="arrivals"] a').click()
    page.wait_for_load_state()
    assert page.locator("#id_only option:checked").inner_text() == "今日入住"
    assert page.locator(".pager .total").get_attribute("data-total") == "1"
    assert "赵敏" in page.locator("main").inner_text()
    fits_in_chinese(page)
    assert errors == []
    context.close()


def test_the_county_sends_a_decision_to_a_site_from_the_handover_page_on_a_phone(
    live_server, browser, make_user
):
    """A visit decided on centralised observation: on the hand-over page, in Chinese on a
    360 px phone, the county picks the site by name (its free beds shown; a long name
    stays inside the card) and sends the person; the site then holds them awaiting a
    room."""
    from fangkong.observation import actions
    from fangkong.observation.models import ObservationPeriod
    from tests import kit

    make_user("county_hq", YUECHENG, username="u-county3", display_name="陈刚")
    site = actions.create_site(
        system_actor(),
        name="越城区集中医学观察点一号（塔山宾馆东楼）",
        address="解放北路90号",
        node=kit.division(YUECHENG),
    )
    actions.add_rooms(system_actor(), site, ["101", "102"], 1)
    task = kit.handover(0, GRID_A)
    context, page, errors = phone_page(browser)
    sign_in(page, live_server.url, "u-county3")
    page.goto(live_server.url + "/screening/handovers/")
    row = page.locator(f'tr[data-task="{task.pk}"]')
    picker = row.locator("select[name=site]")
    assert picker.locator("option").all_inner_texts() == [f"{site.name}（空 2 床）"]
    fits_in_chinese(page)
    row.get_by_role("button", name=f"将{task.subject.name}送往隔离点").click()
    page.wait_for_load_state()
    assert f"{task.subject.name} 已送往 {site.name}" in page.locator("main").inner_text()
    assert page.locator(f'tr[data-task="{task.pk}"]').count() == 0
    period = ObservationPeriod.objects.get(person=task.subject.person)
    assert period.sent_to_id == site.pk
    assert errors == []
    context.close()
