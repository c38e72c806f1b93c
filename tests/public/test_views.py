"""Every staff page renders for its user and refuses a user of another jurisdiction."""

import pytest
from django.urls import reverse

from fangkong.core import clock
from fangkong.public import actions, returns
from tests.conftest import HUAYUAN
from tests.public.conftest import DAY0, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(county_hq, village_staff, node):
    with clock.frozen(at(DAY0, 9)):
        b = actions.draft_bulletin(
            county_hq,
            node("330602"),
            DAY0,
            [{"code": "330602001", "name": "塔山街道", "new": 1, "total": 1}],
        )
        r = actions.report_rumour(village_staff, node(HUAYUAN), "小区封闭一个月")
        q = actions.ask_question(node(HUAYUAN), "community", "垃圾多久清运一次？")
        app = returns.apply_to_resume(
            village_staff,
            node(HUAYUAN),
            "秘密工厂",
            "91330602MA2EEEEE1A",
            "钱",
            "预案",
            DAY0,
            [{"name": "甲"}],
        )
        s = returns.file_school_plan(
            village_staff,
            node(HUAYUAN),
            school="秘密学校",
            return_date=DAY0,
            classes=1,
            students=1,
            staff=1,
            staff_declared=1,
            students_declared=1,
            contingency_plan="p",
        )
        g = returns.report_gathering(
            village_staff,
            node(HUAYUAN),
            kind="wedding",
            source="reported",
            planned_on=DAY0,
            organiser="秘密主人",
            venue="v",
            guests=10,
        )
        actions.write_article(county_hq, node("330602"), "秘密文章", "正文")
    return {
        "bulletin": b,
        "rumour": r,
        "question": q,
        "application": app,
        "school": s,
        "gathering": g,
    }


LISTS = ["bulletins", "rumours", "questions", "applications", "schools", "gatherings", "articles"]


@pytest.mark.parametrize("name", LISTS)
def test_lists_show_only_own_jurisdiction(login, county_hq, zhuji_hq, records, name):
    url = reverse(f"public:{name}")
    mine = login(county_hq).get(url)
    assert mine.status_code == 200
    theirs = login(zhuji_hq).get(url).content.decode()
    for secret in [
        "秘密工厂",
        "秘密学校",
        "秘密主人",
        "秘密文章",
        "小区封闭一个月",
        records["question"].ticket,
    ]:
        assert secret not in theirs


def test_anonymous_is_sent_to_login_and_public_pages_open(client, records):
    assert client.get(reverse("public:bulletins")).status_code == 302
    for name in [
        "home",
        "history",
        "knowledge",
        "ask",
        "ticket",
        "answers",
        "report_rumour",
        "resumed",
        "report_gathering",
    ]:
        assert client.get(reverse(f"public:{name}")).status_code == 200, name


def test_home_cards_and_escalation_button(login, county_hq, records):
    c = login(county_hq)
    home = c.get(reverse("home")).content.decode()
    assert reverse("public:questions") in home and reverse("public:bulletins") in home
    with clock.frozen(at(DAY0, 9).replace(day=12)):
        r = c.post(reverse("public:escalate"))
    assert r.status_code == 302
    records["question"].refresh_from_db()
    assert records["question"].escalated_to is not None


def test_rumour_clarified_on_page_is_public(login, county_hq, client, records):
    r = records["rumour"]
    c = login(county_hq)
    assert (
        c.post(
            reverse("public:rumour", args=[r.pk]), {"clarification": "不实", "sources": "区指挥部"}
        ).status_code
        == 302
    )
    page = client.get(reverse("public:knowledge")).content.decode()
    assert "小区封闭一个月" in page and "区指挥部" in page and "秘密文章" in page


def test_question_queue_filters_by_department(login, county_hq, records):
    c = login(county_hq)
    ticket = records["question"].ticket
    assert (
        ticket in c.get(reverse("public:questions"), {"department": "community"}).content.decode()
    )
    assert (
        ticket not in c.get(reverse("public:questions"), {"department": "health"}).content.decode()
    )
