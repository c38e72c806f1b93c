"""Difficulties: the phone report, routing, owner, solving, rating, overdue escalation
(derived from the deadline and the clock) and the counts per level."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fangkong.care import actions
from fangkong.care.models import CareRules, Difficulty
from fangkong.core import clock
from tests.care.conftest import PHONE, T0, code_for, reported
from tests.conftest import GRID_A, HUAYUAN, OTHER_TOWN_VILLAGE, TASHAN, YUECHENG, ZHUJI_VILLAGE

pytestmark = pytest.mark.django_db


def report(client, node_code=HUAYUAN, phone=PHONE, **extra):
    data = {
        "reporter_name": "王芳",
        "relation": "family",
        "phone": phone,
        "code": code_for(phone),
        "category": "childcare",
        "description": "丈夫在卡口值守，孩子无人照看",
        "node_code": node_code,
        "town": node_code[:9],
        **extra,
    }
    return client.post("/public/care/report/", data)


def test_report_page_lists_the_communities_of_the_chosen_town(client):
    first = client.get("/public/care/report/").content.decode()
    assert "塔山街道" in first and "花园社区" not in first
    page = client.get(f"/public/care/report/?town={TASHAN}").content.decode()
    assert "花园社区" in page and 'lang="zh-Hans"' in page


def test_phone_report_owner_solved_and_rated_end_to_end(client, staff):
    with clock.frozen(T0):
        r = report(client)
        assert r.status_code == 200 and "已收到" in r.content.decode()
        d = Difficulty.objects.get()
        assert d.node.code == HUAYUAN and d.status == "open"
        assert d.phone_masked == "139****5678" and PHONE not in str(d.phone_enc)
        assert d.reveal_phone() == PHONE
        assert d.deadline == T0 + dt.timedelta(days=3)  # default rule: three days
        # The reporter sees it on the phone page in the same session.
        mine = client.get("/public/care/mine/").content.decode()
        assert "子女照护" in mine and "待处理" in mine

    client.force_login(staff)
    with clock.frozen(T0 + dt.timedelta(hours=2)):
        page = client.post(f"/care/difficulties/{d.pk}/", {"verb": "owner", "owner": staff.pk})
        assert page.status_code == 302
        client.post(f"/care/difficulties/{d.pk}/", {"verb": "take"})
        shown = client.get(f"/care/difficulties/{d.pk}/").content.decode()
        assert "139****5678" in shown and PHONE not in shown
        shown = client.post(f"/care/difficulties/{d.pk}/", {"verb": "reveal"}).content.decode()
        assert PHONE in shown
        from auditlog.models import LogEntry

        seen = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=staff).get()
        assert seen.changes_text == "phone" and PHONE not in str(seen.additional_data)
        d.refresh_from_db()
        assert d.owner == staff and d.status == "in_hand"
        client.post(
            f"/care/difficulties/{d.pk}/", {"verb": "solve", "solution": "社区安排志愿者照看孩子"}
        )
        d.refresh_from_db()
        assert d.status == "solved" and d.solved_by == staff and d.state == "solved"
    client.logout()

    # A new session: the reporter verifies the phone again, sees it solved and rates.
    with clock.frozen(T0 + dt.timedelta(hours=3)):
        client.post("/public/care/mine/", {"phone": PHONE, "code": code_for(PHONE)})
        mine = client.get("/public/care/mine/").content.decode()
        assert "社区安排志愿者照看孩子" in mine and "已解决" in mine
        client.post(f"/public/care/mine/{d.pk}/rate/", {"rating": "5", "comment": "谢谢"})
    d.refresh_from_db()
    assert d.rating == 5 and d.rating_comment == "谢谢"


def test_phone_report_needs_a_valid_code(client):
    r = report(client, code="000000")
    assert r.status_code == 200 and not Difficulty.objects.exists()
    assert "验证码" in r.content.decode()


def test_a_member_is_routed_to_their_registered_community(client, make_member):
    member = make_member(phone="13700000002", code=OTHER_TOWN_VILLAGE)
    report(client, node_code=HUAYUAN, phone="13700000002")
    d = Difficulty.objects.get()
    assert d.member == member and d.node.code == OTHER_TOWN_VILLAGE


def test_a_non_member_must_choose_a_community(client):
    r = report(client, node_code="")
    assert not Difficulty.objects.exists() and "社区" in r.content.decode()


def test_overdue_difficulty_is_escalated_with_the_clock(staff):
    with clock.frozen(T0):
        d = reported(staff, "elderly", "老人独居需要配药")
        assert d.state == "open" and d.escalated_to is None
        assert not Difficulty.objects.overdue().exists()
    with clock.frozen(T0 + dt.timedelta(days=3, minutes=1)):
        assert d.state == "escalated" and d.escalated_to.code == TASHAN
        assert list(Difficulty.objects.overdue()) == [d]
        assert list(Difficulty.objects.in_state("escalated")) == [d]
        actions.solve(staff, d, "已送药上门")
        assert d.state == "solved" and not Difficulty.objects.overdue().exists()


def test_deadline_follows_the_rule_in_force_on_the_day(staff):
    CareRules.objects.create(effective_from=dt.date(2020, 2, 5), solve_days=1)
    with clock.frozen(T0):
        d = reported(staff, "other", "水管坏了无法维修")
    assert d.deadline == T0 + dt.timedelta(days=1)


def test_bad_input_is_refused_with_the_field_named(staff, make_user):
    base = {
        "phone": PHONE,
        "reporter_name": "王芳",
        "category": "childcare",
        "description": "孩子无人照看",
        "node": staff.node,
    }
    for field, change in [
        ("category", {"category": "nope"}),
        ("description", {"description": "短"}),
        ("phone", {"phone": "12345"}),
        ("relation", {"relation": "boss"}),
    ]:
        with pytest.raises(ValidationError) as exc:
            actions.report_difficulty(staff, **{**base, **change})
        assert field in exc.value.message_dict
    d = actions.report_difficulty(staff, **base)
    with pytest.raises(ValidationError) as exc:
        actions.solve(staff, d, "")
    assert "solution" in exc.value.message_dict
    outsider = make_user("village_staff", ZHUJI_VILLAGE)
    with pytest.raises(ValidationError):
        actions.assign_owner(staff, d, outsider)
    with pytest.raises(PermissionDenied):
        actions.report_difficulty(outsider, **base)
    with pytest.raises(ValidationError):
        actions.rate(actions.phone_index(PHONE), d, 5)  # not solved yet
    actions.solve(staff, d, "已解决此事")
    with pytest.raises(PermissionDenied):
        actions.rate(actions.phone_index("13800000000"), d, 5)
    with pytest.raises(ValidationError):
        actions.rate(actions.phone_index(PHONE), d, 9)


def test_counts_per_level_are_rolled_up(staff, make_user, county_hq, client):
    other = make_user("village_staff", OTHER_TOWN_VILLAGE)
    with clock.frozen(T0):
        for user, n in ((staff, 3), (other, 2)):
            for _ in range(n):
                reported(user)
    first = Difficulty.objects.filter(path__startswith=staff.node.path).first()
    actions.solve(staff, first, "药已送到")
    county = county_hq.node
    towns = list(county.children.order_by("code"))
    with clock.frozen(T0 + dt.timedelta(days=4)):
        counts = Difficulty.objects.restrict(county_hq).level_counts(county, towns)
        assert counts[TASHAN] == {"open": 2, "overdue": 2, "solved": 1}
        assert counts["330602002"] == {"open": 2, "overdue": 2, "solved": 0}
        # The village staff sees only their own community.
        assert Difficulty.objects.restrict(staff).totals() == {"open": 2, "overdue": 2, "solved": 1}
        client.force_login(county_hq)
        page = client.get(f"/care/difficulties/levels/?node={YUECHENG}")
        assert page.status_code == 200
        assert [r["node"].code for r in page.context["rows"] if r["open"]] == [TASHAN, "330602002"]
        assert page.context["total"] == {"open": 4, "overdue": 4, "solved": 1}
        # A community's own difficulties count in its total (its children are grids).
        page = client.get(f"/care/difficulties/levels/?node={HUAYUAN}")
        assert page.context["total"] == {"open": 2, "overdue": 2, "solved": 1}
        # The jurisdiction browser's columns (geo counters registry).
        from fangkong.geo import counters

        cols = counters.child_counts(county_hq, county, towns)
        assert cols["care_open"][TASHAN] == 2 and cols["care_overdue"]["330602002"] == 2
        # The home card counts what is not solved.
        from fangkong.core import home

        card = next(
            c for c in home.cards_for(county_hq) if c["card"].url_name == "care:difficulties"
        )
        assert card["count"] == 4


def test_counts_per_level_offer_up_only_within_the_jurisdiction(staff, county_hq, client):
    # The village staff's own community is the top of what they may see: no "Up" link
    # that would answer 404.
    client.force_login(staff)
    page = client.get("/care/difficulties/levels/")
    assert page.status_code == 200 and page.context["up"] is None
    assert f'href="?node={TASHAN}"' not in page.content.decode()
    assert client.get(f"/care/difficulties/levels/?node={TASHAN}").status_code == 404
    # The county headquarters goes up from a community to its town.
    client.force_login(county_hq)
    page = client.get(f"/care/difficulties/levels/?node={HUAYUAN}")
    assert page.context["up"].code == TASHAN
    assert f'href="?node={TASHAN}"' in page.content.decode()


def test_a_grid_below_the_community_does_not_see_it(make_user, staff, client):
    worker = make_user("grid_worker", GRID_A)
    d = reported(staff)
    client.force_login(worker)
    assert client.get(f"/care/difficulties/{d.pk}/").status_code == 404
    assert client.post(f"/care/difficulties/{d.pk}/", {"verb": "take"}).status_code == 404
