"""Every role's menu on a 360-px phone and a 1366-px desktop: the menu collapses, the
content starts within the first screen, nothing overflows sideways, no English word or
raw value shows, no script error, and axe-core finds no serious or critical violation."""

from pathlib import Path

import pytest

from tests.conftest import GRID_A, HUAYUAN, TASHAN, YUECHENG
from tests.e2e.conftest import sign_in
from tests.ui.text import explain, untranslated

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
NODES = {
    "city_hq": "3306",
    "county_hq": YUECHENG,
    "town_hq": TASHAN,
    "village_staff": HUAYUAN,
    "grid_worker": GRID_A,
    "medical": YUECHENG,
    "cdc": "3306",
    "quarantine_site": YUECHENG,
    "supplies": "3306",
    "organisation": "3306",
    "discipline": "3306",
    "sysadmin": "3306",
}
# Pages a role may not find in its menu: not its work (docs/roles.md, #17).
NOT_IN_MENU = {
    "grid_worker": (
        "/geo/",
        "/riskareas/",
        "/accounts/tokens/",
        "/command/reports/",
        "/public/staff/bulletins/",
        "/public/staff/questions/",
        "/public/staff/applications/",
        "/selfservice/appeals/",
    ),
    "village_staff": ("/geo/", "/riskareas/", "/accounts/tokens/", "/briefing/"),
}
PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1366, "height": 900}
# Text a Chinese page may carry in another language on purpose (the language switch).
VISIBLE_TEXT = """() => {
  const clone = document.body.cloneNode(true);
  clone.querySelectorAll('[lang=en], script, style, noscript').forEach(e => e.remove());
  return clone.innerText;
}"""


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))"
    )
    return list(result)


def check_page(page, width: int, height: int, where: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, where
    top = page.evaluate("document.querySelector('main h1, main h2, main p, main table')"
                        "?.getBoundingClientRect().top ?? 0")  # fmt: skip
    assert top < height * 0.6, f"{where}: content starts at {top}px"
    text = page.evaluate(VISIBLE_TEXT)
    assert untranslated(text) == [], f"{where}:\n{explain(text)}"


@pytest.mark.parametrize("role", list(NODES))
def test_role_menu_on_phone_and_desktop(live_server, browser, make_user, role):
    make_user(role, NODES[role], username="u-" + role, display_name="王秀英")
    errors: list[str] = []
    for viewport in (PHONE, DESKTOP):
        context = browser.new_context(viewport=viewport, locale="zh-CN", bypass_csp=True)
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))
        sign_in(page, live_server.url, "u-" + role)
        width, height = viewport["width"], viewport["height"]
        check_page(page, width, height, f"{role} home {width}")
        entries = page.locator("nav.main-nav .top-entries a")
        if width == PHONE["width"]:
            # The menu waits behind its button; opening it needs no script.
            assert not entries.first.is_visible()
            page.click("label.menu-button")
            assert entries.first.is_visible()
            box = entries.first.bounding_box()
            assert box and box["height"] >= 44
        else:
            assert entries.first.is_visible()
            page.click("details.more summary") if page.locator("details.more").count() else None
        assert axe_violations(page) == [], f"{role} home {width}"
        hrefs = [entries.nth(i).get_attribute("href") for i in range(entries.count())]
        assert 1 <= len(hrefs) <= 8
        every = page.eval_on_selector_all("nav.main-nav a", "els => els.map(e => e.pathname)")
        assert not set(every) & set(NOT_IN_MENU.get(role, ())), f"{role} {width}"
        for href in hrefs if width == PHONE["width"] else hrefs[:1]:
            response = page.goto(live_server.url + href)
            assert response and response.status == 200, href
            check_page(page, width, height, f"{role} {href} {width}")
            if href == hrefs[0]:
                assert axe_violations(page) == [], f"{role} {href} {width}"
        context.close()
    assert errors == []
