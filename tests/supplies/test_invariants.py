"""Ledger invariants as property tests: any sequence of movements keeps every balance
equal to the sum of its ledger entries and never below zero; refused movements write
nothing. And the last units issued from two connections at once: exactly one wins."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fangkong.core.querysets import system_actor
from fangkong.supplies.actions import ledger
from fangkong.supplies.models import Balance, Batch, LedgerEntry
from tests.supplies.conftest import ensure_catalogue

MOVES = st.lists(
    st.tuples(
        st.sampled_from(["receive", "issue", "transfer", "adjust"]),
        st.integers(min_value=-30, max_value=60),
        st.booleans(),
    ),
    max_size=12,
)


class Rollback(Exception):
    pass


def check(warehouses):
    for bal in Balance.objects.filter(warehouse__in=warehouses):
        total = LedgerEntry.objects.filter(
            warehouse=bal.warehouse, item=bal.item, batch=bal.batch
        ).aggregate(n=Sum("quantity"))["n"]
        assert bal.quantity == (total or 0) >= 0


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(moves=MOVES)
def test_any_sequence_keeps_stock_equal_to_the_ledger_and_not_negative(
    moves, system, county_wh, hospital_wh, n95
):
    try:
        with transaction.atomic():
            expected = {county_wh.pk: 0, hospital_wh.pk: 0}
            for verb, qty, to_hospital in moves:
                wh, other = (hospital_wh, county_wh) if to_hospital else (county_wh, hospital_wh)
                before = LedgerEntry.objects.count()
                try:
                    with transaction.atomic():
                        if verb == "receive":
                            ledger.receive(
                                system, wh, n95, qty, source="purchase", batch_code=f"b{qty % 3}"
                            )
                            expected[wh.pk] += qty
                        elif verb == "issue":
                            ledger.issue(system, wh, n95, qty)
                            expected[wh.pk] -= qty
                        elif verb == "transfer":
                            ledger.transfer(system, wh, other, n95, qty)
                            expected[wh.pk] -= qty
                            expected[other.pk] += qty
                        else:
                            batch, _ = Batch.objects.get_or_create(item=n95, code="b0")
                            ledger.adjust(system, wh, batch, qty, reason="count")
                            expected[wh.pk] += qty
                except ValidationError:
                    assert LedgerEntry.objects.count() == before
                check([county_wh, hospital_wh])
            for pk, n in expected.items():
                on_hand = Balance.objects.filter(warehouse_id=pk).aggregate(n=Sum("quantity"))["n"]
                assert (on_hand or 0) == n >= 0
            raise Rollback
    except Rollback:
        pass


@pytest.mark.django_db(transaction=True)
def test_two_connections_issuing_the_last_units_exactly_one_succeeds(tree, node):
    """On PostgreSQL two threads (two connections) race for the last 10 units; on
    SQLite, which serialises writers, the same two issues run one after the other."""
    from fangkong.supplies.models import Item, Warehouse

    ensure_catalogue()
    system = system_actor()
    wh = Warehouse.objects.create(name="竞争库", kind="county", node=node("330602"))
    item = Item.objects.get(standard="N95")
    ledger.receive(system, wh, item, 10, source="purchase", batch_code="last")
    results: list[str] = []

    def attempt(barrier=None):
        from django.db import connections

        try:
            if barrier is not None:
                barrier.wait(timeout=10)
            ledger.issue(system, wh, item, 10)
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            if barrier is not None:
                connections.close_all()

    if connection.vendor == "postgresql":
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=attempt, args=(barrier,)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    else:
        attempt()
        attempt()
    assert sorted(results) == ["ok", "refused"]
    assert Balance.objects.get(warehouse=wh).quantity == 0
    assert LedgerEntry.objects.filter(warehouse=wh).aggregate(n=Sum("quantity"))["n"] == 0
