"""The risk-area list: import as announced (CSV in GBK, XLSX), refused row by row with
the reason (unknown code, overlapping periods of the same area, bad date); the level
in force on a day, inherited from the enclosing area; pages and API kept by
headquarters only."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fangkong.riskareas import actions, rules
from fangkong.riskareas.models import RiskArea
from fangkong.riskareas.seed import seed_2020
from fangkong.screening.reading import FileError

CSV = (
    "区划代码,地区名称,风险等级,开始日期,结束日期,来源\n"
    "110106,丰台区,中风险,2020/6/13,2020-7-20,北京市新冠肺炎疫情防控工作领导小组 2020-06-13\n"
    "110106,丰台区,高风险,2020-06-20,,重复\n"
    "999999,不存在,高,2020-06-13,,某通告\n"
    "110105,朝阳区,中,2020年6月15日,,\n"
    "110102,西城区,低,2020-06-15,,某通告\n"
    "110108,海淀区,中,2020-06-31,,某通告\n"
)


@pytest.fixture
def hq(make_user):
    return make_user("city_hq", "3306")


def test_gbk_csv_refused_row_by_row(hq):
    upload = SimpleUploadedFile("风险地区.csv", CSV.encode("gbk"))
    report = actions.import_file(hq, upload, default_source="")
    assert [a.code for a in report.added] == ["110106"]
    reasons = dict(report.refused)
    assert set(reasons) == {3, 4, 5, 6, 7}
    assert "overlaps" in reasons[3]
    assert "999999" in reasons[4]
    assert "source" in reasons[5]  # no source in the row and none for the file
    assert "risk" in reasons[6]  # 低 is not a designation
    assert "not a date" in reasons[7]
    assert RiskArea.objects.count() == 1
    area = RiskArea.objects.get()
    assert area.name == "北京市丰台区" and area.starts_on == dt.date(2020, 6, 13)


def test_xlsx_with_a_default_source(hq):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["区划代码", "风险等级", "开始日期"])
    ws.append(["420000", "高", dt.datetime(2020, 1, 24)])
    ws.append([330602, "中", "2020-02-01"])
    out = io.BytesIO()
    wb.save(out)
    upload = SimpleUploadedFile("list.xlsx", out.getvalue())
    report = actions.import_file(hq, upload, default_source="省指挥部通告")
    assert not report.refused, report.refused
    assert sorted(a.code for a in report.added) == ["330602", "42"]


def test_a_file_without_the_needed_columns_is_refused(hq):
    with pytest.raises(FileError):
        actions.import_file(hq, SimpleUploadedFile("x.csv", "姓名,电话\n张三,1\n".encode()))


def test_level_on_a_day_reads_the_list_in_force_and_the_enclosing_area(db):
    seed_2020()
    assert rules.level_on("420106", dt.date(2020, 1, 22)) == ""  # before the lockdown
    assert rules.level_on("420106", dt.date(2020, 2, 10)) == "high"  # Wuhan (city)
    assert rules.level_on("420500", dt.date(2020, 2, 10)) == "high"  # Yichang (province)
    assert rules.level_on("4205", dt.date(2020, 3, 30)) == ""  # Hubei outside Wuhan lifted
    assert rules.level_on("4201", dt.date(2020, 4, 7)) == "high"  # last day in force
    assert rules.level_on("4201", dt.date(2020, 4, 8)) == ""
    assert seed_2020() == 0  # idempotent


def test_only_headquarters_keep_the_list(make_user, client):
    grid = make_user("grid_worker", "330602001004G01")
    with pytest.raises(PermissionError):
        actions.add_area(grid, {"code": "42", "risk": "high", "starts_on": "2020-01-24"})
    client.force_login(grid)
    assert client.get("/riskareas/").status_code == 200  # everyone reads it
    r = client.post(
        "/riskareas/",
        {"form": "add", "code": "42", "risk": "high", "starts_on": "2020-01-24", "source": "x"},
    )
    assert r.status_code == 403 and not RiskArea.objects.exists()


def test_api_add_end_and_level(hq, client):
    from fangkong.accounts.models import ApiToken
    from fangkong.core import clock

    raw = ApiToken.new_raw()
    ApiToken.objects.create(
        user=hq, digest=ApiToken.hash(raw), expires_at=clock.now() + dt.timedelta(days=30)
    )
    h = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    body = {"code": "4201", "risk": "high", "starts_on": "2020-01-23", "source": "通告第1号"}
    r = client.post("/api/v1/riskareas/", body, content_type="application/json", **h)
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    again = client.post(
        "/api/v1/riskareas/",
        {**body, "starts_on": "2020-03-01"},
        content_type="application/json",
        **h,
    )
    assert again.status_code == 422 and again.json()["detail"][0]["loc"] == ["body", "starts_on"]
    r = client.post(
        f"/api/v1/riskareas/{pk}/end",
        {"ends_on": "2020-04-07"},
        content_type="application/json",
        **h,
    )
    assert r.json()["ends_on"] == "2020-04-07"
    r = client.get("/api/v1/riskareas/level", {"code": "420106", "on": "2020-02-10"}, **h)
    assert r.json()["risk"] == "high" and r.json()["name"] == "湖北省武汉市武昌区"
    bad = client.post(
        "/api/v1/riskareas/",
        {**body, "code": "4299"},
        content_type="application/json",
        **h,
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "code"]


def test_recorded_arrival_without_a_level_reads_the_list_on_the_arrival_day(make_person, hq):
    from django.core.exceptions import ValidationError

    from fangkong.core import clock
    from fangkong.healthcode.actions import record_arrival
    from tests.selfservice.conftest import at

    seed_2020()
    person = make_person("孙丽")
    with clock.frozen(at(dt.date(2020, 2, 12))):
        arrival = record_arrival(hq, person, origin="湖北武汉", arrived_on=dt.date(2020, 2, 10))
        assert arrival.risk_level == "high"
    with clock.frozen(at(dt.date(2020, 4, 20))):
        with pytest.raises(ValidationError) as refused:
            record_arrival(hq, person, origin="武汉市", arrived_on=dt.date(2020, 4, 15))
        assert "risk_level" in refused.value.message_dict
        assert rules.level_for_text("湖北宜昌", dt.date(2020, 3, 20)) == "high"
        assert rules.level_for_text("湖北宜昌", dt.date(2020, 3, 25)) == ""


def test_page_import_reports_refused_rows_and_lift(hq, client):
    client.force_login(hq)
    upload = SimpleUploadedFile("风险地区.csv", CSV.encode("gbk"))
    r = client.post("/riskareas/", {"form": "import", "file": upload, "source": ""})
    page = r.content.decode()
    assert r.status_code == 200 and "第 4 行" in page and "999999" in page
    area = RiskArea.objects.get()
    r = client.post(f"/riskareas/{area.pk}/end/", {"ends_on": "2020-06-01"})
    assert r.status_code == 422  # before it started
    r = client.post(f"/riskareas/{area.pk}/end/", {"ends_on": "2020-07-01"})
    assert r.status_code == 302
    area.refresh_from_db()
    assert area.ends_on == dt.date(2020, 7, 1)
    shown = client.get("/riskareas/", {"on": "2020-06-20"}).content.decode()
    assert "北京市丰台区" in shown
    assert (
        "北京市丰台区"
        not in client.get("/riskareas/", {"on": "2020-07-02"}).content.decode().split("<h2>")[0]
    )


def test_demo_step_seeds_the_2020_designations(db):
    from fangkong.riskareas.seed import demo_step

    assert "2 designations" in demo_step(1)
    assert set(RiskArea.objects.values_list("code", flat=True)) == {"42", "4201"}
    assert all(a.source for a in RiskArea.objects.all())
