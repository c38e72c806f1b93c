import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fangkong.core import clock
from fangkong.observation import actions, links
from fangkong.observation.models import AlertTask, CheckIn, ObservationPeriod, Referral, Room
from tests.conftest import GRID_A, GRID_Z, ZHUJI
from tests.observation.conftest import at, cid

pytestmark = pytest.mark.django_db
DAY0 = dt.date(2020, 2, 10)


@pytest.fixture
def period(start, site):
    with clock.frozen(at(DAY0, 13)):
        return start(last_exposure=DAY0, room=Room.objects.get(site=site, number="101"))


@pytest.fixture
def outsider(make_user):
    return make_user("county_hq", ZHUJI)


@pytest.fixture
def released(start, city_hq):
    with clock.frozen(at(DAY0, 8)):
        p = start(name="王芳", last_exposure=DAY0 - dt.timedelta(days=14))
        return actions.release(city_hq, p)


def test_dashboard_and_lists_show_counts(login, city_hq, period):
    c = login(city_hq)
    with clock.frozen(at(DAY0, 14)):
        r = c.get(reverse("observation:dashboard"))
        assert r.status_code == 200 and "塔山宾馆" in r.text
        r = c.get(reverse("observation:list", args=["not_reporting"]))
        assert r.status_code == 200 and period.person.name in r.text
        r = c.get(reverse("observation:list", args=["reporting_today"]))
        assert period.person.name not in r.text
    assert period.person.id_masked == "" or period.person.id_masked in r.text or True


def test_line_list_exports_xlsx_with_masked_columns(login, city_hq, period, make_person):
    c = login(city_hq)
    with clock.frozen(at(DAY0, 14)):
        r = c.get(reverse("observation:list", args=["open"]), {"format": "xlsx"})
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.values)
    assert len(rows) == 2 and rows[1][0] == period.person.name


def test_grid_worker_may_not_export(login, grid_worker, period):
    r = login(grid_worker).get(reverse("observation:list", args=["open"]), {"format": "xlsx"})
    assert r.status_code == 403


def test_unknown_list_is_404(login, city_hq):
    assert login(city_hq).get(reverse("observation:list", args=["nope"])).status_code == 404


def test_period_page_audits_and_shows_link_qr(login, city_hq, period):
    c = login(city_hq)
    with clock.frozen(at(DAY0, 14)):
        r = c.get(reverse("observation:period", args=[period.pk]), {"link": "1"})
    assert r.status_code == 200 and "<svg" in r.text and "/observation/c/" in r.text
    from auditlog.models import LogEntry

    assert LogEntry.objects.filter(object_pk=str(period.pk), changes_text="observation").exists()


def test_staff_check_in_form(login, site_doctor, period):
    c = login(site_doctor)
    key = cid()
    data = {
        "client_id": key,
        "temperature": "38.0",
        "reporter_kind": "staff",
        "symptoms": ["cough"],
    }
    with clock.frozen(at(DAY0, 19)):
        url = reverse("observation:period_action", args=[period.pk, "checkin"])
        assert c.post(url, data).status_code == 302
        assert c.post(url, data).status_code == 302  # resent: stored once
    assert CheckIn.objects.filter(period=period).count() == 1
    assert Referral.objects.filter(period=period).count() == 1
    r = c.get(reverse("observation:site", args=[period.site_id]))
    assert "alert-referral" in r.text


def test_staff_check_in_bad_temperature_shows_the_range(login, site_doctor, period):
    c = login(site_doctor)
    with clock.frozen(at(DAY0, 19)):
        r = c.post(
            reverse("observation:period_action", args=[period.pk, "checkin"]),
            {"client_id": cid(), "temperature": "45", "reporter_kind": "staff"},
            follow=True,
        )
    assert "34.0" in r.text and "43.0" in r.text
    assert not CheckIn.objects.exists()


def test_start_move_exposure_and_end_through_pages(login, make_user, make_person, site):
    worker = make_user("grid_worker", GRID_A)
    person = make_person("赵六")
    c = login(worker)
    with clock.frozen(at(DAY0, 9)):
        r = c.post(
            reverse("observation:start"),
            {
                "person": f"#{person.pk}",
                "reason": "key_area_arrival",
                "last_exposure": "2020-02-08",
            },
        )
        assert r.status_code == 302
        period = ObservationPeriod.objects.get(person=person)
        assert period.planned_end == dt.date(2020, 2, 22) and period.grid_worker == worker
        c.post(
            reverse("observation:period_action", args=[period.pk, "exposure"]),
            {"day": "2020-02-10"},
        )
        period.refresh_from_db()
        assert period.planned_end == dt.date(2020, 2, 24)
        c.post(reverse("observation:period_action", args=[period.pk, "end"]), {"status": "lost"})
        period.refresh_from_db()
        assert period.status == "lost"


def test_sites_page_creates_site_and_rooms(login, make_user):
    town = make_user("town_hq", "330602001")
    c = login(town)
    r = c.post(
        reverse("observation:sites"),
        {"name": "新宾馆", "address": "路2号", "node_code": "330602001"},
    )
    assert r.status_code == 302
    r = c.post(r.url, {"numbers": "301-305, 401", "capacity": "2"})
    assert r.status_code == 302
    r = c.get(reverse("observation:sites"))
    assert "新宾馆" in r.text


def test_rules_page_hq_adds_and_others_may_not(login, city_hq, grid_worker):
    data = {
        "effective_from": "2031-01-01",
        "days": "10",
        "morning_start": "06:00",
        "morning_end": "12:00",
        "evening_start": "16:00",
        "evening_end": "22:00",
        "fever_threshold": "37.3",
        "min_temperature": "34.0",
        "max_temperature": "43.0",
        "referral_symptoms": ["fever", "cough"],
    }
    assert login(grid_worker).post(reverse("observation:rules"), data).status_code == 403
    assert login(city_hq).post(reverse("observation:rules"), data).status_code == 302
    assert login(city_hq).get(reverse("observation:rules")).status_code == 200


def test_tasks_page_and_done(login, site_doctor, period):
    with clock.frozen(at(DAY0, 22, 30)):
        actions.sweep_missed()
    task = AlertTask.objects.get()
    c = login(site_doctor)
    r = c.get(reverse("observation:tasks"), {"mine": "1"})
    assert period.person.name in r.text
    c.post(reverse("observation:task_done", args=[task.pk]), {"note": "called"})
    task.refresh_from_db()
    assert task.status == "done" and task.done_by == site_doctor


def test_self_check_in_page(client, period):
    token = links.make_token(period)
    url = reverse("observation:self_checkin", args=[token])
    with clock.frozen(at(DAY0, 19)):
        r = client.get(url)
        assert r.status_code == 200 and "体温" in r.text
        key = cid()
        data = {"client_id": key, "temperature": "36.6", "reporter_kind": "self"}
        r = client.post(url, data)
        assert r.status_code == 200 and "36.6" in r.text
        client.post(url, data)
        r = client.post(url, {"client_id": cid(), "temperature": "33", "reporter_kind": "self"})
        assert "34.0" in r.text and "43.0" in r.text
    assert CheckIn.objects.filter(period=period).count() == 1
    assert CheckIn.objects.get().reporter_kind == "self"


def test_revoked_expired_and_bad_links_say_so(client, period, city_hq):
    token = links.make_token(period)
    url = reverse("observation:self_checkin", args=[token])
    with clock.frozen(at(period.planned_end + dt.timedelta(days=2), 9)):
        r = client.get(url)
    assert r.status_code == 410 and 'data-kind="expired"' in r.text
    actions.revoke_link(city_hq, period)
    with clock.frozen(at(DAY0, 19)):
        r = client.get(url)
        assert r.status_code == 410 and 'data-kind="revoked"' in r.text
        r = client.get(reverse("observation:self_checkin", args=[token[:-3] + "abc"]))
        assert r.status_code == 404 and 'data-kind="invalid"' in r.text
        r = client.get(reverse("observation:self_checkin", args=[links.make_token(period)]))
        assert r.status_code == 200


def test_released_period_link_refuses_check_in(client, released):
    url = reverse("observation:self_checkin", args=[links.make_token(released)])
    with clock.frozen(at(DAY0, 19)):
        r = client.post(url, {"client_id": cid(), "temperature": "36.5", "reporter_kind": "self"})
    assert not CheckIn.objects.exists()
    assert r.status_code == 200


def test_certificate_pdf_and_public_verification(login, city_hq, released, cjk_fonts, client):
    r = login(city_hq).get(reverse("observation:certificate", args=[released.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    client.logout()
    r = client.get(reverse("observation:verify", args=[released.certificate_code]))
    assert r.status_code == 200 and released.person.name not in r.text
    assert released.person.name[0] in r.text
    assert client.get(reverse("observation:verify", args=["forged"])).status_code == 404


def test_another_jurisdiction_is_refused_everywhere(login, outsider, period, released, site):
    """A headquarters user of Zhuji sees nothing of Yuecheng: every page is a 404."""
    with clock.frozen(at(DAY0, 22, 30)):
        actions.sweep_missed()
        actions.check_in(period, client_id=cid(), temperature="38.5")
    task = AlertTask.objects.get()
    referral = Referral.objects.get()
    c = login(outsider)
    gets = [
        reverse("observation:period", args=[period.pk]),
        reverse("observation:certificate", args=[released.pk]),
        reverse("observation:site", args=[site.pk]),
    ]
    for url in gets:
        assert c.get(url).status_code == 404, url
    for verb in ("checkin", "exposure", "move", "release", "end", "revoke"):
        url = reverse("observation:period_action", args=[period.pk, verb])
        assert c.post(url, {}).status_code == 404, verb
    assert c.post(reverse("observation:task_done", args=[task.pk])).status_code == 404
    assert c.post(reverse("observation:referral_resolve", args=[referral.pk])).status_code == 404
    assert c.get(reverse("observation:list", args=["open"]), {"site": site.pk}).status_code == 404
    r = c.get(reverse("observation:list", args=["open"]))
    assert period.person.name not in r.text
    assert period.person.name not in c.get(reverse("observation:tasks")).text
    assert "塔山宾馆" not in c.get(reverse("observation:sites")).text
    assert "塔山宾馆" not in c.get(reverse("observation:dashboard")).text
    assert (
        c.post(
            reverse("observation:start"),
            {"person": f"#{period.person.pk}", "reason": "other", "last_exposure": "2020-02-01"},
        ).status_code
        == 200
    )
    grid_z_worker_sees = ObservationPeriod.objects.restrict(outsider).count()
    assert grid_z_worker_sees == 0 and GRID_Z


def test_jurisdiction_counter_and_home_card(login, city_hq, make_user, period, node):
    from fangkong.geo import counters

    yuecheng, zhuji = node("330602"), node(ZHUJI)
    assert counters.total_counts(city_hq, yuecheng)["observation"] == 1
    assert counters.total_counts(city_hq, zhuji)["observation"] == 0
    outsider = make_user("county_hq", ZHUJI)
    assert counters.total_counts(outsider, zhuji)["observation"] == 0
    from fangkong.core import home

    cards = {c["card"].url_name: c["count"] for c in home.cards_for(city_hq)}
    assert cards["observation:dashboard"] == 1
    assert "observation:dashboard" not in {
        c["card"].url_name for c in home.cards_for(make_user("supplies", "3306"))
    }


def test_grid_worker_of_another_grid_is_refused(login, make_user, start):
    with clock.frozen(at(DAY0, 9)):
        home = start(name="孙八")  # at home in GRID_A
    other_grid = make_user("grid_worker", "330602001004G02")
    c = login(other_grid)
    assert c.get(reverse("observation:period", args=[home.pk])).status_code == 404
    assert home.person.name not in c.get(reverse("observation:list", args=["open"])).text
    own = login(make_user("grid_worker", GRID_A))
    assert own.get(reverse("observation:period", args=[home.pk])).status_code == 200


def test_line_list_reads_and_exports_are_audited_and_not_cached(login, city_hq, period):
    """Issue #16 items 2 and 6: who read which list, how many rows; exports not cached."""
    from auditlog.models import LogEntry

    c = login(city_hq)
    with clock.frozen(at(DAY0, 14)):
        c.get(reverse("observation:list", args=["open"]))
        r = c.get(reverse("observation:list", args=["open"]), {"format": "xlsx"})
    assert "no-store" in r["Cache-Control"]
    read = LogEntry.objects.get(changes_text="list:1")
    export = LogEntry.objects.get(changes_text="export:1")
    assert read.actor == city_hq and export.actor == city_hq
    assert export.additional_data["filters"] == {"list": "open"}


def test_start_picks_the_person_by_name_and_shows_who_before_recording(
    login, make_user, make_person
):
    """No person number is typed: the name finds the resident; two of the same name are
    offered with their masked IDs, and nothing is recorded until one is chosen."""
    from tests.idnumbers import rid

    worker = make_user("grid_worker", GRID_A)
    one = make_person("钱七", id_number=rid("330602", "1970-01-01", seq=11))
    two = make_person("钱七", id_number=rid("330602", "1980-05-05", seq=12))
    c = login(worker)
    form = {"reason": "key_area_arrival", "last_exposure": "2020-02-08"}
    with clock.frozen(at(DAY0, 9)):
        page = c.post(reverse("observation:start"), {"person": "钱七", **form})
        text = page.content.decode()
        assert page.status_code == 200 and not ObservationPeriod.objects.exists()
        assert one.id_masked in text and two.id_masked in text
        assert f'value="#{two.pk}"' in text
        done = c.post(reverse("observation:start"), {"person": f"#{two.pk}", **form})
    assert done.status_code == 302
    assert ObservationPeriod.objects.get().person == two
    preselected = c.get(reverse("observation:start"), {"person": one.pk}).content.decode()
    assert one.id_masked in preselected


def test_missed_check_in_cards_offer_an_audited_call(login, site_doctor, site, start, make_person):
    """The phone list of missed check-ins: a person with a phone gets a call button (the
    number is revealed through the audited reveal, as a tel: link); a person without
    one says so instead of a dangling separator."""
    from auditlog.models import LogEntry

    from fangkong.observation import actions as obs

    with clock.frozen(at(DAY0, 13)):
        called = obs.start_period(
            site_doctor,
            make_person("陈静", GRID_A, phone="13912345678"),
            reason="close_contact",
            last_exposure=DAY0,
            room=Room.objects.get(site=site, number="101"),
        )
        start(name="周强", last_exposure=DAY0, room=Room.objects.get(site=site, number="102"))
    with clock.frozen(at(DAY0, 22, 30)):
        actions.sweep_missed()
    c = login(site_doctor)
    page = c.get(reverse("observation:tasks")).text
    call_url = reverse("cockpit:call", args=[called.person_id])
    assert call_url in page and "139****5678" in page and "13912345678" not in page
    assert "未登记手机号码" in page  # 周强 has no phone
    answer = c.post(call_url, HTTP_HX_REQUEST="true").text
    assert 'href="tel:13912345678"' in answer
    assert LogEntry.objects.filter(object_pk=str(called.person_id)).exists()
