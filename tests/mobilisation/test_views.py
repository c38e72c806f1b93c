"""Pages: the community sees its members and roster, the organisation department its
subtree, another jurisdiction gets 404 on every page; the roster page shows the rest
rule warning and takes an override reason; registrations are confirmed on a page."""

import pytest
from django.urls import reverse

from fangkong.mobilisation.actions import organisations, rosters
from fangkong.mobilisation.models import Assignment, PartyOrganisation, Registration, Unit
from tests.conftest import HUAYUAN, YUECHENG, ZHUJI_VILLAGE
from tests.mobilisation.conftest import shifts_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(system, node, make_member):
    unit = organisations.save_unit(
        system, None, name="区卫健局", kind="office", node=node(YUECHENG)
    )
    return organisations.save_organisation(
        system, None, name="区卫健局党支部", kind="branch", node=node(YUECHENG), unit=unit
    )


def login(client, user):
    client.force_login(user)
    return client


def test_lists_and_pages_render_for_the_community(client, staff, checkpoint, make_member, org):
    m = make_member(name="周杰")
    login(client, staff)
    for name in (
        "overview",
        "members",
        "registrations",
        "posts",
        "rules",
        "organisations",
        "units",
    ):
        r = client.get(reverse(f"mobilisation:{name}"), HTTP_ACCEPT_LANGUAGE="en")
        assert r.status_code == 200, name
    r = client.get(reverse("mobilisation:members"))
    assert "周杰" in r.text and m.phone_masked in r.text
    assert client.get(reverse("mobilisation:member", args=[m.pk])).status_code == 200
    assert client.get(reverse("mobilisation:roster", args=[checkpoint.pk])).status_code == 200
    # The organisation is at the district: the community does not see it.
    assert client.get(reverse("mobilisation:organisation", args=[org.pk])).status_code == 404


def test_organisation_department_sees_its_subtree(client, orgdept, org, make_member):
    m = make_member(name="钱红", organisation=None)
    m.organisation = org
    m.save()
    login(client, orgdept)
    r = client.get(reverse("mobilisation:organisations"))
    assert "区卫健局党支部" in r.text
    r = client.get(reverse("mobilisation:organisation", args=[org.pk]))
    assert r.status_code == 200 and "钱红" in r.text
    assert client.get(reverse("mobilisation:members")).status_code == 200


def test_another_jurisdiction_gets_404_everywhere(
    client, zhuji_staff, zhuji_orgdept, staff, checkpoint, make_member, org
):
    m = make_member(confirmed=False)
    reg = m.registrations.get()
    unit = Unit.objects.get()
    for user in (zhuji_staff, zhuji_orgdept):
        login(client, user)
        for url in (
            reverse("mobilisation:member", args=[m.pk]),
            reverse("mobilisation:member_edit", args=[m.pk]),
            reverse("mobilisation:organisation", args=[org.pk]),
            reverse("mobilisation:organisation_edit", args=[org.pk]),
            reverse("mobilisation:unit_edit", args=[unit.pk]),
            reverse("mobilisation:roster", args=[checkpoint.pk]),
            reverse("mobilisation:post_edit", args=[checkpoint.pk]),
            reverse("mobilisation:members") + f"?node={HUAYUAN}",
            reverse("mobilisation:organisations") + f"?node={YUECHENG}",
            reverse("mobilisation:units") + f"?node={YUECHENG}",
            reverse("mobilisation:posts") + f"?node={HUAYUAN}",
            reverse("mobilisation:registrations") + f"?node={HUAYUAN}",
            reverse("mobilisation:overview") + f"?node={HUAYUAN}",
        ):
            assert client.get(url).status_code == 404, url
        r = client.post(reverse("mobilisation:decide", args=[reg.pk]), {"decision": "confirm"})
        assert r.status_code == 404
        r = client.post(reverse("mobilisation:roster", args=[checkpoint.pk]), {"shift": "1"})
        assert r.status_code == 404
    # Their own lists do not show Yuecheng's rows.
    login(client, zhuji_staff)
    assert m.name not in client.get(reverse("mobilisation:members")).text
    reg.refresh_from_db()
    assert reg.status == "pending"


def test_confirm_on_the_page(client, staff, make_member):
    m = make_member(name="孙丽", confirmed=False)
    login(client, staff)
    r = client.get(reverse("mobilisation:registrations"))
    assert "孙丽" in r.text
    reg = Registration.objects.get(member=m)
    r = client.post(reverse("mobilisation:decide", args=[reg.pk]), {"decision": "confirm"})
    assert r.status_code == 302
    reg.refresh_from_db()
    assert reg.status == "confirmed"


def test_roster_page_warns_and_takes_an_override(client, staff, checkpoint, make_member):
    m = make_member(name="吴刚")
    s = shifts_of(checkpoint)
    login(client, staff)
    url = reverse("mobilisation:roster", args=[checkpoint.pk]) + "?day=2020-02-10"
    r = client.get(url)
    assert "吴刚" in r.text
    assert client.post(url, {"shift": s[0].pk, "member": m.pk}).status_code == 302
    r = client.post(url, {"shift": s[1].pk, "member": m.pk}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200 and 'id="rest-warning"' in r.text
    assert 'data-rule="min_rest_hours"' in r.text
    assert Assignment.objects.filter(member=m).count() == 1
    r = client.post(url, {"shift": s[2].pk, "member": m.pk, "override_reason": "临时顶岗"})
    assert r.status_code == 302
    a = Assignment.objects.get(member=m, shift=s[2])
    assert a.override_reason == "临时顶岗"
    r = client.get(url)
    assert "临时顶岗" in r.text
    # Remove and plan more shifts.
    assert client.post(url, {"do": "unassign", "assignment": a.pk}).status_code == 302
    assert not Assignment.objects.filter(pk=a.pk).exists()
    r = client.post(url, {"plan-first_day": "2020-02-13", "plan-days": "2"})
    assert r.status_code == 302 and checkpoint.shifts.count() == 15


def test_create_pages(client, orgdept, staff, node):
    login(client, orgdept)
    r = client.post(
        reverse("mobilisation:unit_new"),
        {"name": "塔山中学", "kind": "school", "node_code": YUECHENG},
    )
    assert r.status_code == 302
    unit = Unit.objects.get(name="塔山中学")
    r = client.post(
        reverse("mobilisation:organisation_new"),
        {"name": "塔山中学党支部", "kind": "branch", "node_code": YUECHENG, "unit": unit.pk},
    )
    assert r.status_code == 302
    org = PartyOrganisation.objects.get(name="塔山中学党支部")
    r = client.post(
        reverse("mobilisation:member_new"),
        {
            "name": "郑强",
            "phone": "13600001111",
            "is_cadre": "on",
            "cadre_rank": "正科",
            "health_status": "healthy",
            "organisation": org.pk,
            "unit": unit.pk,
        },
    )
    assert r.status_code == 302
    # Out of area node code is an error on the form, not a write.
    r = client.post(
        reverse("mobilisation:unit_new"),
        {"name": "外地", "kind": "school", "node_code": ZHUJI_VILLAGE},
    )
    assert r.status_code == 200 and not Unit.objects.filter(name="外地").exists()
    login(client, staff)
    r = client.post(
        reverse("mobilisation:post_new"),
        {
            "name": "北门",
            "kind": "gate",
            "node_code": HUAYUAN,
            "required_per_shift": 1,
            "shift_hours": 12,
            "first_shift_hour": 7,
            "active": "on",
        },
    )
    assert r.status_code == 302


def test_member_phone_reveal_is_audited(client, staff, make_member):
    from auditlog.models import LogEntry

    m = make_member(phone="13955556666")
    login(client, staff)
    r = client.post(reverse("mobilisation:member", args=[m.pk]), {"reveal": "phone"})
    assert "13955556666" in r.text
    assert LogEntry.objects.filter(object_pk=str(m.pk), changes_text="phone").exists()


def test_jurisdiction_browser_counts_registered_members(client, city_hq, make_member):
    from fangkong.geo import counters
    from fangkong.geo.models import Division

    make_member()
    make_member(phone="13700000005")
    make_member(phone="13700000006", confirmed=False)
    city = Division.objects.get(code="3306")
    counts = counters.child_counts(city_hq, city, list(city.children.all()))
    assert counts["members_registered"][YUECHENG] == 2


def test_headquarters_issue_ppe_on_the_roster_page(
    client, make_user, system, checkpoint, node, make_member
):
    from fangkong.supplies.actions import ledger
    from fangkong.supplies.models import Item, LedgerEntry, Warehouse

    hq = make_user("town_hq", "330602001")
    mask = Item.objects.create(name="页面口罩", category="protective", unit="只")
    house = Warehouse.objects.create(name="塔山街道库", kind="county", node=node("330602001"))
    ledger.receive(system, house, mask, 4, source="purchase", batch_code="P1")
    a = rosters.assign(hq, shifts_of(checkpoint)[0], make_member())
    login(client, hq)
    url = reverse("mobilisation:roster", args=[checkpoint.pk]) + "?day=2020-02-10"
    assert "页面口罩" in client.get(url).text
    data = {"do": "ppe", "assignment": a.pk, "item": mask.pk, "warehouse": house.pk}
    assert client.post(url, {**data, "quantity": "3"}).status_code == 302
    assert a.ppe.get().quantity == 3
    assert LedgerEntry.objects.filter(item=mask, kind="issue").count() == 1
    r = client.post(url, {**data, "quantity": "3"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Only 1" in r.text and a.ppe.count() == 1


def test_roster_page_offers_every_warehouse_the_user_may_issue_from(
    client, make_user, checkpoint, node, make_member
):
    """The PPE form lists every warehouse of the user's area (it offered the first 50)."""
    import re

    from fangkong.supplies.models import Item, Warehouse

    hq = make_user("town_hq", "330602001")
    Item.objects.create(name="页面口罩", category="protective", unit="只")
    town = node("330602001")
    Warehouse.objects.bulk_create(
        Warehouse(name=f"塔山第{i:02d}库", kind="county", node=town, path=town.path)
        for i in range(60)
    )
    rosters.assign(hq, shifts_of(checkpoint)[0], make_member())
    login(client, hq)
    page = client.get(reverse("mobilisation:roster", args=[checkpoint.pk]) + "?day=2020-02-10")
    select = page.text.split('name="warehouse"', 1)[1].split("</select>", 1)[0]
    offered = re.findall(r"<option value=\"\d+\">([^<]+)</option>", select)
    assert len(offered) == Warehouse.objects.restrict(hq, "issue").count() >= 60
    assert "塔山第59库" in offered


def test_roster_page_offers_every_fit_member_of_the_community(client, staff, checkpoint, node):
    """The assign form lists every confirmed, fit member (it offered the first 500)."""
    from fangkong.mobilisation.models import Member

    village = node(HUAYUAN)
    Member.objects.bulk_create(
        Member(name=f"队员{i:03d}", path=village.path, community=village, health_status="healthy")
        for i in range(510)
    )
    login(client, staff)
    page = client.get(reverse("mobilisation:roster", args=[checkpoint.pk]) + "?day=2020-02-10")
    select = page.text.split('name="member"', 1)[1].split("</select>", 1)[0]
    assert select.count('<option value="') - 1 >= 510  # the empty choice aside
    assert "队员509" in select


def test_headquarters_add_a_dated_rest_rule_set(client, city_hq, staff):
    from fangkong.mobilisation.models import RestRuleSet

    login(client, staff)
    assert client.post(reverse("mobilisation:rules"), {}).status_code == 403
    login(client, city_hq)
    data = {
        "effective_from": "2020-02-15",
        "max_shift_hours": 8,
        "max_hours_per_24h": 10,
        "max_consecutive_days": 5,
        "min_rest_hours": 12,
        "note": "第二版",
    }
    assert client.post(reverse("mobilisation:rules"), data).status_code == 302
    assert RestRuleSet.objects.filter(effective_from="2020-02-15", min_rest_hours=12).exists()
    r = client.post(reverse("mobilisation:rules"), {**data, "effective_from": "2020-01-01"})
    assert r.status_code == 200 and RestRuleSet.objects.filter(note="第二版").count() == 1
