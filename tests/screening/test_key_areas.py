"""R14's key areas are the dated risk-area list (riskareas): an arrival is from a key area
when the place it came from was a high-risk area on the day of arrival — not when it
became one later, and not because screening keeps a list of its own. The old rule-set
list is carried into dated designations by migration."""

import datetime as dt
import importlib
from zoneinfo import ZoneInfo

import pytest

from fangkong.core import clock
from fangkong.healthcode.models import HealthCode
from fangkong.riskareas import actions as riskareas
from fangkong.screening.models import ScreeningRules, ScreeningTask
from tests.clinical.test_api import auth
from tests.idnumbers import rid
from tests.screening.test_import import HUAYUAN_ADDR, csv_bytes

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
IMPORTED = dt.datetime(2020, 2, 5, 10, 0, tzinfo=TZ)

ROWS = [
    # Left Wenzhou before it became a high-risk area (1 February): not a key area.
    ["何建", rid("330302", "1979-05-21", 13), "13957700001", "浙江省温州市", "2020-01-29", "自驾", "浙C5K218", HUAYUAN_ADDR],
    # Came after: a key area, whether the place is written as text or as its code.
    ["许敏", rid("330302", "1986-11-02", 24), "13957700002", "温州市鹿城区", "2020-02-03", "大巴", "", HUAYUAN_ADDR],
    ["邵强", rid("330302", "1990-07-15", 35), "13957700003", "330302", "2020-02-03", "火车", "D3135", HUAYUAN_ADDR],
    # Screening's former list named Hubei; with no designation on the list it is no key area.
    ["王芳", rid("420106", "1992-02-02", 46), "13957700004", "湖北省武汉市", "2020-02-04", "飞机", "MU2527", HUAYUAN_ADDR],
]  # fmt: skip


@pytest.fixture
def wenzhou_high(city_hq):
    return riskareas.add_area(
        city_hq,
        {
            "code": "3303",
            "risk": "high",
            "starts_on": "2020-02-01",
            "source": "温州市新型冠状病毒感染的肺炎疫情防控工作领导小组通告，2020-02-01",
        },
    )


def test_key_area_is_the_level_in_force_on_the_day_of_arrival(
    client, city_hq, make_source, upload, wenzhou_high
):
    with clock.frozen(IMPORTED):
        pushed, _ = upload(city_hq, make_source("电信推送", "telecom"), csv_bytes(ROWS))
        assert pushed.counts["tasks"] == 4, pushed.counts
        tasks = {t.subject.name: t for t in ScreeningTask.objects.select_related("subject")}
        assert {n: t.key_area for n, t in tasks.items()} == {
            "何建": False,
            "许敏": True,
            "邵强": True,
            "王芳": False,
        }
        rules = ScreeningRules.in_force(IMPORTED.date())
        for name, hours in (("许敏", rules.key_area_due_hours), ("何建", rules.default_due_hours)):
            task = tasks[name]
            assert task.due_at == task.subject.arrival_at + dt.timedelta(hours=hours)
        # The health code reads a key-area arrival as one from a high-risk area.
        red = set(HealthCode.objects.filter(colour="red").values_list("person__name", flat=True))
        assert red == {"许敏", "邵强"}
        # API and page say the same.
        listed = client.get("/api/v1/screening/tasks", **auth(city_hq)).json()["items"]
        assert {t["subject"]["name"]: t["key_area"] for t in listed}["何建"] is False
        assert {t["subject"]["name"]: t["key_area"] for t in listed}["许敏"] is True
        client.force_login(city_hq)
        key_page = client.get(f"/screening/tasks/{tasks['许敏'].pk}/").content.decode()
        plain_page = client.get(f"/screening/tasks/{tasks['何建'].pk}/").content.decode()
    assert "重点地区" in key_page and "重点地区" not in plain_page


def test_a_lifted_designation_is_no_key_area_afterwards(city_hq, make_source, upload, wenzhou_high):
    riskareas.end_area(city_hq, wenzhou_high, "2020-02-02")
    with clock.frozen(IMPORTED):
        upload(city_hq, make_source("电信推送", "telecom"), csv_bytes(ROWS[1:2]))
    assert not ScreeningTask.objects.get(subject__name="许敏").key_area


# --- the migration of the old list --------------------------------------------------------

MIGRATION = importlib.import_module("fangkong.screening.migrations.0007_key_areas_to_riskareas")


def test_old_key_areas_become_dated_designations_without_overlap():
    from fangkong.geo.models import Division

    resolve, full_name = MIGRATION._areas(Division)
    d = dt.date
    sets = [
        (d(2020, 1, 1), ["湖北", "42"]),  # the shipped default: not carried over
        (d(2020, 2, 1), ["温州", "3303", "湖北", "朝阳区", "火星"]),
        (d(2020, 3, 1), ["湖北"]),
    ]
    taken = {"42": [(d(2020, 1, 24), d(2020, 3, 24))]}  # Hubei, as published
    designations, unknown = MIGRATION.plan(sets, taken, resolve)
    assert designations == [
        # Wenzhou, named by name and by code once, until the set that drops it.
        ("3303", "city", "温州市", d(2020, 2, 1), d(2020, 2, 29), d(2020, 2, 1)),
        # Hubei only on the days the published designation does not cover.
        ("42", "province", "湖北省", d(2020, 3, 25), None, d(2020, 2, 1)),
    ]
    # Two counties are called 朝阳区 (Beijing, Changchun); 火星 is no place: not guessed.
    assert unknown == {d(2020, 2, 1): ["朝阳区", "火星"]}
    assert full_name("330302", "鹿城区") == "浙江省温州市鹿城区"
    assert MIGRATION.plan([(d(2020, 1, 1), ["湖北", "42"])], {}, resolve) == ([], {})


def test_gaps_between_existing_designations():
    d = dt.date
    gaps = MIGRATION._gaps
    taken = [(d(2020, 2, 5), d(2020, 2, 10)), (d(2020, 2, 20), None)]
    assert gaps(d(2020, 2, 1), None, taken) == [
        (d(2020, 2, 1), d(2020, 2, 4)),
        (d(2020, 2, 11), d(2020, 2, 19)),
    ]
    assert gaps(d(2020, 2, 6), d(2020, 2, 8), taken) == []
    assert gaps(d(2020, 1, 1), d(2020, 1, 31), taken) == [(d(2020, 1, 1), d(2020, 1, 31))]
