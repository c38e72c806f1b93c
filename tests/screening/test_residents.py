"""A list of residents loaded into the registry: a GBK sheet as a village or a bureau
writes it, every row placed by its address as residents write it, every row's fate
reported by the row number the official sees."""

import csv

import pytest
from django.core.management import call_command

from fangkong.geo.models import Division
from fangkong.people.models import Person
from fangkong.screening.residents import load_residents
from tests.conftest import ZHUJI
from tests.idnumbers import rid

ELDER = rid("330621", "1938-04-02", 21)  # 绍兴县, abolished in 2013: valid under R21
HEADERS = ["序号", "姓名", "身份证号码", "联系电话", "性别", "出生日期", "现住址", "户籍地", "职业"]


def write(path, rows, encoding="gbk"):
    with path.open("w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADERS)
        for n, row in enumerate(rows, start=1):
            w.writerow([n, *row])
    return path


def sheet(path):
    return write(
        path,
        [
            # 2: the everyday village name with town and county, no city
            ["俞宝根", ELDER, "", "", "", "诸暨市店口镇俞姚村3组15号", "绍兴县", "农民"],
            # 3: the everyday name alone, a phone and no ID, sex and birth as written
            ["王 秀英", "", "138 0000 0001", "女", "1960/5/3", "俞姚村7组2号", "", "退休"],
            # 4: the same ID again, further down the list
            ["俞宝根", ELDER, "", "", "", "俞姚村3组15号", "", ""],
            # 5: a check digit mistyped
            ["张伟", "330681198001011234", "", "", "", "俞姚村1号", "", ""],
            # 6: an address in Yuecheng, another county
            ["李明", rid("330602", "1985-06-01", 31), "", "", "", "越城区塔山街道花园社区", "", ""],
            # 7: an address outside the city
            [
                "赵四",
                rid("420106", "1990-01-01", 41),
                "",
                "",
                "",
                "湖北省武汉市武昌区中南路5号",
                "",
                "",
            ],
            # 8: a sex no one writes
            ["钱五", rid("330681", "1975-02-02", 51), "", "未知", "", "俞姚村8号", "", ""],
            # 9: a line with only its serial number is skipped, not counted
            ["", "", "", "", "", "", "", ""],
            # 10: no name
            ["", rid("330681", "1976-03-03", 61), "", "", "", "俞姚村9号", "", ""],
        ],
    )


@pytest.fixture
def zhuji(db):
    return Division.objects.get(code=ZHUJI)


def test_every_row_is_placed_by_its_address_or_refused_by_row_field_and_reason(zhuji, tmp_path):
    loaded = load_residents(sheet(tmp_path / "户籍.csv"), zhuji, workers=1)
    assert loaded.total == 8 and loaded.registered == 2
    assert [(row, field) for row, field, _why in loaded.refused] == [
        (4, "id_number"),
        (5, "id_number"),
        (6, "address"),
        (7, "address"),
        (8, "sex"),
        (10, "name"),
    ]
    reasons = {row: why for row, _field, why in loaded.refused}
    assert "越城区 › 塔山街道 › 花园社区" in reasons[6]  # the place found, outside the area
    assert loaded.unused_columns == ["序号"]
    village = Division.objects.get(code="330681104279")  # 俞姚村委会
    elder = Person.objects.with_resident_id(ELDER).get()
    assert (elder.node_id, elder.sex, str(elder.birth_date)) == (village.pk, "M", "1938-04-02")
    assert (elder.registered_residence, elder.occupation) == ("绍兴县", "农民")
    wang = Person.objects.get(name="王秀英")
    assert (wang.node_id, wang.sex, str(wang.birth_date)) == (village.pk, "F", "1960-05-03")
    assert wang.reveal("phone") == "13800000001" and wang.id_masked == ""


def test_a_second_run_refuses_what_the_first_stored(zhuji, tmp_path):
    path = sheet(tmp_path / "户籍.csv")
    load_residents(path, zhuji, workers=1)
    again = load_residents(path, zhuji, workers=1)
    assert again.registered == 0
    refused = [(row, field) for row, field, _why in again.refused]
    assert (2, "id_number") in refused
    assert (3, "phone") in refused  # 王秀英 has no ID: known by her name and phone
    assert Person.objects.with_resident_id(ELDER).count() == 1
    assert Person.objects.filter(name="王秀英").count() == 1


def test_the_command_reports_each_refused_row_as_file_row_field_reason(zhuji, tmp_path, capsys):
    path = sheet(tmp_path / "户籍.csv")
    call_command("load_residents", str(path), "--under", ZHUJI, "--workers", "1")
    out, err = capsys.readouterr()
    assert "8" in out and "2" in out
    lines = err.splitlines()
    assert f"{path}:6: 现住址: " in "\n".join(lines)  # the file's own header
    assert sum(1 for line in lines if line.startswith(f"{path}:")) == 6 + 1  # + the column


def test_a_sheet_without_a_name_column_is_refused_whole(zhuji, tmp_path):
    from fangkong.screening.reading import FileError

    path = tmp_path / "x.csv"
    path.write_text("身份证号码,现住址\n", encoding="utf-8")
    with pytest.raises(FileError):
        load_residents(path, zhuji, workers=1)
    with pytest.raises(Exception, match="name"):
        call_command("load_residents", str(path), "--under", ZHUJI)


def test_rows_without_an_id_are_one_person_by_name_and_phone(zhuji, tmp_path):
    path = write(
        tmp_path / "survey.csv",
        [
            ["王秀英", "", "13800000001", "女", "", "俞姚村7组2号", "", ""],
            ["王 秀英", "", "+86 138-0000-0001", "女", "", "俞姚村7组2号", "", ""],
            ["王秀英", "", "13800000002", "女", "", "俞姚村7组3号", "", ""],  # another phone
        ],
        encoding="utf-8",
    )
    loaded = load_residents(path, zhuji, workers=1)
    assert loaded.registered == 2
    assert [(row, field) for row, field, _why in loaded.refused] == [(3, "phone")]


def upload(path):
    import io

    body = io.BytesIO(path.read_bytes())
    body.name = path.name
    return body


def village_sheet(path):
    return write(
        path,
        [
            [
                "陈阿大",
                rid("330602", "1948-09-09", 71),
                "",
                "",
                "",
                "塔山街道花园社区5幢3单元",
                "",
                "",
            ],
            ["陈小妹", "", "13800000009", "女", "2001-1-2", "花园社区5幢3单元", "", ""],
            ["俞宝根", ELDER, "", "", "", "诸暨市店口镇俞姚村3组15号", "", ""],
        ],
    )


def test_village_staff_register_their_residents_on_the_page_and_see_every_refused_row(
    client, village_staff, tmp_path, upload_dir
):
    from tests.conftest import HUAYUAN

    client.force_login(village_staff)
    form = client.get("/screening/residents/").content.decode()
    assert "花园社区" in form and "身份证号" in form
    page = client.post(
        "/screening/residents/", {"file": upload(village_sheet(tmp_path / "户.csv"))}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "共 3 行：登记 2 人，未登记 1 行" in text
    assert "诸暨市 › 店口镇 › 俞姚村委会 不在本辖区内" in text and "现住址" in text
    village = Division.objects.get(code=HUAYUAN)
    assert set(Person.objects.values_list("name", "node_id")) == {
        ("陈阿大", village.pk),
        ("陈小妹", village.pk),
    }
    assert not any(upload_dir.iterdir())  # the uploaded file is gone
    assert "/screening/residents/" in client.get("/people/").content.decode()
    # The load is in the audit log, by whom and how many: the bulk write has no per-person
    # entries.
    from auditlog.models import LogEntry
    from django.utils import translation

    from fangkong.core import audit

    entry = LogEntry.objects.get(object_pk="*", action=LogEntry.Action.CREATE)
    assert entry.actor == village_staff and entry.additional_data["path"] == village.path
    with translation.override("zh-hans"):
        assert audit.describe(entry) == "从 3 行的名单中新建 2 条"


def test_a_grid_worker_places_the_residents_of_their_village_address_in_their_grid(
    client, grid_worker, tmp_path, upload_dir
):
    client.force_login(grid_worker)
    client.post("/screening/residents/", {"file": upload(village_sheet(tmp_path / "户.csv"))})
    assert set(Person.objects.values_list("node_id", flat=True)) == {grid_worker.node_id}


def test_the_api_answers_every_row_and_refuses_a_list_too_long_or_a_role_without_the_right(
    client, village_staff, make_user, tmp_path, upload_dir, auth, monkeypatch
):
    from fangkong.screening import residents

    headers = auth(village_staff)
    sheet_path = village_sheet(tmp_path / "户.csv")
    answer = client.post("/api/v1/screening/residents", {"file": upload(sheet_path)}, **headers)
    body = answer.json()
    assert answer.status_code == 200 and (body["total"], body["registered"]) == (3, 2)
    assert [(r["row"], r["field"], r["column"]) for r in body["refused"]] == [
        (4, "address", "现住址")
    ]
    assert body["unused_columns"] == ["序号"]
    monkeypatch.setattr(residents, "ONLINE_ROWS", 2)
    longer = client.post("/api/v1/screening/residents", {"file": upload(sheet_path)}, **headers)
    assert longer.status_code == 422 and "file" in str(longer.json())
    assert Person.objects.count() == 2
    reader = make_user("discipline", "3306")
    refused = client.post(
        "/api/v1/screening/residents", {"file": upload(sheet_path)}, **auth(reader)
    )
    assert refused.status_code == 403
    client.force_login(reader)
    assert client.get("/screening/residents/").status_code == 403
    assert not any(upload_dir.iterdir())
