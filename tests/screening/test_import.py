"""Importing a messy pushed list: exact counts, idempotency, bad files."""

import csv
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fangkong.people.models import Person
from fangkong.screening import actions
from fangkong.screening.models import (
    AddressAlias,
    ExceptionItem,
    ImportRejection,
    PushedList,
    PushedRow,
    ScreeningSubject,
    ScreeningTask,
)
from tests.conftest import GRID_A, GRID_B, GRID_C, GRID_Z, HUAYUAN, TASHAN
from tests.idnumbers import rid

HEADERS = ["姓名", "身份证号", "手机号", "来源地", "到达日期", "交通方式", "车次航班", "现住址"]
ZHANG = rid("420106", "1980-03-04", 11)
LI = rid("330602", "1975-06-01", 21)
ZHAO = rid("330681", "1990-01-01", 31)
WANG = rid("330602", "1988-08-08", 41)
BAD = ZHANG[:-1] + ("0" if ZHANG[-1] != "0" else "1")
HUAYUAN_ADDR = "绍兴市越城区塔山街道花园社区5幢2单元301室"


def csv_bytes(rows, encoding="gbk"):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADERS)
    w.writerows(rows)
    return buf.getvalue().encode(encoding)


def xlsx_bytes(rows, headers=HEADERS):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


TELECOM_ROWS = [
    ["张三", ZHANG, "13800000001", "湖北省武汉市", "2026-11-28", "火车", "G1234", HUAYUAN_ADDR],
    ["李四", LI, "", "浙江省杭州市", "2026-11-28", "自驾", "浙D12345", HUAYUAN_ADDR],
    ["钱七", BAD, "13800000002", "上海市", "2026-11-28", "", "", HUAYUAN_ADDR],
    ["孙八", "", "", "上海市", "2026-11-28", "", "", HUAYUAN_ADDR],
    [
        "周九",
        "",
        "13800000003",
        "江苏省南京市",
        "2026/11/27",
        "飞机",
        "mu5301",
        "府山街道越都社区8号",
    ],
    ["吴十", WANG, "", "湖北省孝感市", "2026-11-28", "", "", "湖北省武汉市武昌区中南路1号"],
    ["郑一", "", "13800000004", "安徽省", "2026-11-28", "", "", "塔山街道幸福小区3幢"],
    ["张三", ZHANG, "13800000001", "湖北省武汉市", "2026-11-28", "火车", "G1234", HUAYUAN_ADDR],
    ["冯二", "", "13800000005", "河南省", "2026-11-28", "", "", "绍兴市越城区塔山街道不存在路8号"],
    ["陈六", "", "12345", "河南省", "2026-11-28", "", "", HUAYUAN_ADDR],
]
RAIL_ROWS = [
    ["张三", ZHANG, "13800000001", "湖北省武汉市", "2026-11-28", "火车", "G1234", HUAYUAN_ADDR],
    ["赵五", ZHAO, "", "广东省深圳市", "2026-11-28", "火车", "D3101", "诸暨市暨阳街道江东社区12号"],
    ["李四", "", "13900000009", "浙江省杭州市", "2026-11-28", "火车", "K88", ""],
]


@pytest.fixture
def scene(db, make_user, make_source, make_person, node, wuhan_high):
    make_person(name="李四", node_code=GRID_A, id_number=LI, phone="13900000009")
    AddressAlias.objects.create(text="幸福小区", node=node(GRID_B))
    return {
        "hq": make_user("city_hq", "3306"),
        "telecom": make_source("电信推送", "telecom"),
        "rail": make_source("铁路旅客", "rail"),
    }


def test_messy_list_exact_counts(scene, upload, node, upload_dir):
    pushed, started = upload(scene["hq"], scene["telecom"], csv_bytes(TELECOM_ROWS), "电信.csv")
    assert started and pushed.status == "done" and not pushed.stored_as
    assert pushed.counts == {
        "total": 10,
        "accepted": 6,
        "rejected": 3,
        "duplicates": 1,
        "matched": 1,
        "created": 5,
        "by_address": 3,
        "by_alias": 1,
        "by_registry": 0,
        "unmatched": 2,
        "ambiguous": 0,
        "new_subjects": 6,
        "joined_subjects": 0,
        "returning": 0,
        "tasks": 4,
    }
    notes = ImportRejection.objects.filter(pushed_list=pushed)
    reasons = {r.row_no: r.field for r in notes.filter(duplicate=False)}
    assert reasons == {4: "id_number", 5: "id_number", 11: "phone"}
    merged = notes.get(duplicate=True)
    assert merged.row_no == 9 and "2" in merged.reason  # the same as row 2 of this list
    tasks = {
        t.subject.name: t.node.code for t in ScreeningTask.objects.select_related("node", "subject")
    }
    assert tasks == {"张三": HUAYUAN, "李四": GRID_A, "周九": GRID_C, "郑一": GRID_B}
    zhang = ScreeningTask.objects.get(subject__name="张三")
    # R14: one hour from the arrival (not from the import).
    assert zhang.key_area and (zhang.due_at - zhang.subject.arrival_at).total_seconds() == 3600
    li = ScreeningTask.objects.get(subject__name="李四")
    assert not li.key_area and (li.due_at - li.subject.arrival_at).total_seconds() == 24 * 3600
    queues = {e.subject.name: (e.kind, e.node.code) for e in ExceptionItem.objects.all()}
    assert queues == {"吴十": ("unmatched", "3306"), "冯二": ("unmatched", TASHAN)}
    assert not [p for p in upload_dir.iterdir() if p.is_file()]  # the plain file is gone
    row = PushedRow.objects.get(pushed_list=pushed, row_no=6)
    assert row.transport_no == "MU5301" and timezone.localtime(row.arrival_at).day == 27

    rail, _ = upload(scene["hq"], scene["rail"], xlsx_bytes(RAIL_ROWS), "铁路.xlsx")
    assert rail.counts["total"] == 3 and rail.counts["accepted"] == 3
    assert rail.counts["matched"] == 2 and rail.counts["created"] == 1
    assert rail.counts["joined_subjects"] == 2 and rail.counts["tasks"] == 1
    assert ScreeningTask.objects.get(subject__name="赵五").node.code == GRID_Z
    assert Person.objects.filter(name="张三").count() == 1
    assert Person.objects.filter(name="李四").count() == 1
    assert Person.objects.count() == 7 and ScreeningSubject.objects.count() == 7
    zhang_subject = ScreeningSubject.objects.get(name="张三")
    assert zhang_subject.source_list == ["电信推送", "铁路旅客"]
    assert zhang_subject.rows.count() == 2 and zhang_subject.tasks.count() == 1


def test_same_file_twice_imports_nothing_new(scene, upload):
    data = csv_bytes(TELECOM_ROWS)
    first, started = upload(scene["hq"], scene["telecom"], data)
    again, started_again = upload(scene["hq"], scene["telecom"], data)
    assert started and not started_again and again.pk == first.pk
    assert PushedList.objects.count() == 1
    # The same rows re-saved in another encoding: a new file, but no new row.
    resaved, _ = upload(scene["hq"], scene["telecom"], csv_bytes(TELECOM_ROWS, "utf-8-sig"))
    assert resaved.counts["accepted"] == 0 and resaved.counts["duplicates"] == 7
    assert ScreeningTask.objects.count() == 4 and PushedRow.objects.count() == 6


def test_xls_style_numbers_and_saved_mapping(scene, upload, make_source):
    source = make_source(
        "公安推送",
        "police",
        column_map={"name": "XM", "id_number": "SFZH", "phone": "SJH", "address": "DZ"},
    )
    data = xlsx_bytes(
        [["王二", ZHAO, 13800000008, HUAYUAN_ADDR]], headers=["XM", "SFZH", "SJH", "DZ"]
    )
    pushed, _ = upload(scene["hq"], source, data, "police.xlsx")
    assert pushed.counts["accepted"] == 1
    assert PushedRow.objects.get(pushed_list=pushed).phone_masked == "138****0008"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        "名字,地址\n张三,x\n".encode(),
        b"PK\x03\x04broken",
    ],
)
def test_bad_file_gives_a_message_and_imports_nothing(scene, upload, data):
    with pytest.raises(ValidationError) as exc:
        upload(scene["hq"], scene["telecom"], data, "bad.csv")
    assert exc.value.message_dict["file"]
    assert PushedList.objects.count() == 0 and PushedRow.objects.count() == 0


def test_source_of_another_jurisdiction_is_refused(scene, make_user, make_source, upload):
    from django.core.exceptions import PermissionDenied

    zhuji_source = make_source("诸暨推送", code="330681")
    with pytest.raises(PermissionDenied):
        upload(make_user("county_hq", "330602"), zhuji_source, csv_bytes(TELECOM_ROWS))


def test_self_declaration_lands_in_the_same_pipeline(scene):
    outcome = actions.declare(
        {
            "name": "黄一",
            "id_number": rid("420106", "1992-02-02", 51),
            "phone": "13700000001",
            "origin": "湖北省武汉市",
            "arrival_date": "2026-11-28",
            "address": HUAYUAN_ADDR,
        }
    )
    assert outcome.row is not None and outcome.row.pushed_list.source.kind == "self"
    task = ScreeningTask.objects.get(subject__name="黄一")
    assert task.key_area and task.node.code == HUAYUAN
    bad = actions.declare({"name": "黄二", "id_number": BAD})
    assert bad.rejection is not None and bad.rejection.field == "id_number"


def test_arriving_again_after_a_closed_visit_gets_a_new_task(scene, upload, grid_worker):
    from fangkong.core import clock

    first, _ = upload(scene["hq"], scene["telecom"], csv_bytes(TELECOM_ROWS[:2]))
    task = ScreeningTask.objects.get(subject__name="李四")
    actions.record_visit(grid_worker, task, {"outcome": "cleared"})
    later = [["李四", LI, "", "湖北省武汉市", "2099-01-02", "火车", "G9", HUAYUAN_ADDR]]
    import datetime as dt

    with clock.frozen(dt.datetime(2099, 1, 2, 9, tzinfo=dt.UTC)):
        again, _ = upload(scene["hq"], scene["rail"], csv_bytes(later))
    assert again.counts["returning"] == 1 and again.counts["tasks"] == 1
    tasks = ScreeningTask.objects.filter(subject__name="李四").order_by("pk")
    assert [t.status for t in tasks] == ["done", "open"] and tasks[1].key_area


def test_a_failed_list_may_be_sent_again(scene, upload):
    data = csv_bytes(TELECOM_ROWS)
    first, _ = upload(scene["hq"], scene["telecom"], data)
    PushedList.objects.filter(pk=first.pk).update(status="failed")
    again, started = upload(scene["hq"], scene["telecom"], data)
    assert started and again.pk == first.pk and again.status == "done"
    # Rows the first attempt stored are skipped, not imported twice nor counted again.
    assert again.counts["duplicates"] == 1 and ScreeningTask.objects.count() == 4
    assert PushedRow.objects.filter(pushed_list=again).count() == 6
