"""Issue #15, item 2: cases are counted where the patients live. Property: for random
cases whose home differs from the treating facility, the per-node counts (briefing
counts and the risk map's cumulative figures) sum to the city total and match an
independent count by home; a case without a known home counts at the reporting
facility's node and is flagged."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fangkong.briefing import compute, epi, sections
from fangkong.clinical.models import Case, Facility
from fangkong.geo.models import Division
from tests.briefing.conftest import DAY0, at
from tests.conftest import GRID_A, GRID_C, GRID_Z, ZHUJI_VILLAGE

HOMES = [GRID_A, GRID_C, GRID_Z, ZHUJI_VILLAGE, None]  # None: no known home
CUTOFF = at(DAY0, 23, 59)
SINCE = CUTOFF - dt.timedelta(days=1)


@pytest.fixture
def world(db, node, make_person):
    yc = Facility.objects.create(name="越城医院", kind="designated_hospital", node=node("330602"))
    zj = Facility.objects.create(name="诸暨医院", kind="designated_hospital", node=node("330681"))
    person = make_person("病例")
    paths = {code: Division.objects.get(code=code).path for code in HOMES if code}
    return {"facilities": [yc, zj], "person": person, "paths": paths}


def _store(world, rows):
    Case.objects.all().delete()
    for n, (home, facility_no, days_ago) in enumerate(rows):
        facility = world["facilities"][facility_no]
        when = at(DAY0 - dt.timedelta(days=days_ago), 10)
        Case.objects.create(
            number=f"P{n:05d}",
            person=world["person"],
            facility=facility,
            path=facility.path,
            home_path=world["paths"][home] if home else "",
            county="",
            status="confirmed",
            diagnosed_at=when,
            confirmed_at=when,
        )


def _independent(world, rows, prefix):
    """By hand: a case is at its home, else at its treating facility's node."""
    count = 0
    for home, facility_no, _d in rows:
        place = world["paths"][home] if home else world["facilities"][facility_no].path
        count += place.startswith(prefix)
    return count


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(st.sampled_from(HOMES), st.integers(0, 1), st.integers(0, 20)),
        min_size=1,
        max_size=25,
    )
)
def test_counts_by_home_sum_to_the_city_and_match_an_independent_count(world, rows):
    _store(world, rows)
    city = Division.objects.get(code="3306")
    counties = [Division.objects.get(code=c) for c in ("330602", "330681")]
    total, case_rows = sections.cases(city.path, SINCE, CUTOFF)
    assert total["confirmed"]["cumulative"] == len(rows)
    assert total["home_unknown"] == sum(1 for h, _f, _d in rows if h is None)
    per_county = [sections.cases(c.path, SINCE, CUTOFF)[0] for c in counties]
    assert sum(c["confirmed"]["cumulative"] for c in per_county) == len(rows)
    for county, counted in zip(counties, per_county, strict=True):
        assert counted["confirmed"]["cumulative"] == _independent(world, rows, county.path)
    rated = compute._rated(city)
    risk = {r["code"]: r for r in epi.risk_map(case_rows, [], rated, DAY0)}
    for code in ("330602", "330681", "330602001", "330602002", "330681001"):
        path = Division.objects.get(code=code).path
        assert risk[code]["cumulative"] == _independent(world, rows, path)


def test_a_patient_treated_in_another_county_is_counted_at_home(world):
    _store(world, [(GRID_Z, 0, 1), (GRID_Z, 0, 2), (GRID_A, 1, 1)])
    zhuji = Division.objects.get(code="330681")
    yuecheng = Division.objects.get(code="330602")
    assert sections.cases(zhuji.path, SINCE, CUTOFF)[0]["confirmed"]["cumulative"] == 2
    assert sections.cases(yuecheng.path, SINCE, CUTOFF)[0]["confirmed"]["cumulative"] == 1
