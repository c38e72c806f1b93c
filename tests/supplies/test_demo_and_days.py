"""Days-of-supply arithmetic, allocation order, price alerts, and the demo step."""

import datetime as dt
from decimal import Decimal

import pytest

from fangkong.core import clock
from fangkong.supplies import rules, supply_days
from fangkong.supplies.actions import ledger


def test_days_of_supply_arithmetic():
    per_day = rules.daily_use(consumed=70, window_days=7, demand_per_day=Decimal("4"))
    assert per_day == Decimal(10)
    assert rules.days_of_supply(45, per_day) == Decimal("4.5")
    assert rules.below_threshold(Decimal("4.5"), 7) and not rules.below_threshold(Decimal("7.0"), 7)
    # Epidemic demand wins when it is larger than what was issued.
    demand = rules.epidemic_demand(
        beds_occupied=10, observed=100, per_bed_day=Decimal("4"), per_observed_day=Decimal("0.5")
    )
    assert demand == Decimal("90")
    assert rules.daily_use(70, 7, demand) == Decimal("90")
    assert rules.days_of_supply(180, Decimal("90")) == Decimal("2.0")
    assert rules.days_of_supply(100, Decimal("0")) is None


def test_allocation_serves_front_line_medical_first_then_urgency_partially():
    t = dt.datetime(2020, 2, 1, tzinfo=dt.UTC)
    claims = [
        rules.Claim(1, "community", "critical", 1, t, 50),
        rules.Claim(2, "medical", "routine", 1, t + dt.timedelta(hours=1), 40),
        rules.Claim(3, "medical", "critical", 1, t + dt.timedelta(hours=2), 30),
        rules.Claim(4, "site", "urgent", 1, t, 20),
    ]
    shares = rules.allocate(80, claims, ["medical", "site", "checkpoint", "community"])
    assert shares == {3: 30, 2: 40, 4: 10, 1: 0}


def test_price_alert_share_and_implausible_prices():
    assert not rules.price_alert(Decimal("5.50"), Decimal("5.00"), Decimal("0.10"))
    assert rules.price_alert(Decimal("5.51"), Decimal("5.00"), Decimal("0.10"))
    assert not rules.price_alert(Decimal("9"), None, Decimal("0.10"))
    assert rules.price_problem(Decimal("0"), Decimal("5000"))
    assert rules.price_problem(Decimal("5000.01"), Decimal("5000"))
    assert rules.price_problem(Decimal("3"), Decimal("5000")) is None


@pytest.mark.django_db
def test_days_of_supply_from_issues_of_the_last_seven_days(officer, county_wh, n95):
    now = clock.now()
    with clock.frozen(now - dt.timedelta(days=10)):
        ledger.receive(officer, county_wh, n95, 1000, source="purchase", batch_code="D")
        ledger.issue(officer, county_wh, n95, 500)  # outside the window: not counted
    with clock.frozen(now - dt.timedelta(days=3)):
        ledger.issue(officer, county_wh, n95, 140)
    rows = {(r.warehouse.pk, r.item.pk): r for r in supply_days.by_warehouse(officer)}
    row = rows[(county_wh.pk, n95.pk)]
    assert (row.stock, row.consumed, row.per_day, row.days, row.alert) == (
        360,
        140,
        Decimal(20),
        Decimal("18.0"),
        False,
    )
    mine = {r.item.pk: r for r in supply_days.for_jurisdiction(officer, officer.node)}
    assert mine[n95.pk].days == Decimal("18.0")


@pytest.mark.django_db
def test_demo_step_builds_flows_and_price_alerts_and_is_idempotent(node, client, make_user):
    from fangkong.core import demo_steps
    from fangkong.supplies.models import LedgerEntry, PriceReport, SupplyRequest, Warehouse

    step = dict(demo_steps.steps())["supplies"]
    first = step(1)
    assert "price alerts" in first
    counts = (Warehouse.objects.count(), LedgerEntry.objects.count(), PriceReport.objects.count())
    assert Warehouse.objects.filter(kind="hospital").exists()
    assert set(SupplyRequest.objects.values_list("status", flat=True)) >= {
        "received",
        "shipped",
        "approved",
        "submitted",
    }
    assert PriceReport.objects.filter(alert=True).exists()
    step(1)
    assert (
        Warehouse.objects.count(),
        LedgerEntry.objects.count(),
        PriceReport.objects.count(),
    ) == counts
