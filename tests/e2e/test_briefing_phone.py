"""The briefing on a 360-px phone and a 1366-px screen: Rt reads as a figure (value first,
its interval, then the method and the note below it, never squeezed into columns); the
charts' last date is drawn whole; the key of the not-yet-complete days sits above the
plot, clear of the bars, the lines and the forecast."""

import pytest

from fangkong.core import clock
from tests.conftest import YUECHENG
from tests.e2e.conftest import sign_in
from tests.e2e.test_briefing_onset import _cases

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LAST_LABEL = """(id) => {
  const c = echarts.getInstanceByDom(document.getElementById(id));
  const ax = c.getOption().xAxis[0], days = ax.data, last = days[days.length - 1];
  const f = ax.axisLabel && ax.axisLabel.formatter;
  const text = typeof f === 'function' ? f(last) : String(last);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = '12px sans-serif';
  return [c.convertToPixel({xAxisIndex: 0}, last) + ctx.measureText(text).width / 2, c.getWidth()];
}"""
KEY = """() => {
  const c = echarts.getInstanceByDom(document.getElementById('curve'));
  const o = c.getOption(), area = o.series[0].markArea;
  const shaded = !!(area && area.data && area.data.length);
  const labelled = !!(area && area.label && area.label.show);
  const yMax = c.getModel().getComponent('yAxis', 0).axis.scale.getExtent()[1];
  const plotTop = c.convertToPixel({yAxisIndex: 0}, yMax);
  const texts = c.getZr().storage.getDisplayList().filter(e => e.style && e.style.text
    && e.style.text.indexOf('数据不完整') >= 0).map(e => { const r = e.getBoundingRect().clone();
      if (e.transform) r.applyTransform(e.transform); return r.y + r.height; });
  return {shaded, labelled, plotTop, keyBottoms: texts};
}"""


@pytest.mark.parametrize("width", [360, 1366])
def test_briefing_reads_on_a_phone(live_server, browser, make_user, make_person, node, width):
    from fangkong.briefing.compute import compute

    make_user("county_hq", YUECHENG, username="hq")
    _cases(node, make_person)
    compute(node(YUECHENG), clock.today())
    context = browser.new_context(
        viewport={"width": width, "height": 800}, locale="zh-CN", reduced_motion="reduce"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server.url, "hq")
    page.goto(f"{live_server.url}/briefing/{YUECHENG}/{clock.today()}/")
    page.wait_for_selector("#curve canvas")
    page.wait_for_selector("#rt canvas")

    value = page.locator("#rt-value").bounding_box()
    method = page.locator("#rt-method").bounding_box()
    figure = page.locator("#rt-figure").bounding_box()
    assert value and method and figure
    assert figure["width"] >= min(width, 1100) * 0.8  # the whole row, not a column
    assert method["y"] >= value["y"] + value["height"]  # the method below the value
    assert value["height"] < 60  # the value on one line
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    for chart in ("curve", "rt"):
        right, chart_width = page.evaluate(LAST_LABEL, chart)
        assert right <= chart_width, f"{chart}: the last date ends at {right} of {chart_width}"
    key = page.evaluate(KEY)
    assert key["shaded"] and not key["labelled"]
    assert key["keyBottoms"], "the shaded days carry a key"
    assert all(bottom <= key["plotTop"] for bottom in key["keyBottoms"])
    assert errors == []
    context.close()
