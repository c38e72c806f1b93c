"""The national report card: a case's card matches a hand-checked example field by
field; a new class is a revision, an exclusion a deletion; the 2-hour clock closes on
the acknowledgement of the exported card only; exports are audited and masked for
roles that may not see identities; another jurisdiction is refused."""

import csv
import datetime as dt
import io
from xml.etree import ElementTree as ET

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fangkong.clinical import investigation, samples
from fangkong.clinical.actions import cases, visits
from fangkong.core import clock
from tests.clinical.conftest import FEVERISH, TZ
from tests.conftest import GRID_A
from tests.exchange.conftest import HUAYUAN_ADDR
from tests.idnumbers import rid

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2020, 2, 3, 10, 20, tzinfo=TZ)
T1 = dt.datetime(2020, 2, 4, 9, 5, tzinfo=TZ)
ID = rid("330602", "1985-06-15", 128)  # even sequence: a woman


def rows(content: bytes) -> list[dict[str, str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel opens it as UTF-8
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.fixture
def case(doctor, clinic, make_person):
    """陈静, a primary-school teacher of Huayuan community, suspected at T0 at the
    Yuecheng fever clinic by 王医生, onset on 1 February."""
    person = make_person(
        "陈静",
        id_number=ID,
        phone="139 5751 2345",
        address=HUAYUAN_ADDR,
        occupation="小学教师",
        workplace="绍兴市塔山小学",
        node_code=GRID_A,
    )
    with clock.frozen(T0):
        visit = visits.register_visit(doctor, clinic, person=person, **FEVERISH)
        visits.dispose(doctor, visit, "suspected")
        visit.refresh_from_db()
        case = visit.case
        investigation.set_onset_source(doctor, case, onset_date="2020-02-01", source="local")
    return case


def test_card_matches_the_hand_checked_example_field_by_field(case, doctor):
    from fangkong.exchange import cards
    from fangkong.exchange.models import ReportCard

    with clock.frozen(T0 + dt.timedelta(minutes=30)):
        content, count = cards.export(doctor, "csv")
    assert count == 1
    card = ReportCard.objects.get(case=case)
    assert card.number == f"3306022020{card.pk:06d}"
    [row] = rows(content)
    assert row == {
        "卡片编号": card.number,
        "报卡类别": "初次报告",
        "版本": "1",
        "患者姓名": "陈静",
        "患儿家长姓名": "",
        "有效证件号": ID,
        "性别": "女",
        "出生日期": "1985-06-15",
        "实足年龄": "34",
        "年龄单位": "岁",
        "工作单位(学校)": "绍兴市塔山小学",
        "联系电话": "13957512345",
        "病人属于": "本县区",
        "现住址(详填)": HUAYUAN_ADDR,
        "现住址国标编码": "330602001004",
        "现住址县区编码": "330602",
        "人群分类": "教师",
        "病例分类": "疑似病例",
        "临床严重程度": "",
        "发病日期": "2020-02-01",
        "诊断时间": "2020-02-03 10",
        "死亡日期": "",
        "疾病名称": "新型冠状病毒肺炎",
        "订正病名": "",
        "退卡原因": "",
        "报告单位": "越城区人民医院发热门诊",
        "报告医生": "王医生",
        "填卡日期": "2020-02-03",
        "删除标识": "否",
        "备注": case.number,
    }
    # The XML layout carries the same fields.
    with clock.frozen(T0 + dt.timedelta(minutes=31)):
        xml, _n = cards.export(doctor, "xml", case_id=case.pk)
    root = ET.fromstring(xml)
    assert root.get("layout") == "fangkong.reportcard/1"
    [el] = root.findall("Card")
    assert el.findtext("CardNo") == card.number
    assert el.findtext("CaseClassification") == "疑似病例"
    assert el.findtext("AddressCode") == "330602001004"
    assert el.findtext("IdNumber") == ID


def test_clock_closes_on_acknowledgement_not_on_export(case, doctor):
    from fangkong.exchange import cards

    assert case.report_due == T0 + dt.timedelta(hours=2)
    with clock.frozen(T0 + dt.timedelta(minutes=40)):
        cards.export(doctor, "csv")
    case.refresh_from_db()
    assert case.reported_at is None  # exported, not yet acknowledged
    number = case_card_number(case)
    with clock.frozen(T0 + dt.timedelta(minutes=55)):
        with pytest.raises(ValidationError) as exc:
            cards.acknowledge(doctor, number, 1, "")
        assert "national_id" in exc.value.message_dict
        cards.acknowledge(doctor, number, 1, "20200203330602000123")
    case.refresh_from_db()
    assert case.reported_at == T0 + dt.timedelta(minutes=55)
    with pytest.raises(ValidationError, match="already"):
        cards.acknowledge(doctor, number, 1, "20200203330602000123")


def case_card_number(case) -> str:
    from fangkong.exchange.models import ReportCard

    return ReportCard.objects.get(case=case).number


def test_confirmation_is_a_revision_and_reopens_the_clock(case, doctor):
    from fangkong.exchange import cards
    from fangkong.exchange.models import CardVersion

    with clock.frozen(T0 + dt.timedelta(minutes=30)):
        cards.export(doctor, "csv")
        cards.acknowledge(doctor, case_card_number(case), 1, "N-1")
    with clock.frozen(T1):
        s = samples.record_sample(doctor, case, code="YC-0204-01", sample_type="throat_swab")
        samples.record_result(doctor, s, "positive", ct_orf1ab="27.5")
        cases.classify(doctor, case, "confirmed", severity="moderate", reason="核酸阳性")
    case.refresh_from_db()
    assert case.reported_at is None and case.report_due == T1 + dt.timedelta(hours=2)
    with clock.frozen(T1 + dt.timedelta(minutes=20)):
        content, count = cards.export(doctor, "csv")
        again, count_again = cards.export(doctor, "csv")
    [row] = rows(content)
    assert count == 1 and rows(again) == [row]  # nothing new: the same waiting version
    assert row["报卡类别"] == "订正报告" and row["版本"] == "2"
    assert row["病例分类"] == "确诊病例" and row["临床严重程度"] == "普通型"
    assert row["诊断时间"] == "2020-02-04 09"
    assert CardVersion.objects.filter(card__case=case).count() == 2
    with clock.frozen(T1 + dt.timedelta(minutes=50)):
        cards.acknowledge(doctor, case_card_number(case), 2, "N-2")
    case.refresh_from_db()
    assert case.reported_at == T1 + dt.timedelta(minutes=50)
    # The case's own export carries the whole history of its card.
    with clock.frozen(T1 + dt.timedelta(minutes=51)):
        history, _n = cards.export(doctor, "csv", case_id=case.pk)
    assert [r["报卡类别"] for r in rows(history)] == ["初次报告", "订正报告"]


def test_excluded_case_gets_a_deletion(case, doctor):
    from fangkong.exchange import cards

    with clock.frozen(T0 + dt.timedelta(minutes=30)):
        cards.export(doctor, "csv")
    with clock.frozen(T1):
        cases.classify(doctor, case, "excluded", reason="两次核酸阴性，排除")
        content, _n = cards.export(doctor, "csv")
    deletion = [r for r in rows(content) if r["版本"] == "2"][0]
    assert deletion["删除标识"] == "是" and deletion["退卡原因"] == "排除病例"
    assert deletion["病例分类"] == "疑似病例"


def test_masked_export_for_headquarters_and_audit(case, doctor, make_user):
    from auditlog.models import LogEntry

    from fangkong.exchange import cards
    from fangkong.exchange.models import CardVersion

    hq = make_user("county_hq", "330602")
    with clock.frozen(T0 + dt.timedelta(minutes=30)):
        cards.export(doctor, "csv")
        content, _n = cards.export(hq, "csv")
    [row] = rows(content)
    assert row["患者姓名"] == "陈*" and ID not in content.decode()
    assert "13957512345" not in content.decode()
    assert CardVersion.objects.count() == 1  # a masked export creates no version
    exports = LogEntry.objects.filter(changes_text__startswith="export:")
    assert exports.count() == 2
    assert {e.additional_data["filters"]["identities"] for e in exports} == {"yes", "masked"}
    with pytest.raises(PermissionDenied):
        cards.acknowledge(hq, case_card_number(case), 1, "N-1")


def test_another_jurisdiction_is_refused(case, doctor, zhuji_doctor):
    from fangkong.exchange import cards

    with clock.frozen(T0 + dt.timedelta(minutes=30)):
        cards.export(doctor, "csv")
        with pytest.raises(PermissionDenied):
            cards.export(zhuji_doctor, "csv", case_id=case.pk)
        content, count = cards.export(zhuji_doctor, "csv")
        assert count == 0
        with pytest.raises(PermissionDenied):
            cards.acknowledge(zhuji_doctor, case_card_number(case), 1, "N-1")


def test_receipt_file_row_by_row(case, doctor):
    from fangkong.exchange import cards

    with clock.frozen(T0 + dt.timedelta(minutes=30)):
        cards.export(doctor, "csv")
    number = case_card_number(case)
    receipt = (
        "卡片编号,版本,报告卡ID,审核时间\n"
        f"{number},1,20200203330602000123,2020-02-03 11:10\n"
        f"{number},7,X,2020-02-03 11:10\n"
        "999,1,X,2020-02-03 11:10\n"
    ).encode("gbk")
    with clock.frozen(T0 + dt.timedelta(hours=1)):
        result = cards.import_receipt(doctor, receipt)
    assert result["acknowledged"] == 1
    assert [r["row"] for r in result["rejected"]] == [3, 4]
    case.refresh_from_db()
    assert case.reported_at == dt.datetime(2020, 2, 3, 11, 10, tzinfo=TZ)


@pytest.mark.parametrize(
    ("text", "label"),
    [("", "不详"), ("退休", "离退人员"), ("外卖骑手", "其他(外卖骑手)"), ("农民", "农民")],
)
def test_occupation_follows_the_card_list(text, label):
    from fangkong.exchange.cards import occupation_class

    assert occupation_class(text) == label


def test_patient_belonging():
    from fangkong.exchange.cards import belonging

    assert belonging("330602", "330602001004", "") == "本县区"
    assert belonging("330602", "330681001001", "") == "本市其他县区"
    assert belonging("330602", "330106001001", "") == "本省其它地市"
    assert belonging("330602", "420102001001", "") == "外省"
    assert belonging("330602", "330602001004", "hk_macau") == "港澳台"


def test_case_page_sends_to_the_report_card_not_a_tick(client, case, doctor):
    from fangkong.exchange import cards

    client.force_login(doctor)
    page = client.get(f"/clinical/cases/{case.pk}/").content.decode()
    button = '<a class="btn" href="/exchange/cards/">'
    assert button in page
    assert f"/clinical/cases/{case.pk}/report/" not in page
    with clock.frozen(T0 + dt.timedelta(minutes=30)):
        cards.export(doctor, "csv")
        cards.acknowledge(doctor, case_card_number(case), 1, "N-1")
    page = client.get(f"/clinical/cases/{case.pk}/").content.decode()
    assert button not in page  # reported: nothing left to do


def test_api_exports_and_acknowledges(client, case, doctor):
    from fangkong.accounts.models import ApiToken

    raw = ApiToken.new_raw()
    ApiToken.objects.create(
        user=doctor, digest=ApiToken.hash(raw), expires_at=clock.now() + dt.timedelta(days=3650)
    )
    h = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    with clock.frozen(T0 + dt.timedelta(minutes=30)):
        resp = client.get("/api/v1/exchange/cards/export?format=csv", **h)
        assert resp.status_code == 200
        [row] = rows(resp.content)
        listed = client.get("/api/v1/exchange/cards", **h).json()["items"]
        assert listed[0]["card_number"] == row["卡片编号"] and listed[0]["reported_at"] is None
        bad = client.post(
            "/api/v1/exchange/cards/acknowledge",
            {"card_number": row["卡片编号"], "version": 1, "national_id": ""},
            content_type="application/json",
            **h,
        )
        assert bad.status_code == 422 and "national_id" in bad.content.decode()
        ok = client.post(
            "/api/v1/exchange/cards/acknowledge",
            {"card_number": row["卡片编号"], "version": 1, "national_id": "N-77"},
            content_type="application/json",
            **h,
        )
        assert ok.status_code == 200
    case.refresh_from_db()
    assert case.reported_at == T0 + dt.timedelta(minutes=30)


def test_cards_page_lists_versions_in_a_fixed_number_of_queries(
    client, case, doctor, django_assert_max_num_queries
):
    from fangkong.exchange import cards

    with clock.frozen(T0 + dt.timedelta(minutes=30)):
        cards.export(doctor, "csv")
    client.force_login(doctor)
    with django_assert_max_num_queries(25):
        page = client.get("/exchange/cards/")
    assert case_card_number(case) in page.content.decode()
