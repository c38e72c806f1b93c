"""Issue #15 for cases: a classification is a fact through the registry; confirming a
case (or classifying an asymptomatic infection) opens its tracing index case once, with
onset and source; the health code is red at once; the case keeps its home apart from
the treating facility."""

import datetime as dt

import pytest

from fangkong.clinical.actions import cases, visits
from fangkong.clinical.models import Case
from fangkong.core import facts
from fangkong.healthcode.models import HealthCode
from fangkong.tracing.models import IndexCase
from tests.clinical.conftest import DAY0, positive
from tests.conftest import GRID_Z
from tests.factlog import told

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def test_confirming_opens_the_index_case_once_with_onset_and_source(suspected, doctor):
    case = suspected()
    Case.objects.filter(pk=case.pk).update(
        onset_date=DAY0 - dt.timedelta(days=3), source="imported", source_note="武汉"
    )
    case.refresh_from_db()
    positive(doctor, case)
    with told() as log:
        cases.classify(doctor, case, "confirmed", severity="mild", reason="核酸阳性")
    assert (facts.CASE, [case.person_id]) in log
    index = IndexCase.objects.get(case_id=case.pk)
    assert index.onset_date == DAY0 - dt.timedelta(days=3)
    assert "武汉" in index.source and index.person_id == case.person_id
    # a change of severity is a new fact but not a second index case
    cases.classify(doctor, case, "confirmed", severity="severe", reason="加重")
    assert IndexCase.objects.filter(person_id=case.person_id).count() == 1
    # and the code turned red in the same transaction (no commit has run)
    assert HealthCode.objects.get(person_id=case.person_id).colour == "red"


def test_an_asymptomatic_infection_opens_an_index_case_from_its_specimen(suspected, doctor):
    case = suspected("无症状")
    positive(doctor, case)
    cases.classify(doctor, case, "asymptomatic", reason="核酸阳性，无症状")
    index = IndexCase.objects.get(case_id=case.pk)
    assert index.asymptomatic and index.onset_date is None and index.specimen_date is not None


def test_a_suspected_case_is_a_fact_but_not_yet_an_index_case(suspected):
    with told() as log:
        case = suspected("疑似")
    assert (facts.CASE, [case.person_id]) in log
    assert not IndexCase.objects.filter(person_id=case.person_id).exists()


def test_home_is_the_registry_node_and_the_facility_is_apart(clinic, doctor, make_person):
    """A patient living in Zhuji treated in Yuecheng: placed in Zhuji, treated in Yuecheng."""
    from tests.clinical.conftest import FEVERISH

    person = make_person("诸暨病人", GRID_Z)
    v = visits.register_visit(doctor, clinic, person=person, **FEVERISH)
    visits.dispose(doctor, v, "suspected")
    case = Case.objects.get(person=person)
    assert case.home_path == person.path and case.home_path.startswith("3306/330681/")
    assert case.path == clinic.path and case.path.startswith("3306/330602/")
    assert case.county == "330681"


def test_closing_a_case_is_a_fact(suspected, doctor):
    from fangkong.clinical import care

    case = suspected("危重")
    positive(doctor, case)
    cases.classify(doctor, case, "confirmed", severity="critical", reason="核酸阳性")
    with told() as log:
        care.record_death(doctor, case, cause="呼吸衰竭")
    assert (facts.CASE, [case.person_id]) in log
