"""The briefing page draws the onset curve (local and imported by onset, report date as a
line, the right-truncated days shaded) and the Rt chart with its flagged windows,
without a script error; the case page edits the onset and source."""

import datetime as dt

import pytest

from fangkong.core import clock
from tests.conftest import GRID_A, YUECHENG
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _cases(node, make_person):
    from fangkong.clinical.models import Case, Facility
    from fangkong.geo.models import Division

    clinic = Facility.objects.create(name="发热门诊", kind="fever_clinic", node=node(YUECHENG))
    grid = Division.objects.get(code=GRID_A)
    today = clock.today()
    n = 0
    for back in range(1, 40):
        for k in range(1 + (40 - back) // 6):
            n += 1
            confirmed = clock.now() - dt.timedelta(days=back)
            Case.objects.create(
                number=f"E{n:05d}",
                person=make_person(f"病例{n}", GRID_A),
                facility=clinic,
                path=grid.path,
                county=YUECHENG,
                status="confirmed",
                diagnosed_at=confirmed,
                confirmed_at=confirmed,
                onset_date=None if k == 3 else today - dt.timedelta(days=back + 1 + k % 4),
                source="outside_province" if back > 25 and k % 2 else "local",
            )
    return Case.objects.order_by("pk").first()


def test_briefing_page_draws_the_onset_curve_and_the_rt_chart(
    live_server, browser, make_user, make_person, node
):
    from fangkong.briefing.compute import compute

    make_user("county_hq", YUECHENG, username="hq")
    case = _cases(node, make_person)
    compute(node(YUECHENG), clock.today())
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server.url, "hq")
    page.goto(f"{live_server.url}/briefing/{YUECHENG}/{clock.today()}/")
    page.wait_for_selector("#curve canvas")
    page.wait_for_selector("#rt canvas")
    assert page.locator("#sources").count() == 1 and page.locator("#rt-basis").count() == 1
    basis = page.locator("#rt-basis").inner_text()
    assert "按发病日期" in basis or "by onset date" in basis  # (catalogue built by make)
    assert errors == []
    page.context.close()

    medical = make_user("cdc", YUECHENG, username="cdc")
    assert medical.may("clinical.investigation", "change")
    page = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN").new_page()
    sign_in(page, live_server.url, "cdc")
    page.goto(f"{live_server.url}/clinical/cases/{case.pk}/")
    page.click("#onset-edit summary")
    page.select_option("#id_source", "other_city")
    page.fill("#id_source_note", "杭州市")
    page.click("#onset-edit button")
    page.wait_for_selector("#onset-source >> text=杭州市")
    case.refresh_from_db()
    assert case.source == "other_city" and case.source_note == "杭州市"
    page.context.close()
