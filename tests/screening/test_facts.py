"""Issue #15 for screening: a visit's outcome and a key-area arrival named on a pushed
list are person-level facts told to the registry; the health code follows at once."""

import pytest

from fangkong.core import facts
from fangkong.healthcode.models import HealthCode
from fangkong.screening import actions
from fangkong.screening.models import ScreeningSubject
from tests.factlog import told
from tests.screening.test_import import TELECOM_ROWS, csv_bytes
from tests.screening.test_tasks import VISIT

pytestmark = pytest.mark.django_db


def test_a_visit_outcome_is_a_fact(make_task, grid_worker):
    task = make_task(key_area=True)
    with told() as log:
        actions.record_visit(grid_worker, task, {**VISIT, "outcome": "cleared"})
    assert (facts.SCREENING, [task.subject.person_id]) in log


def test_key_area_arrivals_of_an_import_reach_the_code(make_user, make_source, upload, wuhan_high):
    hq = make_user("city_hq", "3306")
    with told() as log:
        upload(hq, make_source("电信推送", "telecom"), csv_bytes(TELECOM_ROWS), "电信.csv")
    key = set(ScreeningSubject.objects.filter(key_area=True).values_list("person_id", flat=True))
    assert key
    told_ids = {p for f, ids in log if f == facts.ARRIVAL for p in ids}
    assert key <= told_ids
    assert set(HealthCode.objects.filter(person_id__in=key).values_list("colour", flat=True)) == {
        "red"
    }
