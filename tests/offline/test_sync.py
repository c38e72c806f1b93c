"""Work recorded without a signal reaches the server once, with the time it happened;
moved, closed or deleted tasks are answered explicitly; nothing outside the worker's
area is given to the phone."""

import datetime as dt
import json
import uuid

import pytest
from django.utils import timezone

from fangkong.core import clock
from fangkong.offline import actions
from fangkong.offline.models import DeviceStatus, OfflineRules, OrphanVisit, SyncReceipt
from fangkong.screening.models import ScreeningTask, Visit
from tests.conftest import GRID_A, GRID_B, HUAYUAN, ZHUJI_VILLAGE

T0 = timezone.make_aware(dt.datetime(2020, 2, 10, 9, 0))


def visit_item(task, minutes_ago=30, outcome="cleared", **data):
    return {
        "client_id": str(uuid.uuid4()),
        "kind": "visit",
        "recorded_at": (clock.now() - dt.timedelta(minutes=minutes_ago)).isoformat(),
        "task": str(task.pk),
        "name": "x",
        "data": {
            "identity_checked": True,
            "contact": "none",
            "health": "well",
            "household_members": 2,
            "outcome": outcome,
            "temperature": "36.5",
            **data,
        },
    }


@pytest.fixture
def worker(make_user):
    return make_user("grid_worker", GRID_A, username="gw", display_name="网格员 卫东")


def post(client, path, body):
    return client.post(
        f"/api/v1/offline/{path}", data=json.dumps(body), content_type="application/json"
    )


@pytest.mark.django_db
def test_two_visits_recorded_offline_are_stored_once_with_their_times(worker, make_task):
    with clock.frozen(T0):
        a, b = make_task(code=GRID_A, name="赵一"), make_task(code=GRID_A, name="钱二")
    items = []
    with clock.frozen(T0 + dt.timedelta(hours=1)):
        items = [visit_item(a, minutes_ago=40), visit_item(b, minutes_ago=10)]
    with clock.frozen(T0 + dt.timedelta(hours=3)):
        answers = actions.sync(worker, "p1", items)
        assert [x["result"] for x in answers] == ["accepted", "accepted"]
        again = actions.sync(worker, "p1", items)
    assert [x["duplicate"] for x in again] == [True, True]
    assert Visit.objects.count() == 2 and SyncReceipt.objects.count() == 2
    visit = Visit.objects.get(task=a)
    assert visit.visited_at == T0 + dt.timedelta(minutes=20)  # when it happened, not received
    receipt = SyncReceipt.objects.get(client_id=items[0]["client_id"])
    assert receipt.recorded_at == T0 + dt.timedelta(minutes=20)
    assert receipt.received_at == T0 + dt.timedelta(hours=3)
    a.refresh_from_db()
    assert a.status == "done" and a.minutes_to_visit == 20
    assert DeviceStatus.objects.get(user=worker, device="p1").waiting == 0


@pytest.mark.django_db
def test_a_task_moved_meanwhile_keeps_the_visit_and_names_the_new_owner(
    worker, make_task, make_user, node
):
    from fangkong.screening import actions as screening

    task = make_task(code=GRID_A, name="孙三")
    item = visit_item(task)
    town = make_user("town_hq", HUAYUAN[:9])
    screening.transfer_task(town, task, node(GRID_B), "moved by the town")
    [answer] = actions.sync(worker, "p1", [item])
    assert answer["result"] == "conflict"
    assert node(GRID_B).name in answer["message"]
    task.refresh_from_db()
    assert task.status == "open" and task.node.code == GRID_B  # the new owner still visits
    kept = Visit.objects.get(client_id=item["client_id"])
    assert kept.task == task and kept.visited_by == worker


@pytest.mark.django_db
def test_a_closed_task_keeps_the_late_visit_without_changing_the_outcome(worker, make_task):
    task = make_task(code=GRID_A)
    first, late = visit_item(task, outcome="home"), visit_item(task, outcome="cleared")
    actions.sync(worker, "p1", [first])
    [answer] = actions.sync(worker, "p2", [late])
    assert answer["result"] == "conflict"
    task.refresh_from_db()
    assert task.outcome == "home" and task.visits.count() == 2


@pytest.mark.django_db
def test_a_visit_for_a_deleted_task_is_kept_as_an_orphan_for_the_village(
    worker, make_task, make_user, client
):
    task = make_task(code=GRID_A, name="周四")
    item = visit_item(task)
    ScreeningTask.objects.filter(pk=task.pk).delete()
    [answer] = actions.sync(worker, "p1", [item])
    assert answer["result"] == "orphan"
    orphan = OrphanVisit.objects.get()
    assert orphan.data["outcome"] == "cleared" and orphan.visited_by == worker
    village = make_user("village_staff", HUAYUAN, username="village")
    client.force_login(village)
    page = client.get("/offline/status/")
    assert page.status_code == 200 and orphan.task_ref in page.content.decode()
    # who recorded it is named as the village knows them, not by the account
    assert "网格员 卫东" in page.content.decode() and ">gw<" not in page.content.decode()
    response = client.post(f"/offline/orphans/{orphan.pk}/resolve/", {"resolution": "已并入新任务"})
    assert response.status_code == 302
    orphan.refresh_from_db()
    assert orphan.resolved_by == village and orphan.resolution == "已并入新任务"
    other = make_user("village_staff", ZHUJI_VILLAGE)
    client.force_login(other)
    assert (
        client.post(f"/offline/orphans/{orphan.pk}/resolve/", {"resolution": "x"}).status_code
        == 404
    )


@pytest.mark.django_db
def test_tampered_items_are_refused_with_the_field_named(worker, make_task, make_user):
    task = make_task(code=GRID_A)
    future = visit_item(task, minutes_ago=-60)
    bad_outcome = visit_item(task, outcome="teleported")
    bad_kind = {**visit_item(task), "kind": "delete_everything"}
    answers = actions.sync(worker, "p1", [future, bad_outcome, bad_kind, {"client_id": "x"}])
    assert [a["result"] for a in answers] == ["rejected"] * 4
    assert [a["field"] for a in answers] == ["recorded_at", "outcome", "kind", "client_id"]
    assert "check the phone's clock" in answers[0]["message"]
    assert not Visit.objects.exists() and not SyncReceipt.objects.exists()
    # An item sent by one account cannot be replayed by another.
    good = visit_item(task)
    actions.sync(worker, "p1", [good])
    stranger = make_user("grid_worker", GRID_A)
    [answer] = actions.sync(stranger, "p9", [good])
    assert answer["result"] == "rejected" and "another account" in answer["message"]
    assert Visit.objects.count() == 1


@pytest.mark.django_db
def test_a_task_that_was_never_the_worker_s_is_refused_not_kept(worker, make_task):
    from tests.conftest import GRID_C

    task = make_task(code=GRID_C, name="冯八")
    [answer] = actions.sync(worker, "p1", [visit_item(task)])
    assert (answer["result"], answer["field"]) == ("rejected", "task")
    assert not Visit.objects.exists() and not OrphanVisit.objects.exists()


@pytest.mark.django_db
def test_an_offline_gate_scan_is_checked_at_the_time_it_was_made(worker, gate, make_person):
    from fangkong.healthcode import tokens
    from fangkong.tracing.models import Scan

    person = make_person(name="吴五")
    with clock.frozen(T0):
        token = tokens.qr_token(person.pk, "green", 120)
    item = {
        "client_id": str(uuid.uuid4()),
        "kind": "scan",
        "recorded_at": (T0 + dt.timedelta(seconds=60)).isoformat(),
        "data": {
            "venue": str(gate.pk),
            "token": token,
            "direction": "entry",
            "temperature": "36.4",
        },
    }
    with clock.frozen(T0 + dt.timedelta(hours=2)):  # long after the code expired
        [answer] = actions.sync(worker, "p1", [item])
        assert answer["result"] == "accepted", answer
        scan = Scan.objects.get(client_id=item["client_id"])
        assert scan.person_id == person.pk and scan.scanned_at == T0 + dt.timedelta(seconds=60)
        late = {**item, "client_id": str(uuid.uuid4()),
                "recorded_at": (T0 + dt.timedelta(minutes=10)).isoformat()}  # fmt: skip
        forged = {**item, "client_id": str(uuid.uuid4()),
                  "data": {**item["data"], "token": token[:-3] + "AAA"}}  # fmt: skip
        answers = actions.sync(worker, "p1", [late, forged])
    assert [a["result"] for a in answers] == ["rejected", "rejected"]
    assert [a["field"] for a in answers] == ["token", "token"]
    assert "expired" in answers[0]["message"] and "not a valid" in answers[1]["message"]


@pytest.mark.django_db
def test_today_gives_only_the_worker_s_area_and_phones_only_to_call(
    worker, make_task, missed, make_user
):
    from auditlog.models import LogEntry

    mine = make_task(code=GRID_A, name="郑六")
    make_task(code=GRID_B, name="王七")  # the neighbouring grid
    before = LogEntry.objects.count()
    bundle = actions.today_bundle(worker)
    assert [v["name"] for v in bundle["visits"]] == ["郑六"]
    assert bundle["visits"][0]["id"] == mine.pk
    assert "*" in bundle["visits"][0]["id_masked"]
    assert "phone" not in bundle["visits"][0]
    [followup] = bundle["followups"]
    assert followup["phone"] == "13905751234"  # the worker must call, and may reveal
    assert LogEntry.objects.count() == before + 1  # the number given is an audited reveal
    elsewhere = make_user("grid_worker", "330681001001G01")
    other = actions.today_bundle(elsewhere)
    assert other["visits"] == [] and other["followups"] == []


@pytest.mark.django_db
def test_a_town_cadre_carries_the_visits_but_not_every_resident_s_number(
    make_task, missed, make_user
):
    """A town's cadre takes the town's visits offline, but a missed check-in's number only
    when the follow-up is assigned to them: opening the page revealed (and audited) the
    number of every resident of the area who missed a check-in."""
    from auditlog.models import LogEntry

    make_task(code=GRID_A, name="郑六")
    town = make_user("town_hq", HUAYUAN[:9])
    before = LogEntry.objects.count()
    bundle = actions.today_bundle(town)
    assert [v["name"] for v in bundle["visits"]] == ["郑六"]
    [followup] = bundle["followups"]
    assert followup["name"] == "孙丽" and followup["phone"] == ""
    assert LogEntry.objects.count() == before  # nothing revealed
    missed.assigned_to = town
    missed.save(update_fields=["assigned_to"])
    [followup] = actions.today_bundle(town)["followups"]
    assert followup["phone"] == "13905751234"  # theirs to call: given, and audited
    assert LogEntry.objects.count() == before + 1


@pytest.mark.django_db
def test_city_and_county_headquarters_do_not_work_offline(make_task, make_user, client):
    make_task(code=GRID_A, name="郑六")
    for role, code in (("city_hq", "3306"), ("county_hq", HUAYUAN[:6])):
        client.force_login(make_user(role, code))
        assert client.get("/offline/").status_code == 403
        assert client.get("/api/v1/offline/today").status_code == 403
        assert 'href="/offline/"' not in client.get("/").content.decode()  # not in the menu


@pytest.mark.django_db
def test_the_store_key_belongs_to_the_session_and_expires(worker, client):
    client.force_login(worker)
    first = client.get("/api/v1/offline/key").json()
    assert client.get("/api/v1/offline/key").json()["key"] == first["key"]
    hours = OfflineRules.in_force().key_hours
    with clock.frozen(clock.now() + dt.timedelta(hours=hours, minutes=1)):
        renewed = client.get("/api/v1/offline/key").json()
    assert renewed["key"] != first["key"]
    client.logout()
    client.force_login(worker)
    assert client.get("/api/v1/offline/key").json()["key"] not in (first["key"], renewed["key"])


@pytest.mark.django_db
def test_api_sync_answers_each_item_and_limits_the_batch(worker, make_task, client):
    task = make_task(code=GRID_A)
    client.force_login(worker)
    item = visit_item(task)
    response = post(client, "sync", {"device": "p1", "items": [item]})
    assert response.status_code == 200, response.content
    assert response.json()["results"][0]["result"] == "accepted"
    again = post(client, "sync", {"device": "p1", "items": [item]}).json()["results"][0]
    assert again["duplicate"] is True and Visit.objects.count() == 1
    limit = OfflineRules.in_force().max_batch
    too_many = post(client, "sync", {"items": [visit_item(task)] * (limit + 1)})
    assert too_many.status_code == 422 and "items" in too_many.content.decode()
    status = post(client, "status", {"device": "p1", "waiting": 3})
    assert status.status_code == 200 and status.json()["waiting"] == 3


@pytest.mark.django_db
def test_village_sees_its_workers_phones_only(worker, make_user, client):
    actions.record_status(worker, "花园一号机", 4, None)
    far = make_user("grid_worker", "330681001001G01")
    actions.record_status(far, "远方二号机", 9, None)
    client.force_login(make_user("village_staff", HUAYUAN))
    devices = client.get("/api/v1/offline/devices").json()
    assert devices["count"] == 1
    assert [(d["device"], d["waiting"]) for d in devices["items"]] == [("花园一号机", 4)]
    page = client.get("/offline/status/").content.decode()
    assert "花园一号机" in page and "远方二号机" not in page


@pytest.mark.django_db
def test_pages_manifest_and_service_worker(worker, make_user, client):
    client.force_login(worker)
    page = client.get("/offline/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'rel="manifest"' in html and "offline/app.js" in html
    manifest = client.get("/offline/manifest.webmanifest").json()
    assert manifest["start_url"] == "/offline/" and len(manifest["icons"]) == 2
    sw = client.get("/sw.js")
    assert sw["Content-Type"].startswith("application/javascript")
    assert "workbox-sw.js" in sw.content.decode() and "no-cache" in sw["Cache-Control"]
    client.force_login(make_user("supplies", "3306"))
    assert client.get("/offline/").status_code == 403
    assert 'rel="manifest"' not in client.get("/").content.decode()


@pytest.mark.django_db
def test_an_offline_scan_is_judged_by_the_gate_rule_in_force_when_it_was_made(
    worker, gate, make_person
):
    """The fever threshold was lowered the next morning; the phone sends the scan after:
    the person let in at 37.1 °C the day before was let in by the rule of that day."""
    from decimal import Decimal

    from fangkong.healthcode import tokens
    from fangkong.tracing.models import Scan, TracingRules

    person = make_person(name="何九")
    with clock.frozen(T0):
        token = tokens.qr_token(person.pk)
        old = TracingRules.in_force(T0.date()).gate_fever_from
    assert old > Decimal("37.1")
    TracingRules.objects.create(
        effective_from=(T0 + dt.timedelta(days=1)).date(), gate_fever_from=Decimal("37.0")
    )
    item = {
        "client_id": str(uuid.uuid4()),
        "kind": "scan",
        "recorded_at": (T0 + dt.timedelta(seconds=30)).isoformat(),
        "data": {
            "venue": str(gate.pk),
            "token": token,
            "direction": "entry",
            "temperature": "37.1",
        },
    }
    with clock.frozen(T0 + dt.timedelta(days=1, hours=2)):
        [answer] = actions.sync(worker, "p1", [item])
    assert answer["result"] == "accepted"
    scan = Scan.objects.get(client_id=item["client_id"])
    assert scan.admitted and scan.colour == "green" and scan.refusal == ""


@pytest.mark.django_db
def test_the_offline_pages_speak_chinese_only(worker, make_user, make_task, client):
    """Visible text, form options and the messages the script shows (data-msg-*) carry no
    English word and no raw value."""
    import re
    from html.parser import HTMLParser

    class Words(HTMLParser):
        def __init__(self):
            super().__init__()
            self.out, self.skip = [], 0

        def handle_starttag(self, tag, attrs):
            self.skip += tag in ("script", "style", "noscript")
            self.out += [v or "" for k, v in attrs if k.startswith("data-msg") or k == "title"]

        def handle_endtag(self, tag):
            self.skip -= tag in ("script", "style", "noscript")

        def handle_data(self, data):
            if not self.skip:
                self.out.append(data)

    task = make_task(code=GRID_A, name="陈十")
    item = visit_item(task)
    ScreeningTask.objects.filter(pk=task.pk).delete()
    actions.sync(worker, "20481632", [item])  # an orphan and a phone on the status page
    allowed = {"JavaScript"}
    for user, path in (
        (worker, "/offline/"),
        (worker, "/offline/gate/"),
        (make_user("village_staff", HUAYUAN), "/offline/status/"),
    ):
        client.force_login(user)
        page = client.get(path)
        assert page.status_code == 200
        main = page.content.decode().split('<main id="content">', 1)[-1]
        parser = Words()
        parser.feed(main)
        english = {w for w in re.findall(r"[A-Za-z_]{3,}", " ".join(parser.out))} - allowed
        assert english == set(), (path, english)


@pytest.mark.django_db
def test_task_and_gate_numbers_beyond_the_database_are_kept_or_refused_not_errors(
    worker, gate, client
):
    huge = "9" * 30
    visit = {**visit_item(type("T", (), {"pk": huge})()), "task": huge}
    scan = {
        "client_id": str(uuid.uuid4()),
        "kind": "scan",
        "recorded_at": clock.now().isoformat(),
        "data": {"venue": huge, "token": "F1.x.y"},
    }
    client.force_login(worker)
    answers = post(client, "sync", {"items": [visit, scan]}).json()["results"]
    assert [a["result"] for a in answers] == ["orphan", "rejected"]
    assert answers[1]["field"] == "venue"
    assert OrphanVisit.objects.get().task_ref == huge
    status = post(client, "status", {"waiting": 2, "last_sync_at": "2020-02-10T09:00:00"})
    assert status.status_code == 200
    assert DeviceStatus.objects.get(user=worker).last_sync_at == T0


@pytest.mark.django_db
def test_city_headquarters_date_the_offline_rules_page_and_api(make_user, client):
    city = make_user("city_hq", "3306")
    client.force_login(city)
    assert client.get("/offline/rules/").status_code == 200
    tomorrow = clock.today() + dt.timedelta(days=1)
    page = client.post(
        "/offline/rules/",
        {"effective_from": tomorrow.isoformat(), "key_hours": 8, "max_batch": 100,
         "max_waiting": 300, "max_item_age_days": 3, "note": "省指挥部通知"},
    )  # fmt: skip
    assert page.status_code == 302
    assert OfflineRules.in_force(tomorrow).key_hours == 8
    assert OfflineRules.in_force(clock.today()).key_hours == 12  # today keeps its rule
    body = {"effective_from": tomorrow.isoformat(), "key_hours": 6, "max_batch": 100,
            "max_waiting": 300, "max_item_age_days": 3}  # fmt: skip
    again = post(client, "rules", body)
    assert again.status_code == 422 and "effective_from" in again.content.decode()
    past = post(client, "rules", {**body, "effective_from": "2020-01-01"})
    assert past.status_code == 422
    listed = client.get("/api/v1/offline/rules").json()
    assert listed["count"] == 2 and [r["key_hours"] for r in listed["items"]] == [8, 12]
    client.force_login(make_user("town_hq", HUAYUAN[:9]))
    assert post(client, "rules", {**body, "effective_from": "2099-01-01"}).status_code == 403
    client.force_login(make_user("grid_worker", GRID_A))
    assert client.get("/offline/rules/").status_code == 403
