"""Grids' address keys, aliases, moving village tasks to grids, village uploads, the
import report's fate of every row, and the uploaded file's retention."""

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from fangkong.core import clock
from fangkong.geo.gridkeys import import_grid_keys
from fangkong.geo.models import Division, GridAddressKey
from fangkong.screening import actions, placing
from fangkong.screening.models import (
    AddressAlias,
    ImportRejection,
    PushedList,
    PushedRow,
    ScreeningRules,
    ScreeningTask,
)
from tests.conftest import GRID_A, GRID_B, GRID_C, HUAYUAN, OTHER_TOWN_VILLAGE, TASHAN
from tests.idnumbers import rid
from tests.screening.test_import import xlsx_bytes
from tests.screening.test_views import bearer

KEYS_HEADERS = ["村社区代码", "网格", "类型", "名称", "起始号", "截止号", "备注"]
KEYS = [
    [HUAYUAN, "G01", "小区", "锦绣花园", "", "", "老小区"],
    [HUAYUAN, "G02", "楼幢", "金湖苑", "1", "10", ""],
    [HUAYUAN, "G01", "楼幢", "金湖苑", "11", "20", ""],
    [HUAYUAN, "2", "街路", "解放路", "1", "99", ""],
    [HUAYUAN, "第1网格", "组", "", "1", "3", ""],
]


def table_bytes(headers, rows, encoding="gbk"):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(headers)
    w.writerows(rows)
    return buf.getvalue().encode(encoding)


def dict_rows(headers, rows):
    return [dict(zip(headers, r, strict=True)) for r in rows]


@pytest.fixture
def keyed(db):
    report = import_grid_keys(dict_rows(KEYS_HEADERS, KEYS))
    assert report.ok, report.errors
    return report


def test_grid_keys_import_with_chinese_headers_reports_the_unused_column(keyed):
    assert keyed.keys == 5 and keyed.unused_columns == ["备注"]
    assert GridAddressKey.objects.filter(grid__code=GRID_A).count() == 3
    # The file is the full list of the village's keys: importing again replaces them.
    again = import_grid_keys(dict_rows(KEYS_HEADERS, KEYS[:2]))
    assert again.ok and again.removed == 5
    assert GridAddressKey.objects.count() == 2


def test_an_estate_given_to_two_grids_is_refused_naming_both_lines(db):
    rows = [*KEYS[:1], [HUAYUAN, "G02", "小区", "锦绣花园", "", "", ""]]
    report = import_grid_keys(dict_rows(KEYS_HEADERS, rows))
    assert not report.ok and GridAddressKey.objects.count() == 0
    ((line, reason),) = report.errors
    assert line == 3 and "line 2" in reason and "line 3" in reason and "锦绣花园" in reason
    overlap = [*KEYS[1:2], [HUAYUAN, "G01", "楼幢", "金湖苑", "8", "12", ""]]
    report = import_grid_keys(dict_rows(KEYS_HEADERS, overlap))
    assert not report.ok and "金湖苑" in report.errors[0][1]


def test_bad_key_lines_name_the_field_and_write_nothing(db):
    rows = [
        [HUAYUAN, "G01", "小区", "锦绣花园", "", "", ""],
        ["330602999999", "G01", "小区", "某小区", "", "", ""],
        [HUAYUAN, "G01", "公园", "某公园", "", "", ""],
        [HUAYUAN, "G01", "街路", "解放路", "", "", ""],
    ]
    report = import_grid_keys(dict_rows(KEYS_HEADERS, rows))
    assert [n for n, _r in report.errors] == [3, 4, 5]
    assert "village_code" in report.errors[0][1] and "kind" in report.errors[1][1]
    assert "low" in report.errors[2][1]
    assert GridAddressKey.objects.count() == 0


def test_import_grids_command_reads_a_gbk_keys_file(db, tmp_path, capsys):
    path = tmp_path / "网格地址.csv"
    path.write_bytes(table_bytes(KEYS_HEADERS, KEYS))
    call_command("import_grids", str(path))
    out = capsys.readouterr()
    assert "5 keys" in out.out and "备注" in out.err
    assert GridAddressKey.objects.filter(grid__code=GRID_B, kind="street").exists()


def test_keys_place_rows_in_grids_through_the_import(keyed, scene, upload):
    rows = [
        ["王一", rid("330602", "1950-01-02", 1), "", "塔山街道锦绣花园3幢201室"],
        ["王二", rid("330602", "1951-01-02", 2), "", "越城区塔山金湖苑5幢1单元"],
        ["王三", rid("330602", "1952-01-02", 3), "", "绍兴市塔山街道解放路２１号"],
        ["王四", rid("330602", "1953-01-02", 4), "", "塔山街道花园社区12号"],
        ["王五", rid("330602", "1954-01-02", 5), "", "塔山街道花园社区2组8号"],
    ]
    pushed, _ = upload(scene["hq"], scene["telecom"], table_bytes(HEADERS4, rows))
    placed = {
        r.name: r.node.code
        for r in PushedRow.objects.filter(pushed_list=pushed).select_related("node")
    }
    assert placed == {
        "王一": GRID_A,
        "王二": GRID_B,
        "王三": GRID_B,
        "王四": HUAYUAN,
        "王五": GRID_A,
    }


HEADERS4 = ["姓名", "身份证号", "手机号", "现住址"]


@pytest.fixture
def scene(db, make_user, make_source):
    return {"hq": make_user("city_hq", "3306"), "telecom": make_source("电信推送")}


# --- aliases -------------------------------------------------------------------------


def test_an_alias_that_would_shadow_a_division_name_is_refused(db, make_user, node):
    town = make_user("town_hq", TASHAN)
    with pytest.raises(ValidationError) as exc:
        placing.add_alias(town, "花园社区", node(GRID_A))
    assert "text" in exc.value.message_dict and "花园社区" in str(exc.value)
    with pytest.raises(ValidationError):
        placing.add_alias(town, "越城区", node(GRID_A))
    alias = placing.add_alias(town, "老塔山新村", node(GRID_A))
    assert alias.created_by == town and alias.created_at is not None
    with pytest.raises(PermissionDenied):
        placing.add_alias(town, "别处小区", node(GRID_C))  # a grid of another town
    assert AddressAlias.objects.count() == 1


def test_alias_page_adds_by_picking_the_grid_and_shows_who(client, make_user, node):
    town = make_user("town_hq", TASHAN)
    client.force_login(town)
    page = client.get("/screening/aliases/").content.decode()
    assert 'name="to"' in page and "data-pick-url" in page  # a picker, not thousands of options
    elsewhere = client.post("/screening/aliases/", {"text": "别处新村", "to": GRID_C})
    assert elsewhere.status_code == 200 and not AddressAlias.objects.exists()  # not in the town
    response = client.post("/screening/aliases/", {"text": "老塔山新村", "to": GRID_A})
    assert response.status_code == 302
    page = client.get("/screening/aliases/").content.decode()
    assert "老塔山新村" in page and town.username in page
    refused = client.post("/screening/aliases/", {"text": "塔山街道", "to": GRID_A})
    assert refused.status_code == 200 and "塔山街道" in refused.content.decode()
    outsider = make_user("town_hq", "330602002")
    client.force_login(outsider)
    assert "老塔山新村" not in client.get("/screening/aliases/").content.decode()


def test_alias_api_refuses_a_shadow_and_another_jurisdiction(client, make_user):
    town = bearer(client, make_user("town_hq", TASHAN))
    ok = client.post(
        "/api/v1/screening/aliases",
        {"text": "老塔山新村", "to_code": GRID_A},
        content_type="application/json",
        **town,
    )
    assert ok.status_code == 201 and ok.json()["created_by"]
    shadow = client.post(
        "/api/v1/screening/aliases",
        {"text": "塔山街道", "to_code": GRID_A},
        content_type="application/json",
        **town,
    )
    assert shadow.status_code == 422 and "text" in shadow.content.decode()
    outsider = bearer(client, make_user("town_hq", "330602002"))
    assert client.get("/api/v1/screening/aliases", **outsider).json() == {"items": [], "count": 0}
    other = client.post(
        "/api/v1/screening/aliases",
        {"text": "别处新村", "to_code": GRID_A},
        content_type="application/json",
        **outsider,
    )
    assert other.status_code == 404
    gone = client.delete(f"/api/v1/screening/aliases/{ok.json()['id']}", **outsider)
    assert gone.status_code == 404 and AddressAlias.objects.count() == 1


# --- moving village tasks to grids -----------------------------------------------------


def test_village_staff_move_many_tasks_to_a_grid_by_name(client, make_user, make_task, node):
    staff = make_user("village_staff", HUAYUAN)
    tasks = [make_task(code=HUAYUAN, name=f"李{i}") for i in range(3)]
    elsewhere = make_task(code=OTHER_TOWN_VILLAGE, name="赵一")
    client.force_login(staff)
    page = client.get("/screening/village/").content.decode()
    assert "李0" in page and "赵一" not in page and "第2网格" in page
    response = client.post(
        "/screening/village/", {"task": [t.pk for t in tasks[:2]], "grid": node(GRID_B).pk}
    )
    assert response.status_code == 302
    moved = ScreeningTask.objects.filter(pk__in=[t.pk for t in tasks], node__code=GRID_B)
    assert moved.count() == 2
    with pytest.raises(ValidationError):
        placing.move_tasks(staff, [tasks[2].pk, elsewhere.pk], node(GRID_B))
    with pytest.raises(ValidationError):
        placing.move_tasks(staff, [tasks[2].pk], node(GRID_C))  # a grid of another town
    assert ScreeningTask.objects.get(pk=elsewhere.pk).node.code == OTHER_TOWN_VILLAGE


def test_move_api_refuses_another_village(client, make_user, make_task):
    task = make_task(code=HUAYUAN)
    outsider = bearer(client, make_user("village_staff", OTHER_TOWN_VILLAGE))
    body = {"task_ids": [task.pk], "grid_code": GRID_C}
    response = client.post(
        "/api/v1/screening/task-moves", body, content_type="application/json", **outsider
    )
    assert (
        response.status_code == 422 and ScreeningTask.objects.get(pk=task.pk).node.code == HUAYUAN
    )
    staff = bearer(client, make_user("village_staff", HUAYUAN))
    body["grid_code"] = GRID_A
    response = client.post(
        "/api/v1/screening/task-moves", body, content_type="application/json", **staff
    )
    assert response.json() == {"moved": 1}


# --- who imports -------------------------------------------------------------------------


def test_village_staff_upload_a_list_for_their_area(make_user, make_source, upload):
    staff = make_user("village_staff", HUAYUAN)
    source = make_source("社区摸排", code="3306")
    rows = [["钱一", rid("330602", "1949-05-06", 7), "", "塔山街道花园社区3号"]]
    pushed, started = upload(staff, source, table_bytes(HEADERS4, rows))
    assert (
        started
        and pushed.status == "done"
        and pushed.path == Division.objects.get(code=HUAYUAN).path
    )
    assert PushedList.objects.restrict(staff, "view").filter(pk=pushed.pk).exists()
    worker = make_user("grid_worker", GRID_A)
    with pytest.raises(PermissionDenied):
        actions.upload_list(worker, source, io.BytesIO(b"x"), "x.csv")


# --- the report accounts for every row ----------------------------------------------------

REPORT_HEADERS = [
    "姓名",
    "身份证号",
    "手机号",
    "抵达时间",
    "来源地",
    "途经地",
    "现住址",
    "备注",
    "出生日期",
]
ZHOU = rid("420106", "1938-02-03", 5)  # an elderly arrival


def report_rows():
    rows = [
        [
            "周一",
            ZHOU,
            "13900000001",
            "2026-12-05 08:30",
            "湖北省武汉市",
            "南昌",
            "塔山街道锦绣花园3幢",
            "x",
        ],
        [
            "周一",
            ZHOU,
            "13900000001",
            "2026-12-05 08:30",
            "湖北省武汉市",
            "南昌",
            "塔山街道锦绣花园3幢",
            "",
        ],
        [
            "周二",
            ZHOU,
            "13900000002",
            "2026-12-05 09:00",
            "湖北省武汉市",
            "",
            "塔山街道锦绣花园4幢",
            "",
        ],
        [
            "吴三",
            rid("330602", "1970-01-01", 9),
            "13900000001",
            "",
            "上海市",
            "",
            "塔山街道花园社区1号",
            "",
        ],
        ["郑四", "33060219700101000", "", "", "", "", "塔山街道花园社区2号", ""],
        ["冯五", rid("330602", "1971-01-01", 3), "", "", "", "", "湖北省武汉市武昌区中南路1号", ""],
        ["冯六", rid("330602", "1972-01-01", 3), "", "", "", "", "上海市浦东新区张杨路2号", ""],
        ["蒋七", rid("330602", "1945-07-01", 1), "", "", "", "", "塔山街道花园社区3号", ""],
    ]
    births = [""] * 7 + ["1945-08-01"]  # the last one's birth date is not the ID's
    return [[*r, b] for r, b in zip(rows, births, strict=True)]


def test_every_row_appears_once_in_the_report_page_and_xlsx(keyed, scene, upload, client):
    pushed, _ = upload(
        scene["hq"], scene["telecom"], table_bytes(REPORT_HEADERS, report_rows()), "推送.csv"
    )
    assert pushed.unused_columns == ["备注"]
    client.force_login(scene["hq"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/screening/lists/{pushed.pk}/").content.decode()
    assert "备注" in page
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/screening/lists/{pushed.pk}/report.xlsx").content)
    )
    sheet = book.worksheets[1]
    lines = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sorted(r[0] for r in lines) == list(range(2, 10))  # rows 2–9, each once
    fate = {r[0]: r for r in lines}
    assert fate[3][4] == "Merged" and "row 2" in fate[3][5]
    assert "another name" in (fate[4][8] or "")  # the same ID under another name, shown
    assert "another resident ID" in (fate[5][8] or "")  # the phone of another ID
    assert fate[6][4] == "Rejected" and "id_number" in fate[6][5]
    for n in (7, 8):  # outside the city: queued with the reason, nothing placed
        assert fate[n][4] == "Queued" and "no place in the city" in fate[n][5]
    assert fate[2][4] == "Placed" and fate[2][7] == "2026-12-05 08:30"  # Asia/Shanghai
    assert "birth date" in (fate[9][8] or "")
    uploaded = dict(book.worksheets[0].iter_rows(values_only=True))["Uploaded"]
    assert uploaded == timezone.localtime(pushed.created_at).strftime("%Y-%m-%d %H:%M")
    for n in range(2, 10):
        assert page.count(f'<td data-label="Row">{n}</td>') == 1
    api = client.get(
        f"/api/v1/screening/lists/{pushed.pk}/report", **bearer(client, scene["hq"])
    ).json()
    assert sorted(r["row_no"] for r in api["rows"]) == list(range(2, 10))
    subject = PushedRow.objects.get(pushed_list=pushed, row_no=2).subject
    assert subject.itinerary == "南昌" and subject.arrival_at.hour == 0  # 08:30 Shanghai


def test_arrival_header_starts_the_r14_clock(keyed, scene, upload, wuhan_high):
    pushed, _ = upload(
        scene["hq"], scene["telecom"], table_bytes(REPORT_HEADERS, report_rows()[:1])
    )
    task = ScreeningTask.objects.get(subject__name="周一")
    arrival = timezone.make_aware(dt.datetime(2026, 12, 5, 8, 30))
    assert task.subject.arrival_at == arrival and task.due_at == arrival + dt.timedelta(hours=1)


# --- retention ----------------------------------------------------------------------------


def broken_pipeline(monkeypatch):
    from fangkong.screening import importing

    def explode(self, items):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing.Pipeline, "batch", explode)


def test_a_failed_import_keeps_the_file_only_for_the_rules_hours(
    scene, upload, upload_dir, monkeypatch, client, django_capture_on_commit_callbacks
):
    ScreeningRules.objects.update_or_create(
        effective_from=clock.today(), defaults={"upload_keep_hours": 2}
    )
    broken_pipeline(monkeypatch)
    upload(scene["hq"], scene["telecom"], table_bytes(HEADERS4, [["王一", ZHOU, "", "x"]]))
    pushed = PushedList.objects.get()
    assert pushed.status == "failed" and "RuntimeError" in pushed.message
    assert Path(pushed.stored_as).exists() and pushed.keep_until is not None
    monkeypatch.undo()
    client.force_login(scene["hq"])
    assert "rerun" in client.get(f"/screening/lists/{pushed.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/screening/lists/{pushed.pk}/rerun/")
    assert response.status_code == 302
    pushed.refresh_from_db()
    assert pushed.status == "done" and not pushed.stored_as and not any(upload_dir.iterdir())
    assert PushedRow.objects.filter(pushed_list=pushed).count() == 1
    # Another failure: after the kept time the file is gone and a re-run is refused.
    broken_pipeline(monkeypatch)
    upload(scene["hq"], scene["telecom"], table_bytes(HEADERS4, [["王二", ZHOU, "", "y"]]))
    failed = PushedList.objects.get(status="failed")
    monkeypatch.undo()
    with clock.frozen(clock.now() + dt.timedelta(hours=3)):
        assert actions.purge_uploads() == 1
        with pytest.raises(ValidationError) as exc:
            actions.rerun_import(scene["hq"], failed)
    assert list(exc.value.message_dict) == ["file"]  # "the file is no longer kept; upload…"
    assert not any(upload_dir.iterdir())


def test_with_no_keeping_time_a_failed_file_is_deleted_at_once(
    scene, upload, upload_dir, monkeypatch
):
    ScreeningRules.objects.update_or_create(
        effective_from=clock.today(), defaults={"upload_keep_hours": 0}
    )
    broken_pipeline(monkeypatch)
    upload(scene["hq"], scene["telecom"], table_bytes(HEADERS4, [["王一", ZHOU, "", "x"]]))
    pushed = PushedList.objects.get()
    assert pushed.status == "failed" and not pushed.stored_as
    assert not any(upload_dir.iterdir())
    done, _ = upload(
        scene["hq"], scene["telecom"], table_bytes(HEADERS4, [["王二", ZHOU, "", "x"]])
    )
    assert not any(upload_dir.iterdir())  # a successful import leaves nothing either
    assert ImportRejection.objects.filter(pushed_list=done).count() == 0


# --- the grid keys page and API -------------------------------------------------------------


def xlsx_keys(rows, headers=KEYS_HEADERS):
    return io.BytesIO(xlsx_bytes(rows, headers))


def test_grid_keys_page_imports_an_xlsx_for_the_towns_villages_only(client, make_user, upload_dir):
    town = make_user("town_hq", TASHAN)
    client.force_login(town)
    data = xlsx_keys(KEYS)
    data.name = "网格地址.xlsx"
    page = client.post("/screening/grid-keys/", {"file": data}).content.decode()
    assert "锦绣花园" in page and "备注" in page
    assert GridAddressKey.objects.filter(created_by=town).count() == 5
    outside = xlsx_keys([[OTHER_TOWN_VILLAGE, "G01", "小区", "别处花园", "", "", ""]])
    outside.name = "别处.xlsx"
    page = client.post("/screening/grid-keys/", {"file": outside}).content.decode()
    assert (
        OTHER_TOWN_VILLAGE in page and not GridAddressKey.objects.filter(text="别处花园").exists()
    )
    assert not any(upload_dir.iterdir())  # the uploaded files are gone
    other_town = make_user("town_hq", "330602002")
    client.force_login(other_town)
    assert "锦绣花园" not in client.get("/screening/grid-keys/").content.decode()
    staff = make_user("village_staff", HUAYUAN)
    client.force_login(staff)
    assert "锦绣花园" in client.get("/screening/grid-keys/").content.decode()
    again = xlsx_keys(KEYS)
    again.name = "k.xlsx"
    assert client.post("/screening/grid-keys/", {"file": again}).status_code == 403


def test_grid_keys_api_refuses_two_grids_for_one_estate(client, make_user):
    town = bearer(client, make_user("town_hq", TASHAN))
    rows = [*KEYS[:1], [HUAYUAN, "G02", "小区", "锦绣花园", "", "", ""]]
    body = io.BytesIO(table_bytes(KEYS_HEADERS, rows))
    body.name = "keys.csv"
    response = client.post("/api/v1/screening/grid-keys", {"file": body}, **town)
    report = response.json()
    assert response.status_code == 200 and not report["ok"]
    assert report["errors"][0]["line"] == 3 and "第 2 行" in report["errors"][0]["reason"]
    good = io.BytesIO(table_bytes(KEYS_HEADERS, KEYS))
    good.name = "keys.csv"
    assert client.post("/api/v1/screening/grid-keys", {"file": good}, **town).json()["keys"] == 5
    listed = client.get(f"/api/v1/screening/grid-keys?village_code={HUAYUAN}", **town).json()
    assert listed["count"] == 5 and len(listed["items"]) == 5
    outsider = bearer(client, make_user("town_hq", "330602002"))
    assert client.get("/api/v1/screening/grid-keys", **outsider).json()["count"] == 0


def test_village_page_refuses_other_villages_tasks(client, make_user, make_task):
    task = make_task(code=HUAYUAN, name="李甲")
    outsider = make_user("village_staff", OTHER_TOWN_VILLAGE)
    client.force_login(outsider)
    assert "李甲" not in client.get("/screening/village/").content.decode()
    grid_c = Division.objects.get(code=GRID_C)
    response = client.post("/screening/village/", {"task": [task.pk], "grid": grid_c.pk})
    assert (
        response.status_code == 200 and ScreeningTask.objects.get(pk=task.pk).node.code == HUAYUAN
    )
    client.force_login(make_user("grid_worker", GRID_A))
    assert client.get("/screening/village/").status_code == 200  # workers see, may not move


def test_a_list_all_outside_the_city_is_all_queued_with_the_reason(
    scene, upload, make_person, client
):
    known = rid("330602", "1944-04-04", 3)
    make_person(name="钱老太", id_number=known, node_code=GRID_A)  # registered in a grid
    rows = [
        ["钱老太", known, "", "湖北省武汉市武昌区中南路1号"],
        ["李一", rid("420106", "1980-01-01", 5), "", "上海市浦东新区张杨路2号"],
        ["李二", rid("420106", "1981-01-01", 7), "", "江苏省南京市鼓楼区中山路3号"],
    ]
    pushed, _ = upload(scene["hq"], scene["telecom"], table_bytes(HEADERS4, rows))
    stored = PushedRow.objects.filter(pushed_list=pushed)
    assert stored.count() == 3 and set(stored.values_list("placement", flat=True)) == {"exception"}
    assert all(r.queue_reason for r in stored)
    assert not ScreeningTask.objects.filter(subject__rows__pushed_list=pushed).exists()
    assert pushed.counts["tasks"] == 0 and pushed.counts["unmatched"] == 3


def test_a_tie_is_queued_at_the_town_and_assigned_by_name(scene, upload, make_user, client):
    from fangkong.screening.models import ExceptionItem

    rows = [["林一", rid("330683", "1950-02-02", 4), "", "嵊州市浦口街道浦口社区12号"]]
    upload(scene["hq"], scene["telecom"], table_bytes(HEADERS4, rows))
    item = ExceptionItem.objects.get(subject__name="林一")
    assert item.node.name == "浦口街道" and item.kind == "ambiguous"
    assert "浦口居委会" in item.candidates and "浦口社区" in item.candidates
    client.force_login(make_user("town_hq", item.node.code))
    page = client.get(f"/screening/exceptions/{item.pk}/assign/").content.decode()
    options = page[page.index('name="to_code"') :].split("</option>")
    assert {"浦口居委会", "浦口社区"} <= {o.rsplit(">", 1)[-1] for o in options[:2]}  # first
    candidate = Division.objects.get(name="浦口居委会")
    response = client.post(f"/screening/exceptions/{item.pk}/assign/", {"to_code": candidate.code})
    assert response.status_code == 302
    assert ScreeningTask.objects.get(subject__name="林一").node == candidate


def test_rerun_is_refused_to_another_jurisdiction(scene, upload, make_user, client, monkeypatch):
    broken_pipeline(monkeypatch)
    upload(scene["hq"], scene["telecom"], table_bytes(HEADERS4, [["王一", ZHOU, "", "x"]]))
    monkeypatch.undo()
    pushed = PushedList.objects.get(status="failed")
    outsider = make_user("county_hq", "330681")
    client.force_login(outsider)
    assert client.post(f"/screening/lists/{pushed.pk}/rerun/").status_code == 404
    headers = bearer(client, outsider)
    assert client.post(f"/api/v1/screening/lists/{pushed.pk}/rerun", **headers).status_code == 404
    assert client.get(f"/api/v1/screening/lists/{pushed.pk}/report", **headers).status_code == 404
    pushed.refresh_from_db()
    assert pushed.status == "failed" and Path(pushed.stored_as).exists()
