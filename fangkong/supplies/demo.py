"""The demo step: a city reserve, county warehouses and a hospital store with two
weeks of receipts, donations, issues and requests at every stage, and markets with
two weeks of prices of the basket against their baselines (pork and vegetables jump
above it). Idempotent: a second run finds the city reserve and adds nothing."""

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from fangkong.core import clock
from fangkong.core.querysets import system_actor
from fangkong.geo.models import Division
from fangkong.supplies.actions import donations, ledger, prices
from fangkong.supplies.actions import requests as requests_actions
from fangkong.supplies.models import Item, Market, PriceBaseline, SupplyRequest, Warehouse

RESERVE = "绍兴市应急物资储备库"
COUNTIES = ["330602", "330603", "330604", "330624", "330681", "330683"]
BASKET = {
    "大米": "5.20",
    "猪肉": "28.00",
    "鸡蛋": "9.50",
    "青菜": "4.00",
    "一次性医用外科口罩": "0.80",
}
JUMP = {"猪肉": Decimal("0.25"), "青菜": Decimal("0.40")}


def _at(day: dt.date, hour: int = 10):  # type: ignore[no-untyped-def]
    return clock.frozen(dt.datetime.combine(day, dt.time(hour), tzinfo=clock.now().tzinfo))


def _ensure_catalogue() -> None:
    """The catalogue is seeded by a migration; put it back if a flush removed it."""
    import importlib

    from django.apps import apps

    importlib.import_module("fangkong.supplies.migrations.0002_seed_rules_and_catalogue").seed(
        apps, None
    )


def run(seed: int) -> str:
    existing = Warehouse.objects.filter(name=RESERVE).first()
    if existing is not None:
        return f"{Warehouse.objects.count()} warehouses, {SupplyRequest.objects.count()} requests, {Market.objects.count()} markets already present"
    city = Division.objects.root()
    if city is None:
        return "no jurisdiction tree: supplies skipped"
    rng = random.Random(seed)
    system = system_actor()
    _ensure_catalogue()
    items = {i.standard or i.name: i for i in Item.objects.all()}
    today = clock.today()
    start = today - dt.timedelta(days=14)
    counties = {c.code: c for c in Division.objects.filter(code__in=COUNTIES)}
    reserve, houses, hospital = _warehouses(city, counties)
    _stock_reserve(system, reserve, items, today, start)
    _distribute(system, reserve, houses, hospital, items, start)
    _use(system, houses, hospital, items, start, rng)
    requests = _requests(system, houses, hospital, items, today)
    markets, alerts = _prices(system, counties, items, today, rng)
    return f"{Warehouse.objects.count()} warehouses, {requests} requests, {markets} markets, {alerts} price alerts"


def _warehouses(city: Division, counties: dict) -> tuple[Warehouse, dict, Warehouse | None]:
    """The city reserve, a store per county and the designated hospital's store."""
    reserve = Warehouse.objects.create(name=RESERVE, kind="city_reserve", node=city)
    houses = {
        code: Warehouse.objects.create(name=f"{node.name}物资储备库", kind="county", node=node)
        for code, node in counties.items()
    }
    hospital = None
    if "330602" in counties:
        hospital = Warehouse.objects.create(
            name="绍兴市第六人民医院库房", kind="hospital", node=counties["330602"]
        )
    return reserve, houses, hospital


def _stock_reserve(
    system: Any, reserve: Warehouse, items: dict, today: dt.date, start: dt.date
) -> None:
    """Purchases into the city reserve, a batch expired since, and a thanked donation."""
    with _at(start, 9):
        for key, qty in (
            ("N95", 20000),
            ("KN95", 30000),
            ("YY 0469", 200000),
            ("GB 19082", 8000),
            ("护目镜", 3000),
            ("医用手套", 50000),
            ("红外体温计", 1500),
            ("84消毒液", 6000),
            ("75%酒精", 6000),
        ):
            if key in items:
                ledger.receive(
                    system,
                    reserve,
                    items[key],
                    qty,
                    source="purchase",
                    batch_code=f"CR-{start:%m%d}",
                    expires_on=today + dt.timedelta(days=365),
                )
        # A batch that has expired since: it shows for write-off.
        if "75%酒精" in items:
            ledger.receive(
                system,
                reserve,
                items["75%酒精"],
                240,
                source="purchase",
                batch_code="CR-OLD",
                expires_on=today - dt.timedelta(days=2),
            )
        donation = donations.record_donation(
            system,
            reserve,
            "绍兴市越商联合会",
            [
                {"item": items["N95"], "quantity": 5000},
                {"item": items["GB 19082"], "quantity": 1000},
            ],
            contact="0575-8800****",
        )
    donations.acknowledge_donation(system, donation, "衷心感谢绍兴市越商联合会捐赠防疫物资。")


def _distribute(
    system: Any,
    reserve: Warehouse,
    houses: dict,
    hospital: Warehouse | None,
    items: dict,
    start: dt.date,
) -> None:
    """Transfers from the reserve to the county stores, and on to the hospital store."""
    with _at(start + dt.timedelta(days=1)):
        for wh in houses.values():
            for key in ("N95", "YY 0469", "GB 19082", "84消毒液"):
                ledger.transfer(
                    system,
                    reserve,
                    wh,
                    items[key],
                    {"N95": 1200, "YY 0469": 10000, "GB 19082": 600, "84消毒液": 300}[key],
                )
    if hospital is not None:
        with _at(start + dt.timedelta(days=1, hours=2)):
            ledger.transfer(system, houses["330602"], hospital, items["GB 19082"], 420)
            ledger.transfer(system, houses["330602"], hospital, items["N95"], 800)


def _use(
    system: Any,
    houses: dict,
    hospital: Warehouse | None,
    items: dict,
    start: dt.date,
    rng: random.Random,
) -> None:
    """Two weeks of use: the hospital store burns protective suits fast."""
    for d in range(2, 15):
        day = start + dt.timedelta(days=d)
        with _at(day, 16):
            for wh in houses.values():
                ledger.issue(system, wh, items["YY 0469"], rng.randint(300, 600), reason="社区卡口")
                ledger.issue(system, wh, items["84消毒液"], rng.randint(5, 15), reason="消杀")
            if hospital is not None:
                ledger.issue(
                    system, hospital, items["GB 19082"], rng.randint(18, 24), reason="隔离病区"
                )
                ledger.issue(system, hospital, items["N95"], rng.randint(30, 50), reason="隔离病区")


def _requests(system: Any, houses: dict, hospital: Any, items: dict, today: dt.date) -> int:
    if hospital is None:
        return 0
    county = houses["330602"]
    made = []
    for kind, name, key, qty, urgency in (
        ("medical", "绍兴市第六人民医院", "GB 19082", 200, "critical"),
        ("site", "塔山隔离点", "N95", 150, "urgent"),
        ("community", "府山街道社区", "YY 0469", 2000, "routine"),
        ("medical", "绍兴市第六人民医院", "N95", 100, "urgent"),
    ):
        made.append(
            requests_actions.submit_request(
                system,
                requester_node=county.node,
                requester_kind=kind,
                requester_name=name,
                warehouse=county,
                destination=hospital if name.startswith("绍兴市第六") else None,
                item=items[key],
                quantity=qty,
                urgency=urgency,
            )
        )
    requests_actions.approve_request(system, made[0], 80)
    requests_actions.ship_request(system, made[0])
    requests_actions.confirm_receipt(system, made[0])
    requests_actions.approve_request(system, made[1])
    requests_actions.ship_request(system, made[1])
    requests_actions.approve_request(system, made[2], 1500)
    return len(made)


def _prices(
    system: Any, counties: dict, items: dict, today: dt.date, rng: random.Random
) -> tuple[int, int]:
    items = {i.name: i for i in Item.objects.all()}
    markets = []
    for node in counties.values():
        for name, kind in (
            (f"{node.name}农贸市场", "market"),
            (f"{node.name}联华超市", "supermarket"),
        ):
            markets.append(Market.objects.create(name=name, kind=kind, node=node))
        for key, listed in BASKET.items():
            if key in items:
                PriceBaseline.objects.create(item=items[key], node=node, price=Decimal(listed))
    for back in range(14, -1, -1):
        day = today - dt.timedelta(days=back)
        for market in markets:
            for key, listed in BASKET.items():
                jump = JUMP.get(key, Decimal("0")) * Decimal(max(0, 7 - back)) / 7
                noise = Decimal(rng.uniform(-0.04, 0.05)).quantize(Decimal("0.001"))
                price = (Decimal(listed) * (1 + jump + noise)).quantize(Decimal("0.01"))
                prices.report_price(system, market, items[key], day, price)
    from fangkong.supplies.models import PriceReport

    return len(markets), PriceReport.objects.filter(alert=True).count()
