"""Issue #15, item 4: R13 at every door. Every venue kind where a person enters refuses a
code that is not green or a temperature at or above the threshold in force; the
record-only kinds are named in the rule set; exits are never refused."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from fangkong.core import clock
from fangkong.tracing import venues
from fangkong.tracing.actions import rules_in_force
from fangkong.tracing.choices import VenueKind
from fangkong.tracing.models import TracingRules
from tests.conftest import GRID_A

T = timezone.make_aware(dt.datetime(2020, 3, 5, 9))
ENTERED = [k for k in VenueKind.values if k != VenueKind.PICKUP]


@pytest.fixture
def red_person(make_person, make_user):
    from fangkong.healthcode import actions as codes

    person = make_person("红码者")
    with clock.frozen(T):
        codes.override_colour(
            make_user("county_hq", "330602"), person, colour="red", reason="test of R13 at doors"
        )
    return person


@pytest.mark.parametrize("kind", ENTERED)
def test_every_entry_venue_refuses_a_red_code(db, cdc, node, red_person, kind):
    venue = venues.create_venue(cdc, {"name": kind, "kind": kind, "node": node(GRID_A)})
    with clock.frozen(T):
        scan, _c = venues.record_scan(
            venue, client_id=uuid.uuid4(), person_id=red_person.pk, temperature="38.2"
        )
    assert not scan.admitted and scan.colour == "red"


def test_fever_at_the_threshold_is_refused_at_a_shop_and_the_threshold_is_dated(
    db, cdc, node, make_person
):
    shop = venues.create_venue(cdc, {"name": "超市", "kind": "shop", "node": node(GRID_A)})
    person = make_person()
    with clock.frozen(T):
        at, _c = venues.record_scan(
            shop, client_id=uuid.uuid4(), person_id=person.pk, temperature="37.3"
        )
        below, _c = venues.record_scan(
            shop, client_id=uuid.uuid4(), person_id=person.pk, temperature="37.2"
        )
        no_temp, _c = venues.record_scan(shop, client_id=uuid.uuid4(), person_id=person.pk)
    assert not at.admitted and "37.3" in at.refusal
    assert below.admitted and no_temp.admitted  # a self-scan takes no temperature
    TracingRules.objects.create(
        effective_from=dt.date(2020, 3, 10), gate_fever_from=Decimal("37.0"), note="test"
    )
    with clock.frozen(T + dt.timedelta(days=6)):
        later, _c = venues.record_scan(
            shop, client_id=uuid.uuid4(), person_id=person.pk, temperature="37.1"
        )
    assert not later.admitted


def test_record_only_kinds_come_from_the_rules_and_exits_are_never_refused(
    db, cdc, node, red_person
):
    pickup = venues.create_venue(cdc, {"name": "快递点", "kind": "pickup", "node": node(GRID_A)})
    gate = venues.create_venue(cdc, {"name": "东门", "kind": "gate", "node": node(GRID_A)})
    with clock.frozen(T):
        assert VenueKind.PICKUP in rules_in_force(T.date()).record_only_kinds
        logged, _c = venues.record_scan(pickup, client_id=uuid.uuid4(), person_id=red_person.pk)
        out, _c = venues.record_scan(
            gate, client_id=uuid.uuid4(), person_id=red_person.pk, direction="exit"
        )
    assert logged.admitted and logged.colour == "red" and out.admitted
    TracingRules.objects.create(
        effective_from=dt.date(2020, 3, 10), record_only_kinds=[], note="pickups checked"
    )
    with clock.frozen(T + dt.timedelta(days=6)):
        checked, _c = venues.record_scan(pickup, client_id=uuid.uuid4(), person_id=red_person.pk)
    assert not checked.admitted


def test_gate_page_at_a_shop_refuses_a_red_code(client, cdc, node, red_person):
    from fangkong.healthcode import tokens

    shop = venues.create_venue(cdc, {"name": "便利店", "kind": "shop", "node": node(GRID_A)})
    client.force_login(cdc)
    with clock.frozen(T):
        r = client.post(
            reverse("tracing:gate", args=[shop.pk]),
            {
                "token": tokens.qr_token(red_person.pk),
                "client_id": str(uuid.uuid4()),
                "direction": "entry",
                "temperature": "38.2",
            },
        )
    assert r.status_code == 200
    assert "不予放行" in r.text or "Do not let in" in r.text
    assert "放行，已登记" not in r.text
