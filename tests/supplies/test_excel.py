"""Excel: exports read back with calamine; imports apply good rows and report the bad
ones with the field, leaving nothing of a refused row; other counties' rows refused."""

import io

import pytest
from openpyxl import Workbook

from fangkong.core import clock
from fangkong.supplies import excel, supply_days
from fangkong.supplies.actions import ledger
from fangkong.supplies.models import Balance, Market, PriceReport, SupplyRequest

pytestmark = pytest.mark.django_db


def xlsx(rows):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_stock_count_import_adjusts_to_the_counted_figure(officer, county_wh, zhuji_wh, n95):
    ledger.receive(officer, county_wh, n95, 100, source="purchase", batch_code="C1")
    data = xlsx(
        [
            ["warehouse", "item", "batch", "expires_on", "quantity"],
            [county_wh.name, n95.name, "C1", None, 93],
            [county_wh.name, n95.name, "C2", None, -4],
            [zhuji_wh.name, n95.name, "Z1", None, 10],
            [county_wh.name, "不存在的物资", "C1", None, 1],
        ]
    )
    report = excel.import_stock(officer, data)
    assert report.done == 1
    assert [n for n, _ in report.rejected] == [3, 4, 5]
    assert "quantity" in report.rejected[0][1] and "warehouse" in report.rejected[1][1]
    assert Balance.objects.get(warehouse=county_wh, batch__code="C1").quantity == 93
    assert not Balance.objects.filter(warehouse=zhuji_wh).exists()
    rows = excel.read_rows(excel.export_stock(officer))
    assert rows == [
        {
            "warehouse": county_wh.name,
            "item": n95.name,
            "batch": "C1",
            "expires_on": "",
            "quantity": 93,
        }
    ]


def test_request_and_price_imports(officer, hospital_user, county_wh, n95, items, node):
    data = xlsx(
        [
            [
                "requester",
                "requester_kind",
                "requester_code",
                "warehouse",
                "item",
                "quantity",
                "urgency",
                "reason",
            ],
            ["塔山医院", "medical", "330602001", county_wh.name, n95.name, 40, "urgent", "病区"],
            ["塔山医院", "medical", "330602001", county_wh.name, n95.name, 0, "urgent", ""],
        ]
    )
    report = excel.import_requests(hospital_user, data)
    assert report.done == 1 and report.rejected[0][0] == 3 and "quantity" in report.rejected[0][1]
    assert SupplyRequest.objects.get().requester_name == "塔山医院"
    assert excel.read_rows(excel.export_requests(hospital_user))[0]["quantity"] == 40
    market = Market.objects.create(name="塔山农贸市场", kind="market", node=node("330602001"))
    today = clock.today()
    prices = xlsx(
        [
            ["day", "market", "item", "price"],
            [today, market.name, "大米", 5.2],
            [today, market.name, "猪肉", 0],
            [today, market.name, "鸡蛋", 1e7],
        ]
    )
    report = excel.import_prices(officer, prices)
    assert report.done == 1 and [n for n, _ in report.rejected] == [3, 4]
    assert all("price" in why for _, why in report.rejected)
    assert PriceReport.objects.count() == 1
    assert excel.read_rows(excel.export_prices(officer))[0]["market"] == market.name


def test_briefing_summary_lists_items_running_short(officer, county_wh, n95):
    import datetime as dt

    with clock.frozen(clock.now() - dt.timedelta(days=2)):
        ledger.receive(officer, county_wh, n95, 100, source="purchase", batch_code="S")
        ledger.issue(officer, county_wh, n95, 70)
    summary = supply_days.briefing_summary(officer.node.path)
    assert summary["short"] == [{"item": str(n95), "days": 3.0}]
    assert summary["price_alerts"] == 0
