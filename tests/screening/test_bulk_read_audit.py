"""Issue #16 item 2: every read of a list of screening records — today's visits, the
village's and hand-over lists, exceptions, the import report, on pages, API pages beyond
the first and exports — leaves one audit entry with who, which filters and how many rows,
as the person lists do."""

import pytest
from auditlog.models import LogEntry

from tests.conftest import GRID_A, HUAYUAN
from tests.screening.test_import import TELECOM_ROWS, csv_bytes
from tests.screening.test_views import bearer

pytestmark = pytest.mark.django_db


def list_reads(label: str) -> list[LogEntry]:
    app, model = label.split(".")
    return list(
        LogEntry.objects.filter(
            object_pk="*", content_type__app_label=app, content_type__model=model
        ).order_by("pk")
    )


@pytest.fixture
def tasks(make_task):
    return [
        make_task(code=GRID_A, name=name, hours=hours)
        for name, hours in (("王建国", 4), ("李秀英", 10), ("张丽华", 20))
    ]


def test_today_page_leaves_one_entry_with_the_row_count(client, make_user, tasks):
    worker = make_user("grid_worker", GRID_A)
    client.force_login(worker)
    assert client.get("/screening/today/").status_code == 200
    [entry] = list_reads("screening.screeningtask")
    assert entry.actor == worker
    assert entry.changes_text == "list:3"
    assert entry.additional_data["filters"] == {"list": "today"}
    assert entry.additional_data["path"] == worker.node.path


def test_api_task_pages_each_leave_an_entry(client, make_user, tasks):
    worker = make_user("grid_worker", GRID_A)
    h = bearer(client, worker)
    first = client.get("/api/v1/screening/tasks?size=2", **h).json()
    assert len(first["items"]) == 2 and first["next_after"]
    second = client.get(f"/api/v1/screening/tasks?size=2&after={first['next_after']}", **h)
    assert len(second.json()["items"]) == 1
    entries = list_reads("screening.screeningtask")
    assert [e.changes_text for e in entries] == ["list:2", "list:1"]
    assert entries[1].additional_data["filters"]["after"] == first["next_after"]
    assert entries[1].additional_data["filters"]["api"] is True
    assert {e.actor for e in entries} == {worker}


def test_village_and_handover_lists_are_audited(client, make_user, make_task):
    make_task(code=HUAYUAN, name="赵海燕")
    staff = make_user("village_staff", HUAYUAN)
    client.force_login(staff)
    assert client.get("/screening/village/").status_code == 200
    assert client.get("/screening/handovers/").status_code == 200
    entries = list_reads("screening.screeningtask")
    assert [(e.additional_data["filters"]["list"], e.changes_text) for e in entries] == [
        ("village", "list:1"),
        ("handovers", "list:0"),
    ]


def test_import_report_pages_api_and_export_are_audited(client, make_user, make_source, upload):
    county = make_user("county_hq", "330602")
    pushed, _ = upload(county, make_source("电信推送", code="330602"), csv_bytes(TELECOM_ROWS))
    rows = len(TELECOM_ROWS)
    client.force_login(county)
    assert client.get(f"/screening/lists/{pushed.pk}/").status_code == 200
    assert client.get(f"/screening/lists/{pushed.pk}/report.xlsx").status_code == 200
    h = bearer(client, county)
    assert client.get(f"/api/v1/screening/lists/{pushed.pk}/report", **h).status_code == 200
    entries = list_reads("screening.pushedrow")
    assert [e.additional_data["what"] for e in entries] == ["list", "export", "list"]
    assert all(e.additional_data["filters"]["list"] == pushed.pk for e in entries)
    # every row of the file, placed, queued, merged or rejected, counts once
    assert [e.changes_text for e in entries] == [f"list:{rows}", f"export:{rows}", f"list:{rows}"]
    assert entries[2].additional_data["filters"]["api"] is True


def test_exceptions_page_and_api_are_audited(client, make_user, make_source, upload):
    county = make_user("county_hq", "330602")
    upload(county, make_source("电信推送", code="330602"), csv_bytes(TELECOM_ROWS))
    town = make_user("town_hq", "330602001")
    client.force_login(town)
    page = client.get("/screening/exceptions/")
    shown = len(page.context["items"])
    assert shown >= 1
    client.get("/api/v1/screening/exceptions", **bearer(client, town))
    entries = list_reads("screening.exceptionitem")
    assert [e.changes_text for e in entries] == [f"list:{shown}", f"list:{shown}"]
