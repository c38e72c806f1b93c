import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fangkong.command import actions
from fangkong.command.models import Directive, DirectiveReceipt, Submission
from fangkong.core import clock
from tests.command.conftest import DAY0, at
from tests.conftest import HUAYUAN, TASHAN

pytestmark = pytest.mark.django_db


def test_dashboard_shows_level_in_force(login, county_hq):
    with clock.frozen(at(DAY0, 9)):
        r = login(county_hq).get(reverse("command:dashboard"))
    assert r.status_code == 200
    assert "一级响应" in r.content.decode()


def test_city_hq_sets_a_response_level_county_may_not(login, city_hq, county_hq):
    r = login(city_hq).post(
        reverse("command:dashboard"), {"effective_from": "2020-05-02", "grade": "IV"}
    )
    assert r.status_code == 302
    r = login(county_hq).post(
        reverse("command:dashboard"), {"effective_from": "2020-05-03", "grade": "I"}
    )
    assert r.status_code == 403


def test_issue_directive_with_attachment_page(login, county_hq, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    c = login(county_hq)
    with clock.frozen(at(DAY0, 9)):
        r = c.post(
            reverse("command:directives"),
            {
                "title": "通知",
                "text": "排查",
                "deadline": "2020-02-11T18:00",
                "levels": ["town"],
                "ack_required": "on",
                "attachment": SimpleUploadedFile("notice.txt", b"hello"),
            },
        )
        assert r.status_code == 302, r.content.decode()[:2000]
        d = Directive.objects.get()
        page = c.get(reverse("command:directive", args=[d.pk]))
    assert "通知" in page.content.decode()
    got = c.get(reverse("command:attachment", args=[d.pk]))
    assert b"".join(got.streaming_content) == b"hello"


def test_directive_without_recipients_page_names_the_field(login, county_hq):
    with clock.frozen(at(DAY0, 9)):
        r = login(county_hq).post(
            reverse("command:directives"),
            {
                "title": "通知",
                "text": "排查",
                "deadline": "2020-02-11T18:00",
            },
        )
    assert r.status_code == 200
    assert "收件" in r.content.decode() or "recipients" in r.content.decode()
    assert not Directive.objects.exists()


def test_village_acknowledges_and_reports_back_through_pages(login, directive, village_staff):
    c = login(village_staff)
    own = DirectiveReceipt.objects.get(directive=directive, node__code=HUAYUAN)
    with clock.frozen(at(DAY0, 10)):
        assert c.get(reverse("command:inbox")).status_code == 200
        c.get(reverse("command:directive", args=[directive.pk]))
        c.post(reverse("command:ack", args=[own.pk]))
        c.post(reverse("command:report_back", args=[own.pk]), {"feedback": "完成"})
    own.refresh_from_db()
    assert own.received_at and own.acknowledged_at and own.feedback == "完成"


def test_outsider_lists_show_nothing(login, directive, template, zhuji_hq):
    """The pages naming a record in their path: tests/test_scoping_every_route.py."""
    c = login(zhuji_hq)
    for name in ["directives", "inbox", "meetings", "reports"]:
        body = c.get(reverse(f"command:{name}")).content.decode()
        assert directive.title not in body and template.name not in body


def test_meeting_pages_record_and_close_decisions(login, county_hq):
    c = login(county_hq)
    with clock.frozen(at(DAY0, 9)):
        r = c.post(reverse("command:meetings"), {"day": str(DAY0), "title": "会商"})
        assert r.status_code == 302
        url = r["Location"]
        r = c.post(url, {"text": "加强卡口", "owner": county_hq.pk, "deadline": str(DAY0)})
        assert r.status_code == 302
        m = county_hq.node and actions.Meeting.objects.get()
        d = m.decisions.get()
        c.post(reverse("command:close_decision", args=[d.pk]), {"outcome": "已加强"})
        d.refresh_from_db()
        assert d.status == "done"
        assert "加强卡口" in c.get(url).content.decode()


def test_report_pages_submit_rates_and_lock_message(login, template, make_user, county_hq):
    town = make_user("town_hq", TASHAN)
    c = login(town)
    url = reverse("command:report", args=[template.pk])
    with clock.frozen(at(DAY0, 16)):
        r = c.post(url, {"period": str(DAY0), "f0": "12"})
        assert r.status_code == 302
    with clock.frozen(at(DAY0 + dt.timedelta(days=3), 9)):
        r = c.post(url, {"period": str(DAY0 + dt.timedelta(days=1)), "f0": "1"})
        assert (
            r.status_code == 200
            and "locked" in r.content.decode().lower()
            or "锁定" in r.content.decode()
        )
        page = login(county_hq).get(url).content.decode()
    assert Submission.objects.count() == 1
    assert template.name in page
    r = login(county_hq).post(
        reverse("command:reports"),
        {
            "name": "周报",
            "level": "village",
            "schedule": "weekly",
            "deadline_time": "12:00",
            "lock_after_hours": 48,
            "figures": "a\nb",
            "starts_on": "2020-02-10",
        },
    )
    assert r.status_code == 302


def test_a_nodes_own_reports_are_paged_with_the_total(login, template, make_user, monkeypatch):
    """Every report the town sent, not the last 14."""
    from fangkong.core import listing as lists
    from tests.core.test_list_pages import total

    town = make_user("town_hq", TASHAN)
    c = login(town)
    url = reverse("command:report", args=[template.pk])
    for n in range(5):
        with clock.frozen(at(DAY0 + dt.timedelta(days=n), 16)):
            day = str(DAY0 + dt.timedelta(days=n))
            assert c.post(url, {"period": day, "f0": "1", "f1": "2"}).status_code == 302
    monkeypatch.setattr(lists, "PER_PAGE", 2)
    with clock.frozen(at(DAY0 + dt.timedelta(days=4), 17)):
        html = c.get(url).content.decode()
        last = c.get(url, {"mpage": 3}).content.decode()
    assert total(html) == 5 and "mpage=2" in html and "第 1 / 3 页" in html
    assert "第 3 / 3 页" in last and DAY0.strftime("%Y-%m-%d") in last


def test_directive_page_lists_every_laggard_with_a_total_and_pages(login, directive, county_hq):
    import re

    from fangkong.core.listing import PER_PAGE

    c = login(county_hq)
    url = reverse("command:directive", args=[directive.pk])
    pending = DirectiveReceipt.objects.filter(directive=directive).count()
    with clock.frozen(at(DAY0, 10)):
        # Cut the pending list to a size that needs two pages.
        extra = list(DirectiveReceipt.objects.filter(directive=directive)[PER_PAGE + 5 :])
        DirectiveReceipt.objects.filter(pk__in=[r.pk for r in extra]).delete()
        pending = min(pending, PER_PAGE + 5)
        first = c.get(url).content.decode()
        second = c.get(url, {"lpage": 2}).content.decode()
    assert pending > PER_PAGE
    assert str(pending) in re.findall(r'data-total="(\d+)"', first)
    assert "lpage=2" in first
    rows = second.split("</table>")[-2].count("<tr") - 1  # the last table: the laggards
    assert rows == pending - PER_PAGE


def test_directive_coverage_and_report_templates_name_levels_in_chinese(
    login, directive, county_hq
):
    """The coverage rows by level and the level a report is expected from show the
    level's name (层级: 村（社区）), never the stored value (层级: village)."""
    from tests import kit

    c = login(county_hq)
    with clock.frozen(at(DAY0, 10)):
        page = c.get(reverse("command:directive", args=[directive.pk])).content.decode()
    assert "层级: 乡镇（街道）" in page and "层级: 村（社区）" in page
    assert "层级: town" not in page and "层级: village" not in page
    kit.report_template()
    reports = c.get(reverse("command:reports")).content.decode()
    assert ">乡镇（街道）</td>" in reports and ">town</td>" not in reports
