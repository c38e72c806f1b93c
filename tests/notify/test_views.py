"""Inbox pages and API: the bell on every page with the unread count, read / unread,
one-tap acknowledge, preferences with bad input, rules, schedule; another account's
notice is a 404."""

import datetime as dt

import pytest

from fangkong.core import clock
from fangkong.notify import actions
from fangkong.notify.actions import Spec
from fangkong.notify.models import Notice, NoticeRules
from tests import kit
from tests.conftest import GRID_A, GRID_Z, HUAYUAN, TASHAN
from tests.notify.conftest import DAY0, at


@pytest.fixture
def notice(grid_worker, run_commits):
    with run_commits():
        return actions.notify(
            Spec(
                kind="visits_today",
                key="v:1",
                title="今天有12户需要上门排查",
                link="/screening/today/",
                user=grid_worker,
            )
        )


@pytest.fixture
def token(auth):
    return auth


def test_bell_on_every_page_with_unread_count(client, grid_worker, notice):
    client.force_login(grid_worker)
    home = client.get("/").content.decode()
    assert 'id="notice-bell"' in home and 'data-unread="1"' in home
    bell = client.get("/notices/bell/").content.decode()
    assert 'data-unread="1"' in bell and 'hx-trigger="every 10s"' in bell
    page = client.get("/notices/").content.decode()
    assert "今天有12户需要上门排查" in page
    client.post(f"/notices/{notice.pk}/read/", {"read": "1"})
    assert 'data-unread="0"' in client.get("/notices/bell/").content.decode()
    assert "今天有12户" not in client.get("/notices/?unread=1").content.decode()
    client.post(f"/notices/{notice.pk}/read/", {"read": "0"}, HTTP_HX_REQUEST="true")
    assert 'data-unread="1"' in client.get("/notices/bell/").content.decode()


def test_the_row_swapped_in_after_a_tap_shows_whether_it_is_read(client, grid_worker, notice):
    client.force_login(grid_worker)
    tag = '<span class="tag">未读</span>'
    page = client.get("/notices/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'class="notice card unread"' in page and tag in page

    def tap(read):
        return client.post(
            f"/notices/{notice.pk}/read/",
            {"read": read},
            HTTP_HX_REQUEST="true",
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        ).content.decode()

    row = tap("1")
    assert 'class="notice card"' in row and tag not in row and "标为未读" in row
    row = tap("0")
    assert 'class="notice card unread"' in row and tag in row


def test_another_accounts_notice_is_404(client, make_user, notice, auth):
    other = make_user("grid_worker", GRID_Z)
    client.force_login(other)
    assert client.post(f"/notices/{notice.pk}/read/", {"read": "1"}).status_code == 404
    assert client.post(f"/notices/{notice.pk}/act/").status_code == 404
    assert "今天有12户" not in client.get("/notices/").content.decode()
    h = auth(other)
    assert (
        client.post(
            f"/api/v1/notices/{notice.pk}/read",
            {"read": True},
            content_type="application/json",
            **h,
        ).status_code
        == 404
    )
    assert client.post(f"/api/v1/notices/{notice.pk}/act", **h).status_code == 404
    assert client.get("/api/v1/notices/", **h).json() == {"items": [], "count": 0}
    # a grid worker of the same grid does not see a notice addressed to a colleague
    colleague = make_user("grid_worker", GRID_A)
    client.force_login(colleague)
    assert client.post(f"/notices/{notice.pk}/read/", {"read": "1"}).status_code == 404


def test_one_tap_acknowledge_from_inbox_and_api(
    client, make_user, node, city_hq, run_commits, auth
):
    with clock.frozen(at(DAY0, 9)), run_commits():
        d = kit.directive(
            code="3306",
            title="关于加强卡口管理的通知",
            text="即日起执行。",
            by=city_hq,
            deadline=at(DAY0, 18),
            node_codes=(TASHAN, HUAYUAN),
        )
    town = make_user("town_hq", TASHAN)
    village = make_user("village_staff", HUAYUAN)
    client.force_login(town)
    n = Notice.objects.for_user(town).get()
    page = client.get("/notices/").content.decode()
    assert f'data-act="{n.pk}"' in page
    with clock.frozen(at(DAY0, 9, 30)):
        r = client.post(f"/notices/{n.pk}/act/", HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and f'data-act="{n.pk}"' not in r.content.decode()
    assert d.receipts.get(node=node(TASHAN)).acknowledged_at == at(DAY0, 9, 30)
    h = auth(village)
    listed = client.get("/api/v1/notices/?unread=true", **h).json()["items"]
    assert [(x["kind"], x["actionable"]) for x in listed] == [("directive", True)]
    assert client.get("/api/v1/notices/unread-count", **h).json() == {"unread": 1}
    with clock.frozen(at(DAY0, 10)):
        out = client.post(f"/api/v1/notices/{listed[0]['id']}/act", **h).json()
    assert out["acted_at"] and out["read_at"]
    assert d.receipts.get(node=node(HUAYUAN)).acknowledged_at == at(DAY0, 10)
    cov = client.get(f"/api/v1/notices/directives/{d.pk}/coverage", **auth(city_hq)).json()
    assert cov["nodes"] == 2 and cov["acknowledged"] == 2 and cov["ack_median"] == 45.0
    # a grid worker elsewhere cannot read the coverage of a directive outside their area
    far = make_user("county_hq", "330681")
    assert client.get(f"/api/v1/notices/directives/{d.pk}/coverage", **auth(far)).status_code == 404


def test_a_notice_without_action_refuses_act(client, grid_worker, notice, auth):
    r = client.post(f"/api/v1/notices/{notice.pk}/act", **auth(grid_worker))
    assert r.status_code == 422
    assert r.json()["detail"] == [{"loc": ["body", "notice"], "msg": "此通知无需操作"}]


def test_preferences_page_and_api_bad_input(client, grid_worker, auth):
    client.force_login(grid_worker)
    r = client.post("/notices/preferences/", {"sms": "on", "phone": "1390575"})
    assert r.status_code == 200 and "phone" in r.context["form"].errors
    r = client.post("/notices/preferences/", {"sms": "on", "quiet_start": "22:00"})
    assert "quiet_end" in r.context["form"].errors
    r = client.post(
        "/notices/preferences/",
        {"sms": "on", "phone": "139 0575 1234", "quiet_start": "22:00", "quiet_end": "07:00"},
    )
    assert r.status_code == 302
    assert grid_worker.notify_pref.phone_masked == "139****1234"
    assert "13905751234" not in client.get("/notices/preferences/").content.decode()
    h = auth(grid_worker)
    bad = client.put(
        "/api/v1/notices/preferences",
        {"quiet_start": "25:00"},
        content_type="application/json",
        **h,
    )
    assert bad.status_code == 422 and "quiet_start" in bad.content.decode()
    ok = client.put(
        "/api/v1/notices/preferences", {"email": True}, content_type="application/json", **h
    ).json()
    assert ok["email"] is True and ok["phone_masked"] == "139****1234"


def test_rules_api_validates_and_dates(client, city_hq, grid_worker, auth):
    h = auth(city_hq)
    bad = client.post(
        "/api/v1/notices/rules",
        {"effective_from": "2020-02-12", "rules": {"checkin_reminder": {"channels": ["fax"]}}},
        content_type="application/json",
        **h,
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"][:5] == [
        "body",
        "data",
        "rules",
        "checkin_reminder",
        "channels",
    ]
    bad = client.post(
        "/api/v1/notices/rules",
        {"effective_from": "2020-02-12", "rules": {"wechat": {}}},
        content_type="application/json",
        **h,
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "data", "rules", "wechat"]
    bad = client.post(
        "/api/v1/notices/rules",
        {"effective_from": "2020-02-12", "rules": {"care": {"minutes": 30, "colour": "red"}}},
        content_type="application/json",
        **h,
    )
    assert bad.status_code == 422  # an unknown setting is refused, not silently dropped
    assert bad.json()["detail"][0]["loc"] == ["body", "data", "rules", "care", "colour"]
    ok = client.post(
        "/api/v1/notices/rules",
        {
            "effective_from": "2020-02-12",
            "note": "提前90分钟提醒",
            "rules": {"checkin_reminder": {"minutes": 90}},
        },
        content_type="application/json",
        **h,
    )
    assert ok.status_code == 201
    assert NoticeRules.in_force(dt.date(2020, 2, 12)).rule("checkin_reminder") == {
        "minutes": 90,
        "channels": ["sms"],
    }
    assert (
        NoticeRules.in_force(dt.date(2020, 2, 11)).rule("checkin_reminder")["minutes"] == 90
    )  # first set judges earlier days
    refused = client.post(
        "/api/v1/notices/rules",
        {"effective_from": "2020-02-13"},
        content_type="application/json",
        **auth(grid_worker),
    )
    assert refused.status_code == 403
    jobs = client.get("/api/v1/notices/schedule", **h).json()
    assert {j["name"] for j in jobs} >= {
        "sweep-checkins",
        "briefing",
        "health-codes",
        "retention-purge",
    }
    assert client.get("/api/v1/notices/schedule", **auth(grid_worker)).status_code == 403


def test_briefing_counts_notices_sent_and_unanswered(
    grid_worker, run_commits, node, client, city_hq
):
    from fangkong.briefing.compute import compute

    with clock.frozen(at(DAY0, 9)), run_commits():
        first = actions.notify(Spec(kind="visits_today", key="b:1", title="a", user=grid_worker))
        actions.notify(Spec(kind="visits_today", key="b:2", title="b", user=grid_worker))
    with clock.frozen(at(DAY0, 10)):
        actions.mark_read(grid_worker, [first])
    with clock.frozen(at(DAY0 + dt.timedelta(days=1), 8, 30)):
        b = compute(node("3306"), DAY0 + dt.timedelta(days=1))
        assert b.data["notices"] == {"sent": 2, "unanswered": 1, "failed": 2}
        client.force_login(city_hq)
        html = client.get(f"/briefing/3306/{DAY0 + dt.timedelta(days=1)}/").content.decode()
    assert 'id="briefing-notices"' in html


def test_schedule_page_shows_runs_and_saves_dated_rules(client, city_hq, make_user):
    from fangkong.notify import schedule

    with clock.frozen(at(DAY0, 3, 15)):
        schedule.run_slot("stale-tokens", at(DAY0, 3, 15))
    client.force_login(city_hq)
    page = client.get("/notices/schedule/").content.decode()
    assert 'data-job="sweep-checkins"' in page and "tokens 0" in page
    form = {
        "effective_from": "2020-02-15",
        "note": "按2月14日通知调整",
        "max_attempts": "4",
        "retry_seconds": "120",
    }
    from fangkong.notify.rules import DEFAULT_RULES

    for kind, rule in DEFAULT_RULES.items():
        form[f"{kind}__channels"] = rule["channels"]
        for key in ("minutes", "after"):
            if key in rule:
                form[f"{kind}__{key}"] = str(rule[key])
    form["checkin_reminder__minutes"] = "-5"
    bad = client.post("/notices/schedule/", form)
    assert bad.status_code == 200 and "checkin_reminder__minutes" in bad.context["form"].errors
    form["checkin_reminder__minutes"] = "30"
    form["checkin_reminder__channels"] = ["sms", "inbox"]
    assert client.post("/notices/schedule/", form).status_code == 302
    r = NoticeRules.in_force(dt.date(2020, 2, 15))
    rule = r.rule("checkin_reminder")
    assert rule["minutes"] == 30 and sorted(rule["channels"]) == ["inbox", "sms"]
    assert r.max_attempts == 4 and r.note == "按2月14日通知调整"
    again = client.post("/notices/schedule/", form)
    assert "effective_from" in again.context["form"].errors
    # a town headquarters reads the schedule but may not change the rules; a grid worker neither
    town = make_user("town_hq", TASHAN)
    client.force_login(town)
    assert client.get("/notices/schedule/").status_code == 200
    assert client.post("/notices/schedule/", form).status_code == 403
    client.force_login(make_user("grid_worker", GRID_A))
    assert client.get("/notices/schedule/").status_code == 403
