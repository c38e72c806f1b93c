"""A fever-clinic doctor on a phone registers a visit, sees R7 propose a suspected
case, disposes of it as one, records a positive test and confirms the class."""

import datetime as dt

import pytest

from fangkong.core.querysets import system_actor
from tests.conftest import GRID_A, YUECHENG
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clinical_rules(django_db_blocker):
    """Transactional tests flush the database: put back the seeded clinical rules."""
    import importlib

    from django.apps import apps

    importlib.import_module("fangkong.clinical.migrations.0002_seed_rules").seed(apps, None)


def test_clinic_doctor_registers_a_visit_and_classifies_a_suspected_case(
    live_server, phone, make_user, make_person, node, clinical_rules
):
    from fangkong.clinical import care
    from fangkong.clinical.models import Case, ClinicVisit
    from tests.idnumbers import rid

    system = system_actor()
    clinic = care.create_facility(
        system, name="越城区人民医院发热门诊", kind="fever_clinic", node=node(YUECHENG)
    )
    doctor = make_user("medical", YUECHENG, username="doc", display_name="王医生")
    clinic.staff.add(doctor)
    number = rid("330602", dt.date(1985, 3, 4), 321)
    person = make_person("郑芳", node_code=GRID_A, id_number=number)

    sign_in(phone, live_server.url, "doc")
    phone.goto(f"{live_server.url}/clinical/")
    phone.click("#new-visit")
    phone.fill("#id_id_number", number)
    phone.fill("#id_temperature", "38.6")
    phone.check("input[name=symptoms][value=cough]")
    phone.check("input[name=epi_items][value=travel]")
    phone.check("#id_imaging_pneumonia")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.click("#visit-form button[type=submit]")
    phone.wait_for_selector("#proposed")
    visit = ClinicVisit.objects.get()
    assert visit.person_id == person.pk and visit.first_doctor_id == doctor.pk
    assert visit.responsible_doctor_id == doctor.pk
    assert "r7" in phone.content() and phone.locator("#r7 code").count() == 3

    phone.select_option("#dispose-form #id_disposition", "suspected")
    phone.click("#dispose-form button")
    phone.wait_for_selector("#classify-form")
    case = Case.objects.get(visit=visit)
    assert case.status == "suspected"
    assert phone.locator("[data-clock=report]").get_attribute("data-state") == "running"

    phone.fill("#id_code", "SX-0001")
    phone.click("#sample-form button")
    phone.wait_for_selector("#samples select[name=result]")
    phone.select_option("#samples select[name=result]", "positive")
    phone.click("#samples button")
    phone.wait_for_selector("#classify-form")
    assert phone.locator("#id_status").input_value() == "confirmed"  # R7 proposes it
    phone.select_option("#id_severity", "moderate")
    phone.click("#classify-form button")
    phone.wait_for_selector("#history")
    case.refresh_from_db()
    assert (case.status, case.severity) == ("confirmed", "moderate")
    assert phone.locator("#history tbody tr").count() == 2
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
