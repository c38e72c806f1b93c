"""Fixtures: a Yuecheng fever clinic and designated hospital with wards and doctors,
a Zhuji clinic for the jurisdiction refusals, and a clock."""

import datetime as dt

import pytest

from tests.conftest import YUECHENG, ZHUJI
from tests.kit import FEVERISH, TZ, at  # noqa: F401  (their tests import them from here)

DAY0 = dt.date(2020, 2, 3)


@pytest.fixture
def clinic(db, system_user, node):
    from fangkong.clinical import care

    return care.create_facility(
        system_user, name="越城区人民医院发热门诊", kind="fever_clinic", node=node(YUECHENG)
    )


@pytest.fixture
def hospital(db, system_user, node):
    from fangkong.clinical import care

    h = care.create_facility(
        system_user, name="绍兴市第六人民医院", kind="designated_hospital", node=node(YUECHENG)
    )
    care.add_ward(system_user, h, name="隔离一病区", kind="isolation", beds=2)
    care.add_ward(system_user, h, name="ICU", kind="icu", beds=1)
    return h


@pytest.fixture
def doctor(make_user, clinic):
    return on_staff(clinic, make_user("medical", YUECHENG, display_name="王医生"))


@pytest.fixture
def doctor2(make_user, clinic):
    return on_staff(clinic, make_user("medical", YUECHENG, display_name="李医生"))


@pytest.fixture
def ward_doctor(make_user, hospital):
    return on_staff(hospital, make_user("medical", YUECHENG, display_name="赵医生"))


def on_staff(facility, user):
    """`user`, now on the staff of `facility`."""
    facility.staff.add(user)
    return user


@pytest.fixture
def zhuji_clinic(db, system_user, node):
    from fangkong.clinical import care

    return care.create_facility(
        system_user, name="诸暨市人民医院发热门诊", kind="fever_clinic", node=node(ZHUJI)
    )


@pytest.fixture
def zhuji_doctor(make_user, zhuji_clinic):
    return on_staff(zhuji_clinic, make_user("medical", ZHUJI))


NOW = at(DAY0, 10)


@pytest.fixture
def frozen():
    """The clock at DAY0 10:00 for the test."""
    from fangkong.core import clock

    with clock.frozen(NOW):
        yield


def positive(doctor, case):
    """A throat swab of the case, positive (Ct 26)."""
    from fangkong.clinical import samples

    s = samples.record_sample(doctor, case, code=f"P-{case.pk}", sample_type="throat_swab")
    samples.record_result(doctor, s, "positive", ct_orf1ab="26.0")


@pytest.fixture
def visit(doctor, clinic, make_person):
    """visit(name=…, **findings) → an open visit of a new person with the doctor."""
    from fangkong.clinical.actions import visits

    def make(name="陈静", **findings):
        person = make_person(name)
        return visits.register_visit(doctor, clinic, person=person, **{**FEVERISH, **findings})

    return make


@pytest.fixture
def suspected(visit, doctor):
    """suspected(name=…) → a suspected case opened by the doctor."""
    from fangkong.clinical.actions import visits as visits_actions

    def make(name="陈静", **kw):
        v = visit(name)
        visits_actions.dispose(doctor, v, "suspected", **kw)
        v.refresh_from_db()
        return v.case

    return make
