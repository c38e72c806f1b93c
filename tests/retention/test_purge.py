"""Purpose-bound retention (issue #16, item 8): the daily purge deletes scans and
location days past their period, erases the personal fields of observation and
screening records closed long enough, keeps the figures, and audits counts only."""

import datetime as dt
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command

from fangkong.observation.models import CheckIn, ObservationPeriod
from fangkong.retention.models import RetentionRules
from fangkong.retention.purge import run_purge
from fangkong.screening import actions as screening
from fangkong.screening.models import ScreeningSubject, Visit
from fangkong.tracing.models import Scan, Venue
from tests.conftest import GRID_A

TZ = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2020, 4, 30)


def days_ago(n: int) -> dt.datetime:
    return dt.datetime.combine(TODAY - dt.timedelta(days=n), dt.time(10), tzinfo=TZ)


@pytest.fixture
def scans(db, node, make_person):
    venue = Venue.objects.create(name="菜场", kind="market", node=node(GRID_A), path="")
    person = make_person("扫码人", node_code=GRID_A)
    for n in (40, 29, 27, 1):
        Scan.objects.create(
            venue=venue, person=person, client_id=uuid.uuid4(), scanned_at=days_ago(n), path=""
        )


def checkin(period, when, text):
    return CheckIn.objects.create(
        period=period,
        client_id=uuid.uuid4(),
        taken_at=when,
        local_date=when.date(),
        window="morning",
        temperature=Decimal("37.6"),
        symptoms=["cough"],
        other_symptom=text,
        febrile=True,
        symptomatic=True,
        reporter_kind="self",
        path=period.path,
    )


def test_scans_older_than_the_period_are_deleted(scans):
    counts = run_purge(TODAY)
    assert counts["scans_deleted"] == 2
    left = sorted((TODAY - s.scanned_at.astimezone(TZ).date()).days for s in Scan.objects.all())
    assert left == [1, 27]


def test_a_dated_rule_set_changes_the_period(scans):
    RetentionRules.objects.create(effective_from=dt.date(2020, 4, 1), scan_days=14)
    assert run_purge(TODAY)["scans_deleted"] == 3


def test_closed_observation_loses_personal_fields_and_keeps_figures(start):
    released, active = start("李娜"), start("王芳")
    checkin(released, days_ago(50), "嗓子痛，住在塔山路1号")
    checkin(active, days_ago(50), "咳嗽")
    ObservationPeriod.objects.filter(pk=released.pk).update(
        status="released", ended_at=days_ago(31)
    )
    counts = run_purge(TODAY)
    assert counts["checkins_erased"] == 1 and counts["observation_periods"] == 1
    erased = CheckIn.objects.get(period=released)
    assert erased.other_symptom == "" and erased.symptoms == []
    assert erased.febrile and erased.symptomatic and erased.temperature == Decimal("37.6")
    assert CheckIn.objects.get(period=active).other_symptom == "咳嗽"
    assert run_purge(TODAY)["checkins_erased"] == 0  # nothing twice


def test_a_recently_released_period_is_kept(start):
    period = start("李娜")
    checkin(period, days_ago(20), "头痛")
    ObservationPeriod.objects.filter(pk=period.pk).update(status="released", ended_at=days_ago(5))
    assert run_purge(TODAY)["checkins_erased"] == 0


def test_cleared_screening_subject_is_erased_open_one_kept(make_task, grid_worker):
    cleared = make_task(name="赵六", id_number="330602194811111231", phone="13812345678")
    still_open = make_task(name="钱七")
    visit, _new = screening.record_visit(
        grid_worker,
        cleared,
        {"identity_checked": True, "outcome": "cleared", "notes": "住在3楼", "itinerary": "武汉"},
    )
    Visit.objects.filter(pk=visit.pk).update(visited_at=days_ago(40))
    cleared.__class__.objects.filter(pk=cleared.pk).update(visited_at=days_ago(40))
    counts = run_purge(TODAY)
    assert counts["screening_subjects_erased"] == 1 and counts["visits_erased"] == 1
    subject = ScreeningSubject.objects.get(pk=cleared.subject_id)
    assert (subject.name, subject.id_masked, subject.phone_masked, subject.address) == (
        "",
        "",
        "",
        "",
    )
    visit.refresh_from_db()
    assert visit.notes == "" and visit.itinerary == "" and visit.outcome == "cleared"
    assert ScreeningSubject.objects.get(pk=still_open.subject_id).name == "钱七"


def test_location_days_past_the_period_are_deleted(db, settings, tmp_path):
    settings.FANGKONG_COMPANIONS_DIR = str(tmp_path)
    for n in (60, 29, 28, 3):
        day = TODAY - dt.timedelta(days=n)
        folder = tmp_path / "demo" / "stays" / f"day={day.isoformat()}"
        folder.mkdir(parents=True)
        (folder / "part-0.parquet").write_bytes(b"PAR1")
    assert run_purge(TODAY)["location_days_deleted"] == 2
    left = sorted(p.name for p in (tmp_path / "demo" / "stays").iterdir())
    assert left == [f"day={TODAY - dt.timedelta(days=n)}" for n in (28, 3)]


def test_the_purge_is_audited_with_counts_not_contents(scans, capsys):
    call_command("purge_retention", "--day", TODAY.isoformat())
    assert "scans_deleted: 2" in capsys.readouterr().out
    entry = LogEntry.objects.get(additional_data__what="purge")
    assert entry.additional_data["counts"]["scans_deleted"] == 2
    assert "扫码人" not in str(entry.additional_data) + entry.changes_text
