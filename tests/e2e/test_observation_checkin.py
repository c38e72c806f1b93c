"""The person's own check-in on a 375-px phone, and the site doctor seeing the alert."""

import datetime as dt

import pytest
from django.urls import reverse

from fangkong.core.querysets import system_actor
from tests.conftest import GRID_A, TASHAN
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tree_and_rules(django_db_blocker):
    """Transactional tests flush the database: put back the tree and the seeded rules."""
    import importlib

    from django.apps import apps

    from fangkong.geo.models import Division
    from tests.conftest import DIVISIONS, HUAYUAN

    if not Division.objects.filter(code=GRID_A).exists():
        from fangkong.geo.loaders import import_grids, load_divisions, read_csv

        if not Division.objects.filter(code="3306").exists():
            load_divisions(read_csv(DIVISIONS))
        import_grids(
            [{"village_code": HUAYUAN, "grid_code": "1", "name": "第1网格", "households": "120"}]
        )
    seed = importlib.import_module("fangkong.observation.migrations.0002_seed_rules")
    seed.seed(apps, None)


def test_phone_check_in_with_fever_and_site_doctor_sees_the_alerts(
    live_server, browser, phone, make_user, make_person, tree_and_rules
):
    from fangkong.core import clock
    from fangkong.observation import actions, links
    from fangkong.observation.models import ObservationPeriod, Referral

    system = system_actor()
    doctor = make_user("quarantine_site", TASHAN, username="doc")
    site = actions.create_site(
        system, name="塔山宾馆", address="解放北路1号", node=doctor.node, doctor=doctor
    )
    room_a, room_b = actions.add_rooms(system, site, ["301", "302"], 1)
    today = clock.today()
    person = make_person("陈静", node_code=GRID_A)
    period = actions.start_period(
        system, person, reason="close_contact", last_exposure=today, room=room_a
    )
    # Another resident missed yesterday evening's check-in.
    other = actions.start_period(
        system,
        make_person("周强", node_code=GRID_A),
        reason="key_area_arrival",
        last_exposure=today - dt.timedelta(days=2),
        start_date=today - dt.timedelta(days=1),
        room=room_b,
    )
    ObservationPeriod.objects.filter(pk=other.pk).update(
        created_at=clock.now() - dt.timedelta(days=2)
    )
    assert actions.sweep_missed(today - dt.timedelta(days=1), "evening") == 1

    url = live_server.url + reverse("observation:self_checkin", args=[links.make_token(period)])
    phone.goto(url)
    assert phone.locator("h1").inner_text() == "体温报告"
    assert "陈*" in phone.content()
    phone.fill("#id_temperature", "38.2")
    phone.check("input[name=symptoms][value=cough]")
    phone.click("button.btn")
    phone.wait_for_selector(".done")
    assert "38.2" in phone.locator(".done").inner_text()
    assert phone.locator("[role=alert]").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    # A bad reading is refused with the valid range.
    phone.fill("#id_temperature", "45")
    phone.click("button.btn")
    phone.wait_for_selector(".errorlist")
    error = phone.locator(".errorlist").inner_text()
    assert "34.0" in error and "43.0" in error

    referral = Referral.objects.get(period=period)
    assert referral.status == "pending"
    assert ObservationPeriod.objects.get(pk=period.pk).status == "referred"

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    desk = context.new_page()
    sign_in(desk, live_server.url, "doc")
    desk.goto(live_server.url + reverse("observation:site", args=[site.pk]))
    alert = desk.locator(".alert-referral")
    assert alert.count() == 1 and "陈静" in alert.inner_text() and "301" in alert.inner_text()
    missed = desk.locator(".alert-missed")
    assert missed.count() == 1 and "周强" in missed.inner_text()
    desk.click(".alert-referral a")
    desk.wait_for_selector("#checkins")
    assert "38.2" in desk.locator("#checkins").inner_text()
    context.close()
