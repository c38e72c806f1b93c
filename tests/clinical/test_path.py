"""A patient's whole path, the 2-hour clock on a replayed clock, and bad input."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from fangkong.clinical import care, investigation, labimport, samples
from fangkong.clinical.actions import cases as cases_actions
from fangkong.clinical.actions import rulesets, visits
from fangkong.clinical.models import Bed, Case, ClassificationChange, Cluster, Ward
from fangkong.core import clock
from fangkong.core.querysets import system_actor
from fangkong.observation.models import ObservationPeriod
from tests.clinical.conftest import DAY0, at
from tests.reportcards import report_by_card

pytestmark = pytest.mark.django_db


def day(n, hour=10):
    return at(DAY0 + dt.timedelta(days=n), hour)


def _positive(case, user, code, when):
    s = samples.record_sample(user, case, code=code, sample_type="throat_swab", taken_at=when)
    return samples.record_result(user, s, "positive", ct_orf1ab="28.5", result_at=when)


def _to_hospital(case, doctor, ward_doctor, hospital, ward="隔离一病区"):
    t = care.request_transfer(doctor, case, hospital, bed_kind="isolation")
    t = care.assign_bed(ward_doctor, t, Ward.objects.get(facility=hospital, name=ward))
    t = care.depart(doctor, t, vehicle="浙D-120急救")
    return care.arrive(ward_doctor, t)


def test_whole_path_from_fever_clinic_to_post_discharge_observation(
    visit, doctor, doctor2, ward_doctor, hospital
):
    with clock.frozen(day(0, 9)):
        v = visit("周敏")
        assert rulesets.visit_r7(v).proposed == "suspected"
        visits.hand_over(doctor, v, doctor2, "end of shift")
        with pytest.raises(PermissionError):
            visits.dispose(doctor, v, "suspected")  # no longer responsible
        visits.dispose(doctor2, v, "suspected")
        case = Case.objects.get(visit=v)
        assert case.status == "suspected" and case.report_due == day(0, 11)
        report_by_card(doctor2, case)
        with pytest.raises(ValidationError, match="positive nucleic acid"):
            cases_actions.classify(doctor2, case, "confirmed", severity="mild", reason="")
    with clock.frozen(day(0, 15)):
        _positive(case, doctor2, "S-0001", day(0, 14))
        assert cases_actions.proposal(case).proposed == "confirmed"
        cases_actions.classify(doctor2, case, "confirmed", severity="moderate", reason="")
        case.refresh_from_db()
        assert case.confirmed_at == day(0, 15) and case.report_due == day(0, 17)
        assert case.county_first and case.emergency_due == day(0, 17)
    with clock.frozen(day(0, 20)):
        _to_hospital(case, doctor2, ward_doctor, hospital)
        case.refresh_from_db()
        assert case.facility == hospital and case.to_admission == dt.timedelta(hours=5)
        assert Bed.objects.filter(ward__facility=hospital).occupied().count() == 1
        inv = case.investigation
        investigation.add_exposure(
            ward_doctor, inv, {"name": "周父", "relation": "father", "last_contact": "2020-02-02"}
        )
        investigation.complete_investigation(ward_doctor, inv, "family of three, travel")
    for n in range(1, 6):
        with clock.frozen(day(n, 8)):
            care.record_daily(
                ward_doctor,
                case,
                {
                    "max_temperature": "38.1" if n == 1 else "36.6",
                    "symptoms_improved": n >= 4,
                    "imaging_improved": n >= 4,
                },
            )
    with clock.frozen(day(5, 9)):
        for code, h in (("S-0002", day(3, 9)), ("S-0003", day(4, 10))):
            s = samples.record_sample(
                ward_doctor, case, code=code, sample_type="nasal_swab", taken_at=h
            )
            samples.record_result(ward_doctor, s, "negative", result_at=h)
        check = care.discharge_check(case)
        assert check.met, check
        care.discharge(ward_doctor, case)
    case.refresh_from_db()
    assert case.outcome == "discharged"
    assert Bed.objects.filter(ward__facility=hospital).occupied().count() == 0
    period = ObservationPeriod.objects.get(person=case.person, status="active")
    assert period.reason == "post_discharge"
    assert period.planned_end == (DAY0 + dt.timedelta(days=5 + 14))
    history = list(
        ClassificationChange.objects.filter(case=case).values_list("to_status", "outcome")
    )
    assert history == [("suspected", ""), ("confirmed", ""), ("confirmed", "discharged")]


def test_the_two_hour_clock_on_a_replayed_clock(suspected, doctor):
    with clock.frozen(day(0, 9)):
        case = suspected("钱多")
    with clock.frozen(
        day(
            0,
            10,
        )
    ):
        assert Case.objects.report_running(clock.now()).filter(pk=case.pk).exists()
    with clock.frozen(day(0, 11)):
        assert not Case.objects.report_overdue(clock.now()).filter(pk=case.pk).exists()
    with clock.frozen(at(DAY0, 11, 1)):
        assert Case.objects.report_overdue(clock.now()).filter(pk=case.pk).exists()
        report_by_card(doctor, case)
        assert not Case.objects.report_overdue(clock.now()).filter(pk=case.pk).exists()
    case.refresh_from_db()
    from fangkong.clinical import rules

    assert rules.clock_state(case.report_due, case.reported_at, clock.now()) == "late"


def test_a_diagnosis_time_in_the_future_is_refused(visit, doctor):
    with clock.frozen(day(0, 9)):
        v = visit()
        with pytest.raises(ValidationError, match="future"):
            visits.dispose(doctor, v, "suspected", diagnosed_at=day(0, 12))
    v.refresh_from_db()
    assert v.is_open and not Case.objects.exists()  # nothing half-written


def test_discharge_without_r8_is_refused_unless_overridden_with_a_reason(suspected, doctor):
    with clock.frozen(day(0, 9)):
        case = suspected()
        _positive(case, doctor, "S-1", day(0, 9))
        cases_actions.classify(doctor, case, "confirmed", severity="mild", reason="")
        with pytest.raises(ValidationError, match="R8"):
            care.discharge(doctor, case)
        case.refresh_from_db()
        assert (
            case.outcome == "" and not ObservationPeriod.objects.filter(person=case.person).exists()
        )
        care.discharge(doctor, case, override_reason="transferred to Hangzhou on family request")
    change = ClassificationChange.objects.filter(case=case, outcome="discharged").get()
    assert change.override and "Hangzhou" in change.reason and change.criteria["met"] is False


def test_a_transfer_to_a_full_ward_is_refused(suspected, doctor, ward_doctor, hospital):
    with clock.frozen(day(0, 9)):
        first, second = suspected("甲"), suspected("乙")
        _to_hospital(first, doctor, ward_doctor, hospital, ward="ICU")
        t = care.request_transfer(doctor, second, hospital, bed_kind="icu")
        with pytest.raises(ValidationError, match="full"):
            care.assign_bed(ward_doctor, t, Ward.objects.get(facility=hospital, name="ICU"))
    t.refresh_from_db()
    assert t.status == "requested" and t.bed is None


def test_a_lab_result_for_an_unknown_sample_refuses_the_whole_file(suspected, doctor):
    from fangkong.clinical.models import Sample

    with clock.frozen(day(0, 9)):
        case = suspected()
        samples.record_sample(doctor, case, code="S-9", sample_type="sputum")
        data = b"sample_code,result,ct_orf1ab\nS-9,positive,30\nS-404,negative,\n"
        with pytest.raises(ValidationError, match="unknown sample"):
            labimport.import_results(doctor, Sample.objects.all(), "results.csv", data)
        assert Sample.objects.get(code="S-9").result == ""
        n = labimport.import_results(
            doctor, Sample.objects.all(), "r.csv", "sample_code,result\nS-9,阳性\n".encode()
        )
    assert n == 1 and Sample.objects.get(code="S-9").result == "positive"


def test_lab_results_from_an_xlsx_file(suspected, doctor):
    import io

    import openpyxl

    from fangkong.clinical.models import Sample

    with clock.frozen(day(0, 9)):
        case = suspected()
        samples.record_sample(doctor, case, code="X-1", sample_type="sputum")
        book = openpyxl.Workbook()
        book.active.append(["样本编号", "结果", "ct_n"])
        book.active.append(["x-1", "negative", None])
        buf = io.BytesIO()
        book.save(buf)
        assert labimport.import_results(doctor, Sample.objects.all(), "r.xlsx", buf.getvalue()) == 1
    assert Sample.objects.get(code="X-1").result == "negative"


def test_a_visit_closes_only_by_its_doctor_and_a_handover_needs_a_named_doctor(
    visit, doctor, doctor2, zhuji_doctor
):
    with clock.frozen(day(0, 9)):
        v = visit()
        with pytest.raises(PermissionError):
            visits.dispose(doctor2, v, "home")
        with pytest.raises(ValidationError):
            visits.hand_over(doctor, v, zhuji_doctor, "busy")  # not a doctor of this clinic
        with pytest.raises(ValidationError):
            visits.hand_over(doctor, v, doctor2, "")
        visits.dispose(doctor, v, "home", note="follow up by phone")
        with pytest.raises(ValidationError):
            visits.dispose(doctor, v, "home")


def test_observation_referral_is_picked_up_and_resolved(doctor, clinic, make_person):
    from fangkong.observation import actions as observation
    from fangkong.observation.models import Referral

    system = system_actor()
    with clock.frozen(day(0, 9)):
        person = make_person("孙丽")
        period = observation.start_period(
            system, person, reason="close_contact", last_exposure=DAY0
        )
        referral = Referral.objects.create(
            period=period, temperature="38.2", symptoms=["fever"], reason="fever", path=period.path
        )
        v = visits.register_visit(
            doctor,
            clinic,
            person=person,
            observation_referral=referral,
            epi_items=["contact_infected"],
            imaging_pneumonia=True,
        )
        assert str(v.temperature) == "38.2"
        visits.dispose(doctor, v, "suspected")
    referral.refresh_from_db()
    period.refresh_from_db()
    assert referral.status == "admitted" and period.status == "transferred_out"


def test_observation_disposition_starts_an_observation(visit, doctor):
    with clock.frozen(day(0, 9)):
        v = visit(temperature="37.0", epi_items=[], imaging_pneumonia=False)
        visits.dispose(doctor, v, "observation")
    assert ObservationPeriod.objects.filter(person=v.person, status="active").exists()


def test_two_linked_cases_raise_a_cluster_and_five_from_september(suspected, doctor):
    with clock.frozen(day(0, 9)):
        cases = [suspected(n) for n in ("甲", "乙")]
        for i, c in enumerate(cases):
            investigation.set_setting(doctor, c, "塔山街道某小区3幢")
            _positive(c, doctor, f"C-{i}", day(0, 9))
            cases_actions.classify(doctor, c, "confirmed", severity="mild", reason="")
    cluster = Cluster.objects.get()
    assert cluster.cases.count() == 2 and cluster.threshold == 2
    assert cluster.emergency_due == day(0, 11)
    sept = at(dt.date(2020, 9, 10), 9)
    with clock.frozen(sept):
        for i, n in enumerate(("丙", "丁")):
            c = suspected(n)
            investigation.set_setting(doctor, c, "某工厂")
            _positive(c, doctor, f"D-{i}", sept)
            cases_actions.classify(doctor, c, "confirmed", severity="mild", reason="")
    assert Cluster.objects.count() == 1  # 2 < 5 from September 2020


def test_registering_a_new_patient_on_the_spot(doctor, clinic):
    from tests.idnumbers import rid

    number = rid("330602", dt.date(1980, 5, 6))
    with clock.frozen(day(0, 9)):
        v = visits.register_visit(
            doctor,
            clinic,
            id_number=number,
            person_data={"name": "吴刚", "node_code": "330602001004G01"},
            temperature="37.8",
        )
        again = visits.register_visit(doctor, clinic, id_number=number, temperature="36.9")
    assert v.person_id == again.person_id and v.first_doctor == doctor


def test_exposures_go_to_the_registered_consumers(suspected, doctor, monkeypatch):
    from fangkong.clinical import hooks

    received = []
    monkeypatch.setattr(
        hooks, "_exposure_consumers", [lambda inv, exps: received.extend(e.name for e in exps)]
    )
    with clock.frozen(day(0, 9)):
        case = suspected()
        inv = case.investigation
        investigation.add_exposure(doctor, inv, {"name": "同事甲", "last_contact": DAY0})
        assert received == []  # kept and listed until the investigation is complete
        investigation.complete_investigation(doctor, inv, "workplace")
        assert received == ["同事甲"]
        investigation.add_exposure(doctor, inv, {"name": "同事乙", "last_contact": DAY0})
    assert received == ["同事甲", "同事乙"]
    case.refresh_from_db()
    assert case.investigated_at == day(0, 9)
