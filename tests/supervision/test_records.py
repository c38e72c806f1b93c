"""Cadre records: accountability visible only to authorised roles of the subtree;
the front-line record page and its export; overdue escalation with the clock moved."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from fangkong.core import clock
from fangkong.supervision import actions, metrics, record
from fangkong.supervision.models import AccountabilityCase, Rectification
from tests.conftest import HUAYUAN, TASHAN
from tests.supervision.conftest import DAY0, at, case_on


@pytest.fixture
def case(organisation, recorded_finding, cadre):
    return case_on(organisation, recorded_finding, cadre, "admonishment_talk", summary="值守不力")


@pytest.mark.parametrize(
    "role,code,sees",
    [
        ("organisation", "330602", True),
        ("discipline", "330602", True),
        ("county_hq", "330602", True),
        ("city_hq", "3306", True),
        ("town_hq", TASHAN, False),
        ("village_staff", HUAYUAN, False),
        ("grid_worker", "330602001004G01", False),
        ("sysadmin", "3306", False),
        ("organisation", "330681", False),  # another county's organisation department
    ],
)
def test_accountability_visible_only_to_authorised(case, make_user, role, code, sees):
    user = make_user(role, code)
    assert AccountabilityCase.objects.restrict(user).filter(pk=case.pk).exists() is sees


def test_cadre_peer_does_not_see_accountability(case, make_user, cadre, client, node):
    """Another cadre with an account (a peer) sees the record page without the cases."""
    from fangkong.mobilisation.models import Member

    peer_user = make_user("village_staff", HUAYUAN)
    Member.objects.create(name="同事", is_cadre=True, path=node(HUAYUAN).path, user=peer_user)
    assert record.build(peer_user, cadre).accountability is None
    client.force_login(peer_user)
    page = client.get(f"/supervision/cadres/{cadre.pk}/").content.decode()
    assert "值守不力" not in page and 'id="accountability"' not in page
    assert client.get("/supervision/cases/").status_code == 403
    xlsx = client.get(f"/supervision/cadres/{cadre.pk}/export.xlsx", HTTP_ACCEPT_LANGUAGE="en")
    assert "Commendations" in load_workbook(io.BytesIO(xlsx.content)).sheetnames
    assert "Accountability" not in load_workbook(io.BytesIO(xlsx.content)).sheetnames


def test_cadre_record_page_and_export(case, organisation, cadre, client, inspector, node):
    from fangkong.mobilisation.models import Assignment, Post, Shift

    post = Post.objects.create(name="华苑卡口", kind="checkpoint", node=node(HUAYUAN))
    shift = Shift.objects.create(post=post, starts_at=at(DAY0, 8), ends_at=at(DAY0, 16))
    Assignment.objects.create(member=cadre, shift=shift)
    actions.commend(
        organisation,
        member=cadre,
        title="先进个人",
        reason="坚守",
        decided_by="organisation_department",
        decided_on=DAY0,
    )
    client.force_login(organisation)
    page = client.get(f"/supervision/cadres/{cadre.pk}/").content.decode()
    for text in ("华苑卡口", "先进个人", "值守不力", 'id="accountability"'):
        assert text in page
    r = client.get(f"/supervision/cadres/{cadre.pk}/export.xlsx", HTTP_ACCEPT_LANGUAGE="en")
    wb = load_workbook(io.BytesIO(r.content))
    assert {"Shifts", "Commendations", "Accountability"} <= set(wb.sheetnames)
    assert wb["Shifts"].max_row == 2


def test_cadre_record_parts_are_paged_with_their_totals(
    case, organisation, cadre, client, node, monkeypatch
):
    """Each part of the record shows its total and pages past its first page (they were
    cut at 100 on the page and 200 in the API, with no total); the API answers a page of
    each part with every part's count."""
    import re

    from fangkong.core import listing as lists
    from fangkong.mobilisation.models import Assignment, Post, Shift
    from tests.kit import bearer

    monkeypatch.setattr(lists, "PER_PAGE", 2)
    post = Post.objects.create(name="华苑卡口", kind="checkpoint", node=node(HUAYUAN))
    for day in range(3):
        start = at(DAY0 + dt.timedelta(days=day), 8)
        shift = Shift.objects.create(
            post=post, starts_at=start, ends_at=start + dt.timedelta(hours=8)
        )
        Assignment.objects.create(member=cadre, shift=shift)
        actions.commend(
            organisation,
            member=cadre,
            title=f"先进个人{day}",
            reason="坚守",
            decided_by="organisation_department",
            decided_on=DAY0 - dt.timedelta(days=day),
        )
    client.force_login(organisation)
    url = f"/supervision/cadres/{cadre.pk}/"
    first = client.get(url).content.decode()
    totals = re.findall(r'data-total="(\d+)"', first)
    assert totals[0] == "3" and "spage=2" in first and "cpage=2" in first  # shifts, commendations
    assert "先进个人0" in first and "先进个人2" not in first  # newest first
    rest = client.get(url, {"cpage": 2, "spage": 2}).content.decode()
    assert "先进个人2" in rest and "先进个人0" not in rest
    assert DAY0.strftime("%Y-%m-%d 08:00") in rest  # the oldest shift on its second page

    h = bearer(organisation)
    api = f"/api/v1/supervision/cadres/{cadre.pk}/record"
    one = client.get(api, {"page_size": 2}, **h).json()
    two = client.get(api, {"page_size": 2, "page": 2}, **h).json()
    assert one["counts"] == {
        "shifts": 3,
        "rectifications": 0,
        "inspections_led": 0,
        "inspections_as_subject": 1,  # the inspection of the finding behind the case
        "commendations": 3,
        "accountability": 1,
    }
    titles = [c["title"] for c in one["commendations"] + two["commendations"]]
    assert sorted(titles) == ["先进个人0", "先进个人1", "先进个人2"]
    assert len(one["shifts"]) == 2 and len(two["shifts"]) == 1


def test_overdue_escalates_to_the_level_above(
    inspector, recorded_finding, node, town_hq, county_hq
):
    task = actions.assign_rectification(
        inspector, recorded_finding, owner_node=node(HUAYUAN), requirement="整改"
    )
    assert task.escalate_path == node(TASHAN).path
    assert metrics.escalated_count(town_hq) == 0
    with clock.frozen(at(task.deadline, 20)):  # on the deadline day: not yet
        assert metrics.escalated_count(town_hq) == 0
    with clock.frozen(at(task.deadline + dt.timedelta(days=1))):
        assert metrics.escalated_count(town_hq) == 1
        assert metrics.escalated_count(county_hq) == 0  # not two levels up
        assert Rectification.objects.restrict(town_hq).overdue(clock.today()).count() == 1
        assert metrics.with_state([task])[0].state == "overdue"
    with clock.frozen(at(task.deadline + dt.timedelta(days=1))):
        from fangkong.accounts.models import User

        staff = User.objects.create_user("vs-x", role="village_staff", node=node(HUAYUAN))
        actions.reply_rectification(staff, task, "已整改")
        assert metrics.escalated_count(town_hq) == 0  # answered: the inspector's turn


def test_grace_days_come_from_the_rule_set(inspector, recorded_finding, node, town_hq):
    from fangkong.supervision.models import SupervisionRuleSet

    SupervisionRuleSet.objects.create(effective_from=DAY0, escalation_grace_days=2)
    task = actions.assign_rectification(
        inspector, recorded_finding, owner_node=node(HUAYUAN), requirement="整改"
    )
    with clock.frozen(at(task.deadline + dt.timedelta(days=2))):
        assert metrics.escalated_count(town_hq) == 0
    with clock.frozen(at(task.deadline + dt.timedelta(days=3))):
        assert metrics.escalated_count(town_hq) == 1


def test_escalation_page_lists_with_count(inspector, recorded_finding, node, town_hq, client):
    task = actions.assign_rectification(
        inspector, recorded_finding, owner_node=node(HUAYUAN), requirement="逾期整改事项"
    )
    client.force_login(town_hq)
    with clock.frozen(at(task.deadline + dt.timedelta(days=4))):
        page = client.get("/supervision/").content.decode()
        assert "逾期整改事项" in page and 'id="escalated-count">1<' in page
        tasks = client.get("/supervision/tasks/?state=escalated").content.decode()
        assert "逾期整改事项" in tasks


def test_cadre_export_names_task_states_in_chinese(
    inspector, recorded_finding, organisation, cadre, client, node, make_user
):
    """The rectification sheet names the state (已超时, or the status's name), never the
    stored value ("overdue", "open")."""
    from django.utils import translation

    from fangkong.supervision.choices import RectificationStatus

    owner = make_user("village_staff", HUAYUAN)
    cadre.user = owner
    cadre.save(update_fields=["user"])
    task = actions.assign_rectification(
        inspector, recorded_finding, owner_node=node(HUAYUAN), owner_user=owner, requirement="补岗"
    )
    client.force_login(organisation)
    url = f"/supervision/cadres/{cadre.pk}/export.xlsx"

    def state_on(day: dt.date) -> str:
        with clock.frozen(at(day, 10)):
            r = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        rows = list(load_workbook(io.BytesIO(r.content))["整改任务"].iter_rows(values_only=True))
        assert [row[1] for row in rows[1:]] == ["补岗"]
        return rows[1][3]

    with translation.override("zh-hans"):
        open_label = str(RectificationStatus.OPEN.label)
    assert state_on(task.deadline) == open_label != "open"
    assert state_on(task.deadline + dt.timedelta(days=3)) == "已超时"
