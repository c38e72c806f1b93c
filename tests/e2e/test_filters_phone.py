"""The jurisdiction picker among a list's filters on a 360-px phone and a 1366-px desktop:
its hint ("输入名称，如：花园社区") is read whole, never cut in the middle of a word."""

import pytest

from tests.conftest import YUECHENG
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Lists whose filters hold the jurisdiction picker (core.listing, people's own search).
PAGES = [
    "/exchange/",
    "/people/",
    "/healthcode/",
    "/observation/tasks/",
    "/public/staff/bulletins/",
    "/public/staff/questions/",
    "/public/staff/gatherings/",
    "/care/difficulties/",
    "/command/directives/",
]
# The room the placeholder needs inside the box, measured with the box's own font.
ROOM = """() => [...document.querySelectorAll('form.filters .picker input[placeholder]')]
  .filter(i => i.offsetParent !== null).map(i => {
    const cs = getComputedStyle(i);
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = cs.font;
    const inner = i.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    return [i.placeholder, Math.ceil(ctx.measureText(i.placeholder).width), Math.floor(inner)];
  })"""


@pytest.mark.parametrize("width", [360, 1366])
def test_picker_hint_fits_in_every_filter_row(live_server, browser, make_user, width):
    make_user("county_hq", YUECHENG, username="hq")
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "hq")
    seen = 0
    for url in PAGES:
        response = page.goto(live_server.url + url)
        assert response and response.status == 200, url
        for placeholder, needed, inner in page.evaluate(ROOM):
            seen += 1
            assert placeholder.startswith("输入名称"), url
            assert needed <= inner, f"{url} at {width}px: the hint needs {needed}px, has {inner}"
        assert page.evaluate("document.documentElement.scrollWidth") <= width, url
    assert seen >= len(PAGES) - 1  # every list above but at most one carries the picker
    context.close()
