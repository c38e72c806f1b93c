"""The warehouse ledger shows every movement: a total, pages, filters by item and
movement, and an Excel file of the filtered rows (not one page)."""

import io
import re

from openpyxl import load_workbook

from fangkong.supplies.actions import donations
from fangkong.supplies.actions import ledger as ledger_actions


def test_ledger_pages_filters_and_exports(client, officer, county_wh, items):
    n95, masks = items["N95"], next(i for k, i in items.items() if i.pk != items["N95"].pk)
    for day in range(1, 31):
        ledger_actions.receive(
            officer, county_wh, n95, 100, source="purchase", batch_code=f"N{day:02d}"
        )
        ledger_actions.receive(
            officer, county_wh, masks, 50, source="donation", batch_code=f"M{day:02d}"
        )
    for _ in range(4):
        ledger_actions.issue(officer, county_wh, n95, 10, reason="发热门诊领用")
    client.force_login(officer)
    url = f"/supplies/warehouses/{county_wh.pk}/"
    first = client.get(url).content.decode()
    assert 'data-total="64"' in first and "共 64 条" in first and "第 1 / 2 页" in first
    ledger = first.split('id="ledger"', 1)[1].split("</table>", 1)[0]
    assert ledger.count("<tr") == 1 + 50
    second = client.get(url, {"page": 2}).content.decode()
    assert second.split('id="ledger"', 1)[1].split("</table>", 1)[0].count("<tr") == 1 + 14
    issued = client.get(url, {"status": "issue"}).content.decode()
    assert 'data-total="4"' in issued and "发热门诊领用" in issued
    by_item = client.get(url, {"q": n95.name}).content.decode()
    assert re.search(r'data-total="(\d+)"', by_item).group(1) == "34"
    export = client.get(f"/supplies/warehouses/{county_wh.pk}/ledger.xlsx", {"q": n95.name})
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content)).active.values)
    assert rows[0][:3] == ("时间", "变动类型", "物资") and len(rows) == 1 + 34


def test_ledger_export_is_refused_outside_the_area(client, zhuji_officer, county_wh):
    client.force_login(zhuji_officer)
    assert client.get(f"/supplies/warehouses/{county_wh.pk}/ledger.xlsx").status_code == 404


def test_donations_api_pages_with_a_count(client, officer, county_wh, items):
    from tests.supplies.test_api import auth

    for donor in ("绍兴市慈善总会", "越城区红十字会", "浙江某医疗器械有限公司"):
        donations.record_donation(
            officer, county_wh, donor, [{"item": items["N95"], "quantity": 200}]
        )
    h = auth(officer)
    first = client.get("/api/v1/supplies/donations", {"page_size": 2}, **h).json()
    assert first["count"] == 3 and len(first["items"]) == 2
    second = client.get("/api/v1/supplies/donations", {"page_size": 2, "page": 2}, **h).json()
    donors = {d["donor"] for d in first["items"] + second["items"]}
    assert donors == {"绍兴市慈善总会", "越城区红十字会", "浙江某医疗器械有限公司"}


def test_ledger_api_counts_every_movement_and_pages(client, officer, county_wh, items):
    """The API cut the ledger at `limit` (100 by default): it pages with `count` now."""
    from tests.kit import bearer

    n95 = items["N95"]
    for day in range(1, 106):
        ledger_actions.receive(
            officer, county_wh, n95, 10, source="purchase", batch_code=f"N{day:03d}"
        )
    h = bearer(officer)
    url = f"/api/v1/supplies/warehouses/{county_wh.pk}/ledger"
    first = client.get(url, **h).json()
    assert first["count"] == 105 and len(first["items"]) == 50
    last = client.get(url, {"page": 3}, **h).json()
    assert last["count"] == 105 and len(last["items"]) == 5
    assert last["items"][-1]["batch"] == "N001"  # the oldest movement on the last page
