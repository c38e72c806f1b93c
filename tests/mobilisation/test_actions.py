"""Registration and rostering through the actions: double registration refused, the
community confirms, rest rules refuse without a reason and record an override,
figures and the supplies demand driver."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fangkong.mobilisation import figures, rules
from fangkong.mobilisation.actions import members, ppe, registration, rosters
from fangkong.mobilisation.models import Assignment, Member, RestRuleSet
from tests.conftest import HUAYUAN, OTHER_TOWN_VILLAGE, ZHUJI_VILLAGE
from tests.mobilisation.conftest import NOW, shifts_of

pytestmark = pytest.mark.django_db


def test_phone_is_protected_and_masked(make_member):
    m = make_member(phone="13912345678")
    raw = Member.objects.values_list("phone_enc", flat=True).get(pk=m.pk)
    assert b"13912345678" not in bytes(raw)
    assert m.phone_masked == "139****5678"
    assert Member.objects.with_phone("139 1234 5678").get() == m
    assert m.reveal_phone() == "13912345678"


def test_same_phone_twice_is_refused(system, node, make_member):
    make_member(phone="13912345678")
    with pytest.raises(ValidationError) as exc:
        members.save_member(
            system, None, {"name": "王", "phone": "13912345678"}, node=node(HUAYUAN)
        )
    assert "phone" in exc.value.message_dict


def test_double_registration_is_refused_with_the_other_community_named(node, make_member):
    m = make_member(confirmed=False)
    with pytest.raises(ValidationError) as exc:
        registration.register(m, node(OTHER_TOWN_VILLAGE))
    msg = " ".join(exc.value.message_dict["community"])
    assert node(HUAYUAN).name in msg and "one community at a time" in msg
    # Confirmed is just as active as pending.
    m2 = make_member(phone="13700000001")
    with pytest.raises(ValidationError):
        registration.register(m2, node(ZHUJI_VILLAGE))
    assert m2.registrations.count() == 1


def test_registration_by_phone_then_confirmed_and_member_moves_to_community(
    system, node, staff, zhuji_staff, ensure_rules
):
    reg = registration.register_by_phone(
        "13811112222", name="赵敏", community=node(HUAYUAN), data={"is_volunteer": True}
    )
    assert reg.status == "pending" and reg.member.is_volunteer
    with pytest.raises(PermissionDenied):
        registration.confirm(zhuji_staff, reg)
    registration.confirm(staff, reg)
    m = Member.objects.get(pk=reg.member_id)
    assert m.community == node(HUAYUAN) and m.path == node(HUAYUAN).path
    with pytest.raises(ValidationError):
        registration.confirm(staff, reg)
    # The same phone registering again is the same member: refused, not duplicated.
    with pytest.raises(ValidationError):
        registration.register_by_phone(
            "13811112222", name="赵敏", community=node(OTHER_TOWN_VILLAGE)
        )
    assert Member.objects.count() == 1


def test_decline_needs_a_reason_and_frees_the_member(staff, node, make_member):
    m = make_member(confirmed=False)
    reg = m.registrations.get()
    with pytest.raises(ValidationError):
        registration.decline(staff, reg, "")
    registration.decline(staff, reg, "不在本社区居住")
    assert registration.register(m, node(OTHER_TOWN_VILLAGE)).status == "pending"


def test_assignment_within_rules_and_refused_without_reason(staff, checkpoint, make_member):
    m = make_member()
    s0, s1, s2 = shifts_of(checkpoint)[:3]  # 00-08, 08-16, 16-24
    a = rosters.assign(staff, s0, m)
    assert not a.overridden and a.path == checkpoint.path
    with pytest.raises(rosters.RestRuleError) as exc:
        rosters.assign(staff, s1, m)
    assert {b.rule for b in exc.value.broken} == {rules.MIN_REST, rules.PER_24H}
    assert exc.value.needs_reason
    assert "override reason" in " ".join(exc.value.messages)
    a2 = rosters.assign(staff, s2, m, "夜班人员发热，临时顶岗")
    assert a2.overridden and a2.override_reason.startswith("夜班")
    assert {r["rule"] for r in a2.broken_rules} == {rules.PER_24H}
    assert Assignment.objects.filter(member=m).count() == 2


def test_overlap_cannot_be_overridden(system, staff, node, checkpoint, make_member):
    other = rosters.save_post(
        system,
        None,
        node=node(HUAYUAN),
        data={"name": "大门", "kind": "gate", "required_per_shift": 1, "shift_hours": 8},
    )
    rosters.plan_shifts(system, other, NOW.date(), 1)
    m = make_member()
    rosters.assign(staff, shifts_of(checkpoint)[0], m)
    with pytest.raises(rosters.RestRuleError) as exc:
        rosters.assign(staff, shifts_of(other)[0], m, "any reason")
    assert [b.rule for b in exc.value.broken] == [rules.OVERLAP]


def test_only_confirmed_fit_members_of_ones_area(staff, zhuji_staff, checkpoint, make_member):
    pending = make_member(confirmed=False)
    with pytest.raises(ValidationError):
        rosters.assign(staff, shifts_of(checkpoint)[0], pending)
    unwell = make_member(phone="13700000009", health_status="unwell")
    with pytest.raises(ValidationError) as exc:
        rosters.assign(staff, shifts_of(checkpoint)[0], unwell)
    assert "not fit for duty" in " ".join(exc.value.messages)
    ok = make_member(phone="13700000010")
    with pytest.raises(PermissionDenied):
        rosters.assign(zhuji_staff, shifts_of(checkpoint)[0], ok)


def test_dated_rule_set_applies_from_its_day(system, staff, checkpoint, make_member):
    RestRuleSet.objects.create(
        effective_from=NOW.date(),
        max_shift_hours=12,
        max_hours_per_24h=16,
        max_consecutive_days=6,
        min_rest_hours=8,
    )
    m = make_member()
    s = shifts_of(checkpoint)
    rosters.assign(staff, s[0], m)
    rosters.assign(staff, s[2], m)  # 16 h in 24 h now allowed, 8 h rest kept
    with pytest.raises(ValidationError):
        rosters.add_rest_rules(
            system,
            {
                "effective_from": NOW.date() - dt.timedelta(days=1),
                "max_shift_hours": 8,
                "max_hours_per_24h": 8,
                "max_consecutive_days": 5,
                "min_rest_hours": 8,
            },
        )


def test_figures_and_staffing_gaps(staff, checkpoint, make_member):
    a, b = make_member(), make_member(phone="13700000002")
    make_member(phone="13700000003", confirmed=False)
    s = shifts_of(checkpoint)
    rosters.assign(staff, s[0], a)
    rosters.assign(staff, s[0], b)
    rosters.assign(staff, s[2], a, "顶岗")
    f = figures.compute(checkpoint.path, NOW.date())
    assert f["registered_confirmed"] == 2 and f["registered_pending"] == 1
    assert f["shifts_today"] == 3 and f["places_required"] == 6 and f["places_filled"] == 3
    assert f["posts"] == 1 and f["posts_staffed"] == 0
    assert f["overrides"] == 1
    assert figures.staffed_checkpoint_shifts(checkpoint.path, NOW.date()) == 2


def test_supplies_demand_counts_staffed_checkpoint_shifts(
    system, staff, checkpoint, make_member, node
):
    from fangkong.supplies import rules as supplies_rules
    from fangkong.supplies import supply_days
    from fangkong.supplies.models import Item

    assert supplies_rules.epidemic_demand(0, 0, Decimal(1), Decimal(1), 3, Decimal(2)) == 6
    mask = Item.objects.create(
        name="测试口罩", category="protective", unit="只", per_checkpoint_shift=Decimal("2")
    )
    m = make_member()
    rosters.assign(staff, shifts_of(checkpoint)[0], m)
    rosters.assign(staff, shifts_of(checkpoint)[2], make_member(phone="13700000004"))
    assert supply_days.checkpoint_shifts(node(HUAYUAN).path, NOW.date()) == 2
    rows = {r.item.pk: r for r in supply_days.for_jurisdiction(system, node(HUAYUAN), NOW.date())}
    assert rows[mask.pk].demand == Decimal("4")


def test_ppe_through_the_supplies_ledger_and_shortage_refused(
    system, staff, checkpoint, make_member, node
):
    from fangkong.supplies.actions import ledger
    from fangkong.supplies.models import Balance, Item, LedgerEntry, Warehouse

    mask = Item.objects.create(name="测试口罩2", category="protective", unit="只")
    house = Warehouse.objects.create(name="花园社区库", kind="county", node=node(HUAYUAN))
    ledger.receive(system, house, mask, 5, source="purchase", batch_code="B1")
    a = rosters.assign(staff, shifts_of(checkpoint)[0], make_member())
    [issue] = ppe.issue_ppe(system, a, mask, 3, house)
    entry = LedgerEntry.objects.get(pk=issue.ledger_entry_id)
    assert entry.quantity == -3 and entry.kind == "issue" and issue.path == a.path
    with pytest.raises(ValidationError) as exc:
        ppe.issue_ppe(system, a, mask, 3, house)
    assert "Only 2" in " ".join(exc.value.messages)
    assert sum(Balance.objects.filter(item=mask).values_list("quantity", flat=True)) == 2
    with pytest.raises(PermissionDenied):  # village staff do not issue from a warehouse
        ppe.issue_ppe(staff, a, mask, 1, house)
