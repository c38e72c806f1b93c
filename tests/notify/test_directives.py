"""A directive to every organisation of the city: one notice per node, acknowledge with
one tap, reminders only to the silent ones, then their parent node; coverage figures."""

import datetime as dt

import pytest

from fangkong.command.models import DirectiveReceipt
from fangkong.core import clock
from fangkong.notify import actions, coverage, senders
from fangkong.notify.models import Delivery, Notice
from tests import kit
from tests.conftest import HUAYUAN, TASHAN, YUECHENG
from tests.notify.conftest import DAY0, at


@pytest.fixture
def city_directive(city_hq, node, run_commits):
    with clock.frozen(at(DAY0, 9)), run_commits():
        return kit.directive(
            code="3306",
            title="关于全面开展排查的通知",
            text="各地立即开展地毯式排查。",
            by=city_hq,
            deadline=at(DAY0, 18),
            levels=("county", "town", "village"),
        )


def test_directive_to_2277_nodes_one_notice_each(city_directive, run_commits, make_user):
    receipts = DirectiveReceipt.objects.filter(directive=city_directive)
    assert receipts.count() == 2277
    notices = Notice.objects.filter(kind="directive")
    assert notices.count() == 2277
    assert notices.values("recipient_node").distinct().count() == 2277
    assert not notices.filter(recipient_node__isnull=True).exists()
    # in the inbox of every account at the node; SMS not sent where nobody has a number
    staff = make_user("village_staff", HUAYUAN)
    mine = Notice.objects.for_user(staff).get()
    assert mine.title.startswith("指令") or "关于全面开展排查的通知" in mine.title
    sms = Delivery.objects.filter(notice__kind="directive", channel="sms")
    assert sms.filter(status="failed").count() == 2277
    assert sms.first().answer in ("no mobile number: in-app only", "无手机号，仅站内通知")
    # issuing again (a retried task) creates nothing more
    with run_commits():
        assert senders.directive_issued(city_directive.pk) == 0
    assert Notice.objects.filter(kind="directive").count() == 2277


def test_one_tap_acknowledges_and_reminders_go_only_to_the_silent(
    city_directive, make_user, node, run_commits, with_phone, outbox
):
    town_hq = make_user("town_hq", TASHAN)
    village = make_user("village_staff", HUAYUAN)
    with_phone(village, "13905750001")
    notice = Notice.objects.for_user(town_hq).get(kind="directive")
    with clock.frozen(at(DAY0, 9, 42)):
        actions.act(town_hq, notice)
    receipt = DirectiveReceipt.objects.get(directive=city_directive, node=node(TASHAN))
    assert receipt.acknowledged_at == at(DAY0, 9, 42)
    notice.refresh_from_db()
    assert notice.acted_at and notice.read_at
    # everyone else acknowledges too, except Huayuan community and the other villages
    silent_before = DirectiveReceipt.objects.filter(acknowledged_at__isnull=True).count()
    assert silent_before == 2276
    acked = DirectiveReceipt.objects.exclude(node__level="village").filter(
        acknowledged_at__isnull=True
    )
    acked.update(acknowledged_at=at(DAY0, 10))
    with clock.frozen(at(DAY0, 16, 30)), run_commits():
        n = senders.directive_reminders(clock.now())
    assert n == 2168  # every village, none of the ones that answered
    reminders = Notice.objects.filter(kind="directive_reminder")
    assert not reminders.exclude(recipient_node__level="village").exists()
    assert reminders.filter(recipient_node=node(HUAYUAN)).count() == 1
    # the SMS went to the one account with a number, once, even when run again
    with clock.frozen(at(DAY0, 16, 45)), run_commits():
        assert senders.directive_reminders(clock.now()) == 0
    sent = [m for m in outbox() if m[1] == "directive_reminder"]
    assert [(m[0], m[3].startswith("directive-reminder:")) for m in sent] == [("13905750001", True)]
    # after the deadline: their parent (the town) is told, once per silent village
    with clock.frozen(at(DAY0, 18, 15)), run_commits():
        senders.directive_reminders(clock.now())
    up = Notice.objects.filter(kind="directive_escalated")
    assert up.count() == 2168
    assert (
        up.filter(recipient_node=node(TASHAN)).count()
        == node(TASHAN).children.filter(level="village").count()
    )


def test_coverage_by_channel_and_time_to_acknowledge(city_directive, city_hq, node):
    times = [5, 10, 20, 30, 60, 90, 120, 240, 300, 600]
    receipts = list(
        DirectiveReceipt.objects.filter(directive=city_directive).order_by("pk")[: len(times)]
    )
    for r, minutes in zip(receipts, times, strict=True):
        r.acknowledged_at = city_directive.issued_at + dt.timedelta(minutes=minutes)
        r.save()
    c = coverage.directive(city_hq, city_directive)
    assert c["nodes"] == 2277
    assert c["acknowledged"] == 10
    assert c["ack_median"] == 75.0
    assert c["ack_p90"] == 300.0
    channels = {ch["key"]: ch for ch in c["channels"]}
    assert channels["inbox"]["sent"] == 2277
    assert channels["sms"]["failed"] == 2277
    # a county sees its own subtree only
    county = pytest.importorskip("fangkong.accounts.models").User.objects.create_user(
        "yc-hq", password="pw-for-tests-1", role="county_hq", node=node(YUECHENG)
    )
    assert (
        coverage.directive(county, city_directive)["nodes"]
        == DirectiveReceipt.objects.filter(
            directive=city_directive, path__startswith=node(YUECHENG).path
        ).count()
    )


def test_directive_page_shows_notice_coverage(city_directive, city_hq, client):
    client.force_login(city_hq)
    page = client.get(f"/command/directives/{city_directive.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="notice-channels"' in html
    assert "2277" in html


def test_every_undelivered_notice_is_listed_with_its_count(city_directive, city_hq, client):
    """2,277 text messages could not be sent (nobody has a number): the page and the API
    count them all and page past the first 50 (the list was cut at 50)."""
    from tests.core.test_list_pages import total
    from tests.kit import bearer

    client.force_login(city_hq)
    url = f"/command/directives/{city_directive.pk}/"
    html = client.get(url).content.decode()
    undelivered = html[html.index('id="undelivered"') :]
    assert "(2277)" in undelivered and total(undelivered) == 2277 and "fpage=2" in undelivered
    last = client.get(url, {"fpage": 46}).content.decode()
    assert "第 46 / 46 页" in last and 'id="undelivered" open' in last
    api = "/api/v1/notices/directives"
    h = bearer(city_hq)
    cov = client.get(f"{api}/{city_directive.pk}/coverage", **h).json()
    assert cov["failed_count"] == 2277 and len(cov["failed"]) == 50
    page = client.get(f"{api}/{city_directive.pk}/undelivered", {"page": 46}, **h).json()
    assert page["count"] == 2277 and len(page["items"]) == 2277 - 45 * 50
    assert page["items"][0]["channel"] == "sms" and page["items"][0]["status"] == "failed"
