"""The ledger: stock is the sum of the ledger and never negative; bad input is refused
with the field named and nothing half-written."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum

from fangkong.core import clock
from fangkong.supplies.actions import donations
from fangkong.supplies.actions import ledger as ledger_actions
from fangkong.supplies.models import Balance, Donation, LedgerEntry

pytestmark = pytest.mark.django_db


def stock(wh, item):
    return Balance.objects.filter(warehouse=wh, item=item).aggregate(n=Sum("quantity"))["n"] or 0


def ledger(wh, item):
    return (
        LedgerEntry.objects.filter(warehouse=wh, item=item).aggregate(n=Sum("quantity"))["n"] or 0
    )


def test_receipt_issue_and_first_expiry_first_out(officer, county_wh, n95):
    today = clock.today()
    ledger_actions.receive(
        officer,
        county_wh,
        n95,
        100,
        source="purchase",
        batch_code="B-late",
        expires_on=today + dt.timedelta(days=300),
    )
    ledger_actions.receive(
        officer,
        county_wh,
        n95,
        50,
        source="purchase",
        batch_code="B-early",
        expires_on=today + dt.timedelta(days=30),
    )
    entries = ledger_actions.issue(officer, county_wh, n95, 70, reason="ward 3")
    assert [(e.batch.code, e.quantity) for e in entries] == [("B-early", -50), ("B-late", -20)]
    assert stock(county_wh, n95) == ledger(county_wh, n95) == 80


def test_issuing_more_than_in_stock_is_refused_and_nothing_written(officer, county_wh, n95):
    ledger_actions.receive(officer, county_wh, n95, 10, source="purchase", batch_code="A")
    before = LedgerEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        ledger_actions.issue(officer, county_wh, n95, 11)
    assert "quantity" in exc.value.message_dict
    assert "Only 10" in exc.value.message_dict["quantity"][0]
    assert LedgerEntry.objects.count() == before
    assert stock(county_wh, n95) == 10


@pytest.mark.parametrize("qty", [0, -5, "abc", None])
def test_a_non_positive_or_non_numeric_quantity_is_refused(officer, county_wh, n95, qty):
    with pytest.raises(ValidationError) as exc:
        ledger_actions.receive(officer, county_wh, n95, qty, source="purchase")
    assert "quantity" in exc.value.message_dict
    assert not LedgerEntry.objects.exists()


def test_expired_batch_is_neither_received_nor_issued_but_written_off(officer, county_wh, n95):
    today = clock.today()
    with pytest.raises(ValidationError) as exc:
        ledger_actions.receive(
            officer,
            county_wh,
            n95,
            5,
            source="purchase",
            batch_code="old",
            expires_on=today - dt.timedelta(days=1),
        )
    assert "expires_on" in exc.value.message_dict
    with clock.frozen(clock.now() - dt.timedelta(days=10)):
        ledger_actions.receive(
            officer,
            county_wh,
            n95,
            5,
            source="purchase",
            batch_code="old",
            expires_on=today - dt.timedelta(days=1),
        )
    with pytest.raises(ValidationError) as exc:
        ledger_actions.issue(officer, county_wh, n95, 1)
    assert "expired" in exc.value.message_dict["quantity"][0]
    from fangkong.supplies.models import Batch

    with pytest.raises(ValidationError) as exc:
        ledger_actions.issue(officer, county_wh, n95, 1, batch=Batch.objects.get(code="old"))
    assert "batch" in exc.value.message_dict
    ledger_actions.adjust(
        officer, county_wh, Batch.objects.get(code="old"), -1, reason="count: one missing"
    )
    offs = ledger_actions.write_off_expired(officer, county_wh)
    assert [e.quantity for e in offs] == [-4]
    assert stock(county_wh, n95) == 0 == ledger(county_wh, n95)


def test_transfer_moves_batches_and_adjustment_needs_a_reason(officer, county_wh, hospital_wh, n95):
    ledger_actions.receive(officer, county_wh, n95, 30, source="allocation", batch_code="T")
    ledger_actions.transfer(officer, county_wh, hospital_wh, n95, 12)
    assert stock(county_wh, n95) == 18 and stock(hospital_wh, n95) == 12
    batch = Balance.objects.get(warehouse=hospital_wh).batch
    with pytest.raises(ValidationError) as exc:
        ledger_actions.adjust(officer, hospital_wh, batch, -2, reason=" ")
    assert "reason" in exc.value.message_dict
    ledger_actions.adjust(officer, hospital_wh, batch, -2, reason="count 2 short")
    with pytest.raises(ValidationError):
        ledger_actions.adjust(officer, hospital_wh, batch, -11, reason="too many")
    assert stock(hospital_wh, n95) == ledger(hospital_wh, n95) == 10


def test_donation_with_acknowledgement(officer, county_wh, items):
    d = donations.record_donation(
        officer,
        county_wh,
        "绍兴商会",
        [{"item": items["N95"], "quantity": 500}, {"item": items["GB 19082"], "quantity": 40}],
    )
    assert d.entries.count() == 2 and {e.source for e in d.entries.all()} == {"donation"}
    donations.acknowledge_donation(officer, d, "感谢绍兴商会捐赠")
    assert Donation.objects.get().acknowledged_at is not None
    with pytest.raises(ValidationError) as exc:
        donations.record_donation(officer, county_wh, "", [{"item": items["N95"], "quantity": 1}])
    assert "donor" in exc.value.message_dict
    with pytest.raises(ValidationError):  # the second line is bad: the first is not kept
        donations.record_donation(
            officer,
            county_wh,
            "某公司",
            [{"item": items["N95"], "quantity": 5}, {"item": items["N95"], "quantity": -1}],
        )
    assert Donation.objects.count() == 1 and stock(county_wh, items["N95"]) == 500


def test_an_officer_of_another_county_may_not_move_stock(zhuji_officer, county_wh, n95):
    with pytest.raises(PermissionDenied):
        ledger_actions.receive(zhuji_officer, county_wh, n95, 5, source="purchase")
