"""Pages: they render for the clinic, the hospital and headquarters; a user of
another jurisdiction (or another clinic) gets a 404 on every record page and action."""

import datetime as dt

import pytest

from fangkong.clinical import samples
from fangkong.clinical.models import Case, ClinicVisit, Sample
from fangkong.core import clock
from tests.clinical.conftest import DAY0, NOW
from tests.conftest import ZHUJI

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def login(client, user):
    client.force_login(user)
    return client


def test_board_shows_patients_clocks_and_beds_to_clinic_and_hq(
    client, suspected, doctor, hospital, city_hq
):
    case = suspected("冯军")
    for user in (doctor, city_hq):
        r = login(client, user).get("/clinical/")
        assert r.status_code == 200
        assert case.number in r.content.decode()
        assert 'data-state="running"' in r.content.decode()
    with clock.frozen(NOW + dt.timedelta(hours=3)):
        r = client.get("/clinical/")
        assert 'data-state="overdue"' in r.content.decode()


def test_a_clinic_sees_its_own_patients_hq_its_subtree(
    client, suspected, make_user, clinic, system_user, node, city_hq
):
    from fangkong.clinical import care

    case = suspected("冯军")
    other_clinic = care.create_facility(
        system_user, name="另一发热门诊", kind="fever_clinic", node=node("330602")
    )
    other_doctor = make_user("medical", "330602")
    other_clinic.staff.add(other_doctor)
    assert not Case.objects.restrict(other_doctor).filter(pk=case.pk).exists()
    assert login(client, other_doctor).get(f"/clinical/cases/{case.pk}/").status_code == 404
    assert Case.objects.restrict(city_hq).filter(pk=case.pk).exists()
    county_hq = make_user("county_hq", "330602")
    assert Case.objects.restrict(county_hq).filter(pk=case.pk).exists()
    zhuji_hq = make_user("county_hq", ZHUJI)
    assert not Case.objects.restrict(zhuji_hq).filter(pk=case.pk).exists()
    assert login(client, zhuji_hq).get(f"/clinical/cases/{case.pk}/").status_code == 404


def test_register_a_visit_through_the_page(client, doctor, clinic, make_person):
    person = make_person("韩梅")
    from fangkong.core import crypto  # noqa: F401
    from tests.idnumbers import rid

    number = rid("330602", dt.date(1990, 1, 2), 77)
    r = login(client, doctor).post(
        "/clinical/visits/new/",
        {
            "facility": clinic.pk,
            "id_number": number,
            "name": "新病人",
            "node_code": "330602001004G01",
            "temperature": "38.5",
            "symptoms": ["cough"],
            "epi_items": ["travel"],
            "imaging_pneumonia": "on",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    visit = ClinicVisit.objects.get()
    assert visit.first_doctor == doctor and visit.person.name == "新病人"
    page = client.get(r["Location"]).content.decode()
    assert 'id="proposed"' in page
    r = client.post(f"/clinical/visits/{visit.pk}/dispose/", {"disposition": "suspected"})
    case = Case.objects.get(visit=visit)
    assert r["Location"] == f"/clinical/cases/{case.pk}/"
    assert client.get(r["Location"]).status_code == 200
    assert person.pk != visit.person_id


def test_lists_render_and_are_scoped(client, suspected, doctor, zhuji_doctor, hospital):
    case = suspected("冯军")
    samples.record_sample(doctor, case, code="V-1", sample_type="throat_swab")
    for url in ("/clinical/facilities/", "/clinical/clusters/", "/clinical/lab/", "/clinical/"):
        assert login(client, doctor).get(url).status_code == 200
        page = login(client, zhuji_doctor).get(url).content.decode()
        assert "V-1" not in page and case.number not in page and hospital.name not in page


def test_lab_import_page_refuses_unknown_samples(client, suspected, doctor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = suspected()
    samples.record_sample(doctor, case, code="V-2", sample_type="throat_swab")
    upload = SimpleUploadedFile("r.csv", b"sample_code,result\nV-2,positive\nNOPE,negative\n")
    r = login(client, doctor).post("/clinical/lab/", {"file": upload})
    assert "NOPE" in r.content.decode() and Sample.objects.get(code="V-2").result == ""


def test_grid_worker_may_not_see_the_board(client, grid_worker):
    assert login(client, grid_worker).get("/clinical/").status_code == 403


def test_home_card_and_counter(client, suspected, city_hq):
    suspected()
    page = login(client, city_hq).get("/").content.decode()
    assert "/clinical/" in page
    r = client.get("/geo/")
    assert r.status_code in (200, 302)


def test_a_screening_referral_is_received_at_the_clinic(client, doctor, clinic, make_person):
    from fangkong.screening.models import ScreeningSubject, ScreeningTask

    person = make_person("严峻")
    subject = ScreeningSubject.objects.create(
        person=person, name=person.name, node=person.node, path=person.path, placement="home"
    )
    task = ScreeningTask.objects.create(
        subject=subject,
        node=person.node,
        path=person.path,
        due_at=NOW,
        status="done",
        outcome="fever_clinic",
        handover="pending",
    )
    board = login(client, doctor).get("/clinical/").content.decode()
    assert f"?task={task.pk}" in board
    r = client.post(
        f"/clinical/visits/new/?task={task.pk}",
        {"facility": clinic.pk, "task_id": task.pk, "temperature": "37.9"},
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    visit = ClinicVisit.objects.get()
    assert visit.person_id == person.pk and visit.screening_task_id == task.pk
    assert f"?task={task.pk}" not in client.get("/clinical/").content.decode()


def test_overdue_clocks_are_visible_to_the_level_above(client, suspected, make_user):
    case = suspected("冯军")
    county_hq = make_user("county_hq", "330602")
    zhuji_hq = make_user("county_hq", ZHUJI)
    with clock.frozen(NOW + dt.timedelta(hours=3)):
        page = login(client, county_hq).get("/clinical/").content.decode()
        assert case.number in page.split('id="overdue"')[1].split("</div>\n</div>")[0]
        assert case.number not in login(client, zhuji_hq).get("/clinical/").content.decode()


def test_jurisdiction_browser_counts_patients_in_care(suspected, city_hq, node):
    from fangkong.geo import counters

    suspected()
    city = node("3306")
    counts = counters.child_counts(city_hq, city, list(city.children.all()))
    assert counts["clinical"]["330602"] == 1 and counts["clinical"]["330681"] == 0


def test_a_resident_treated_in_another_county_is_seen_from_home_and_the_sender_keeps_the_transfer(
    client, make_user, make_person, system_user, node, hospital
):
    from fangkong.clinical import care
    from fangkong.clinical.actions import visits
    from fangkong.clinical.models import Transfer

    keqiao = care.create_facility(
        system_user, name="柯桥发热门诊", kind="fever_clinic", node=node("330603")
    )
    kq_doctor = make_user("medical", "330603")
    keqiao.staff.add(kq_doctor)
    person = make_person("柯桥人", node_code="330603001008")
    v = visits.register_visit(
        kq_doctor,
        keqiao,
        person=person,
        temperature="38.5",
        symptoms=["cough"],
        epi_items=["travel"],
        imaging_pneumonia=True,
    )
    visits.dispose(kq_doctor, v, "suspected")
    case = Case.objects.get(visit=v)
    t = care.request_transfer(kq_doctor, case, hospital, bed_kind="isolation")
    assert Transfer.objects.restrict(kq_doctor).filter(pk=t.pk).exists()
    yc_doctor = make_user("medical", "330602")
    hospital.staff.add(yc_doctor)
    assert Transfer.objects.restrict(yc_doctor).filter(pk=t.pk).exists()
    ward = hospital.wards.get(kind="isolation")
    care.arrive(yc_doctor, care.depart(kq_doctor, care.assign_bed(yc_doctor, t, ward), vehicle="x"))
    kq_hq = make_user("county_hq", "330603")
    assert Case.objects.restrict(kq_hq).filter(pk=case.pk).exists()  # the patient's home county
    assert Case.objects.restrict(yc_doctor).filter(pk=case.pk).exists()  # the treating hospital
    assert login(client, kq_hq).get(f"/clinical/cases/{case.pk}/").status_code == 200
    zhuji_hq = make_user("county_hq", ZHUJI)
    assert login(client, zhuji_hq).get(f"/clinical/cases/{case.pk}/").status_code == 404


def test_headquarters_adds_a_dated_rule_set_others_may_not(client, city_hq, make_user, grid_worker):
    from fangkong.clinical.models import ClinicalRules

    data = {
        "effective_from": "2020-03-01",
        "r7_min_epi": 1,
        "r7_min_clinical_with_epi": 2,
        "r7_min_clinical_without_epi": 3,
        "fever_threshold": "37.3",
        "r8_normal_days": 3,
        "r8_negative_tests": 2,
        "r8_test_gap_hours": 24,
        "r9_report_hours": 2,
        "r9_investigation_hours": 24,
        "r9_emergency_hours": 2,
        "r10_cluster_threshold": 3,
        "r10_window_days": 14,
        "onset_max_days": 21,
        "note": "test",
    }
    county = make_user("county_hq", "330602")
    assert login(client, county).get("/clinical/rules/").status_code == 200
    assert client.post("/clinical/rules/", data).status_code == 403
    assert login(client, grid_worker).get("/clinical/rules/").status_code == 403
    r = login(client, city_hq).post("/clinical/rules/", data)
    assert r.status_code == 302
    saved = ClinicalRules.objects.get(effective_from=dt.date(2020, 3, 1))
    assert saved.r10_cluster_threshold == 3 and saved.onset_max_days == 21  # every field kept
    assert saved.created_by == city_hq  # the author is kept, as for every rule set
    from fangkong.clinical.actions import rulesets

    assert rulesets.rules_in_force(dt.date(2020, 3, 5)).r10_cluster_threshold == 3
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:  # a set in force is history
        rulesets.save_rules(city_hq, {"effective_from": dt.date(2020, 1, 1)})
    assert "effective_from" in refused.value.message_dict


def test_case_page_pages_every_day_of_clinical_status(client, suspected, doctor, monkeypatch):
    """The daily status and the exposures are paged with their totals (were the last 30)."""
    from fangkong.clinical import care, investigation
    from fangkong.clinical.models import Investigation
    from fangkong.core import listing as lists
    from tests.core.test_list_pages import total

    case = suspected("周敏")
    for n in range(5):
        day = (DAY0 - dt.timedelta(days=n)).isoformat()
        care.record_daily(doctor, case, {"day": day, "max_temperature": "36.6", "severity": "mild"})
    inv, _ = Investigation.objects.get_or_create(case=case, defaults={"path": case.path})
    for n in range(3):
        investigation.add_exposure(
            doctor,
            inv,
            {"name": f"接触{n}", "relation": "friend", "last_contact": DAY0.isoformat()},
        )
    monkeypatch.setattr(lists, "PER_PAGE", 2)
    html = login(client, doctor).get(case.get_absolute_url()).content.decode()
    daily = html.index('id="daily"')
    assert total(html, daily) == 5 and "dpage=2" in html and "第 1 / 3 页" in html
    assert total(html, html.index('id="exposures"')) == 3 and "epage=2" in html
    last = client.get(case.get_absolute_url(), {"dpage": 3}).content.decode()
    assert "第 3 / 3 页" in last and total(last, last.index('id="daily"')) == 5
    assert 'data-label="最高体温"' in last  # a labelled card on a phone
