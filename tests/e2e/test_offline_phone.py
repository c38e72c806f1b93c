"""A grid worker's phone without a signal (the browser context set offline): today's list
opens from what the phone keeps, two visits and a gate scan are recorded, and when the
signal returns the server holds exactly those records with the times they happened; the
same sync sent again stores nothing new; a task transferred meanwhile gives the conflict
message. And the phone's store holds nothing beyond the worker's area, and is wiped on
sign-out."""

import json

import pytest
from django.utils import timezone

from tests.conftest import GRID_A, GRID_B, TASHAN
from tests.e2e.conftest import sign_in
from tests.idnumbers import rid
from tests.screening.conftest import make_task  # noqa: F401,F811 - fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

READY = "#offline-app[data-ready='1']"

# Reads what the page keeps in IndexedDB and opens it with this session's key (the same
# key the page was given), so the test sees exactly what a thief of the phone could not.
READ_STORE = """async () => {
  const db = await new Promise((ok, ko) => {
    const r = indexedDB.open("fangkong-offline");
    r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error);
  });
  const get = (store, key) => new Promise((ok) => {
    const r = db.transaction(store).objectStore(store).get(key);
    r.onsuccess = () => ok(r.result);
  });
  const box = await get("meta", "today");
  const given = await (await fetch("/api/v1/offline/key", {credentials: "same-origin"})).json();
  const raw = Uint8Array.from(atob(given.key), (c) => c.charCodeAt(0));
  const key = await crypto.subtle.importKey("raw", raw, {name: "AES-GCM"}, false, ["decrypt"]);
  const plain = await crypto.subtle.decrypt({name: "AES-GCM", iv: box.iv}, key, box.ct);
  const sealed = new TextDecoder().decode(new Uint8Array(box.ct));
  db.close();
  return {today: JSON.parse(new TextDecoder().decode(plain)), sealed: sealed};
}"""

STORES_LEFT = """async () => {
  const names = (await indexedDB.databases()).map((d) => d.name);
  const caches_ = (await caches.keys()).filter((k) => k.startsWith("fangkong-pages"));
  return {databases: names, pages: caches_};
}"""


def phone_context(browser):
    return browser.new_context(
        viewport={"width": 375, "height": 740}, locale="zh-CN", service_workers="allow"
    )


def watch_policy(page) -> list[str]:
    """What the Content-Security-Policy blocked on the page (it must be nothing)."""
    blocked: list[str] = []
    page.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return blocked


def open_online(page, url):
    """Open a page with a signal and wait until the service worker controls it and the
    offline app has stored what it needs."""
    page.goto(url)
    page.wait_for_selector(READY, state="attached", timeout=90_000)
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    if not page.evaluate("() => !!navigator.serviceWorker.controller"):
        page.reload()
        page.wait_for_selector(READY, state="attached", timeout=90_000)


def record_visit(page, task_id, temperature):
    page.click(f"[data-visit='{task_id}']")
    page.check("[data-visit-form] #id_identity_checked")
    page.check("[data-visit-form] #id_address_checked")
    page.fill("[data-visit-form] #id_temperature", temperature)
    page.select_option("[data-visit-form] #id_outcome", "cleared")
    page.click("[data-visit-form] button[type=submit]")
    page.wait_for_selector(f"li[data-task='{task_id}'] .badge.waiting")


def test_a_morning_without_a_signal_reaches_the_server_once_with_its_times(
    live_server,
    browser,
    make_user,
    make_person,
    make_task,  # noqa: F811
    node,
    seeded_rules,
):
    from fangkong.healthcode.tokens import personal_token
    from fangkong.offline.models import SyncReceipt
    from fangkong.screening import actions as screening
    from fangkong.screening.models import Visit
    from fangkong.tracing import venues
    from fangkong.tracing.models import Scan

    worker = make_user("grid_worker", GRID_A, username="gw")
    town = make_user("town_hq", TASHAN, username="town")
    gate = venues.create_venue(
        worker, {"name": "府山小区东门", "kind": "gate", "node": worker.node}
    )
    zhao = make_task(code=GRID_A, name="赵小明", id_number=rid("420106", "1986-04-02", 11))
    qian = make_task(code=GRID_A, name="钱小红", id_number=rid("330602", "1979-11-23", 22))
    sun = make_task(code=GRID_A, name="孙建国", id_number=rid("330621", "1958-07-09", 33))
    resident = make_person("林芳", node_code=GRID_A, id_number=rid("330602", "1990-01-15", 44))

    # The resident's code page, as she shows it at the gate.
    resident_ctx = phone_context(browser)
    code_page = resident_ctx.new_page()
    code_page.goto(f"{live_server.url}/healthcode/me/{personal_token(resident.pk)}/")
    token = code_page.locator("#qr").get_attribute("data-token")
    assert token.startswith("F1.")
    resident_ctx.close()

    context = phone_context(browser)
    page = context.new_page()
    blocked = watch_policy(page)
    sign_in(page, live_server.url, "gw")
    open_online(page, f"{live_server.url}/offline/gate/")
    open_online(page, f"{live_server.url}/offline/")
    assert page.locator("[data-visits] li").count() == 3

    # --- no signal ---------------------------------------------------------------------
    context.set_offline(True)
    page.reload()  # today's list opens from the phone's own store
    page.wait_for_selector(READY, state="attached", timeout=90_000)
    page.wait_for_selector("#sync-status.offline")  # told, though navigator.onLine may lie
    assert set(page.locator("[data-visits] li b").all_inner_texts()) == {
        "孙建国",
        "赵小明",
        "钱小红",
    }
    started = timezone.now()
    record_visit(page, zhao.pk, "36.5")
    record_visit(page, qian.pk, "36.8")
    page.goto(f"{live_server.url}/offline/gate/")
    page.wait_for_selector(READY, state="attached", timeout=90_000)
    page.select_option("#gate-venue", str(gate.pk))
    page.fill("#gate-token", token)
    page.select_option("#gate-direction", "entry")
    page.fill("#gate-temp", "36.4")
    page.click("[data-gate-form] button[type=submit]")
    result = page.locator("[data-gate-result]")
    assert "放行" in result.inner_text() and "绿码" in result.inner_text()
    assert "颜色为亮码时的状态" in result.inner_text()
    page.wait_for_function("() => document.querySelector('[data-waiting]').textContent === '3'")
    recorded_until = timezone.now()
    assert not Visit.objects.exists() and not Scan.objects.exists()

    # --- the signal returns ------------------------------------------------------------
    sent = []
    page.on("request", lambda r: sent.append(r.post_data) if r.url.endswith("/sync") else None)
    back_online = timezone.now()
    context.set_offline(False)
    page.wait_for_function(
        "() => document.querySelector('[data-waiting]').textContent === '0'", timeout=60_000
    )

    visits = {v.task_id: v for v in Visit.objects.all()}
    assert set(visits) == {zhao.pk, qian.pk}
    [scan] = Scan.objects.all()
    assert scan.person_id == resident.pk and scan.venue_id == gate.pk and scan.admitted
    receipts = list(SyncReceipt.objects.all())
    assert len(receipts) == 3 and {r.result for r in receipts} == {"accepted"}
    for r in receipts:  # the time it happened, kept beside the time it arrived
        assert started <= r.recorded_at <= recorded_until < back_online <= r.received_at
    assert all(started <= v.visited_at <= recorded_until for v in visits.values())
    assert started <= scan.scanned_at <= recorded_until

    # The same sync again (a retry after a lost answer) stores nothing new.
    [payload] = [p for p in sent if p]
    csrf = page.locator("#offline-app").get_attribute("data-csrf")
    again = page.request.post(
        f"{live_server.url}/api/v1/offline/sync",
        data=payload,
        headers={"Content-Type": "application/json", "X-CSRFToken": csrf},
    )
    assert again.ok
    assert [r["duplicate"] for r in again.json()["results"]] == [True, True, True]
    assert Visit.objects.count() == 2 and Scan.objects.count() == 1
    assert SyncReceipt.objects.count() == 3

    # --- a task transferred while the phone is offline ---------------------------------
    page.goto(f"{live_server.url}/offline/")
    page.wait_for_selector(READY, state="attached", timeout=90_000)
    context.set_offline(True)
    record_visit(page, sun.pk, "36.6")
    screening.transfer_task(town, sun, node(GRID_B), "户籍地在二网格")
    context.set_offline(False)
    message = page.locator("#offline-messages .message.warning")
    message.wait_for(timeout=60_000)
    assert "已转交" in message.inner_text() and node(GRID_B).name in message.inner_text()
    kept = Visit.objects.get(task=sun)
    assert kept.visited_by == worker and kept.task.node.code == GRID_B
    assert SyncReceipt.objects.get(target=f"visit:{kept.pk}").result == "conflict"
    assert blocked == []
    context.close()


def test_the_phone_keeps_only_the_worker_s_area_and_forgets_it_on_sign_out(
    live_server,
    browser,
    make_user,
    make_task,  # noqa: F811
):
    make_user("grid_worker", GRID_A, username="gw")
    mine = make_task(code=GRID_A, name="郑六", id_number=rid("330602", "1966-02-17", 51))
    make_task(code=GRID_B, name="王七", id_number=rid("330602", "1972-09-30", 62))

    context = phone_context(browser)
    page = context.new_page()
    blocked = watch_policy(page)
    sign_in(page, live_server.url, "gw")
    open_online(page, f"{live_server.url}/offline/")
    page.wait_for_selector(f"li[data-task='{mine.pk}']")

    store = page.evaluate(READ_STORE)
    visits = store["today"]["visits"]
    assert [(v["id"], v["name"]) for v in visits] == [(mine.pk, "郑六")]
    assert "王七" not in json.dumps(store["today"], ensure_ascii=False)
    assert "*" in visits[0]["id_masked"] and "phone" not in visits[0]
    assert mine.subject.person.reveal("id_number") not in json.dumps(store["today"])
    assert "郑六" not in store["sealed"]  # what is kept is encrypted

    page.locator("label.menu-button").click()
    page.locator("form[action$='/logout/'] button").click()
    page.wait_for_url(lambda url: "/offline/" not in url)
    left = page.evaluate(STORES_LEFT)
    assert "fangkong-offline" not in left["databases"] and left["pages"] == []
    assert blocked == []
    context.close()


def test_the_gate_list_holds_every_gate_of_the_area_page_by_page(
    live_server, browser, make_user, monkeypatch
):
    """More gates than one page of /offline/venues: the phone fetches the pages after
    the first (it kept the first 500 before) and the gate's list offers every one."""
    from fangkong.offline import api
    from fangkong.tracing import venues
    from fangkong.tracing.models import Venue

    monkeypatch.setattr(api, "GATE_VENUES", 3)  # the live server runs in this process
    worker = make_user("grid_worker", GRID_A, username="gw")
    for i in range(8):
        venues.create_venue(worker, {"name": f"东门{i}", "kind": "gate", "node": worker.node})
    mine = set(
        Venue.objects.restrict(worker, "view").filter(active=True).values_list("pk", flat=True)
    )
    assert len(mine) == 8

    context = phone_context(browser)
    page = context.new_page()
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if "/offline/venues" in r.url else None)
    sign_in(page, live_server.url, "gw")
    open_online(page, f"{live_server.url}/offline/gate/")
    page.wait_for_function("() => document.querySelectorAll('#gate-venue option').length >= 8")
    offered = page.locator("#gate-venue option").evaluate_all("os => os.map(o => o.value)")
    assert {int(v) for v in offered} == mine and len(offered) == 8
    assert any("page=3" in u for u in fetched)  # 3 + 3 + 2: the third page was read
    context.close()
