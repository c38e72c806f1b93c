"""Pages and API of screening: each works for its user and refuses another jurisdiction."""

import io
import re
import uuid

import openpyxl
import pytest

from fangkong.core.sms import OutboxGateway
from fangkong.screening import actions
from fangkong.screening.models import ExceptionItem, ScreeningTask, Visit
from tests.conftest import GRID_A, GRID_C, GRID_Z, HUAYUAN, TASHAN
from tests.screening.test_import import TELECOM_ROWS, csv_bytes


@pytest.fixture
def world(db, make_user, make_task, make_source, upload, node):
    """Yuecheng's list and tasks; a Zhuji county user as the outsider."""
    county = make_user("county_hq", "330602")
    source = make_source("电信推送", code="330602")
    pushed, _ = upload(county, source, csv_bytes(TELECOM_ROWS))
    task = make_task(code=GRID_A)
    exception = ExceptionItem.objects.get(node__code=TASHAN, subject__name="冯二")
    return {
        "county": county,
        "worker": make_user("grid_worker", GRID_A),
        "town": make_user("town_hq", TASHAN),
        "outsider": make_user("county_hq", "330681"),
        "outsider_worker": make_user("grid_worker", GRID_Z),
        "list": pushed,
        "task": task,
        "exception": exception,
        "source": source,
    }


def object_urls(w):
    t, e, pushed = w["task"].pk, w["exception"].pk, w["list"].pk
    return [
        f"/screening/lists/{pushed}/",
        f"/screening/lists/{pushed}/report.xlsx",
        f"/screening/tasks/{t}/",
        f"/screening/tasks/{t}/transfer/",
        f"/screening/exceptions/{e}/assign/",
        f"/screening/progress/{HUAYUAN}/",
        f"/screening/progress/{HUAYUAN}/export.xlsx",
    ]


def test_pages_work_for_their_users(client, world):
    client.force_login(world["county"])
    for url in object_urls(world) + [
        "/screening/lists/",
        "/screening/sources/",
        "/screening/exceptions/",
        "/screening/aliases/",
        "/screening/handovers/",
        "/screening/progress/",
        "/screening/today/",
        "/screening/declare/poster/",
    ]:
        assert client.get(url).status_code == 200, url
    report = client.get(f"/screening/lists/{world['list'].pk}/report.xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(report.content))
    assert wb.sheetnames[1:] and wb.worksheets[1].max_row == 11  # header + every row (10)


@pytest.mark.parametrize("who", ["outsider", "outsider_worker"])
def test_pages_refuse_another_jurisdiction(client, world, who):
    client.force_login(world[who])
    for url in object_urls(world):
        assert client.get(url).status_code in (403, 404), url
        assert client.post(url, {}).status_code in (403, 404, 405), url
    assert world["task"].subject.name not in client.get("/screening/today/").content.decode()


def test_lists_refused_to_grid_worker(client, world):
    client.force_login(world["worker"])
    assert client.get("/screening/lists/").status_code == 403
    assert client.get("/screening/exceptions/").status_code == 403


def test_grid_worker_visits_from_the_phone_pages(client, world):
    client.force_login(world["worker"])
    today = client.get("/screening/today/").content.decode()
    assert world["task"].subject.name in today
    form = {
        "client_id": str(uuid.uuid4()),
        "contact": "none",
        "health": "well",
        "household_members": "2",
        "outcome": "cleared",
        "identity_checked": "on",
    }
    url = f"/screening/tasks/{world['task'].pk}/"
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302  # the phone retries
    assert Visit.objects.filter(task=world["task"]).count() == 1


def test_upload_page_runs_the_import(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["county"])
    data = io.BytesIO(csv_bytes(TELECOM_ROWS[:2]))
    data.name = "two.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/screening/lists/", {"source": world["source"].pk, "file": data})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "张三" not in page or "report.xlsx" in page
    bad = io.BytesIO(b"\x00\x01\x02garbage")
    bad.name = "bad.csv"
    response = client.post("/screening/lists/", {"source": world["source"].pk, "file": bad})
    assert response.status_code == 200 and "errorlist" in response.content.decode()


def test_town_assigns_an_exception_by_page(client, world):
    client.force_login(world["town"])
    url = f"/screening/exceptions/{world['exception'].pk}/assign/"
    assert client.post(url, {"to_code": GRID_A}).status_code == 302
    world["exception"].refresh_from_db()
    assert world["exception"].status == "assigned"
    assert ScreeningTask.objects.filter(
        subject=world["exception"].subject, node__code=GRID_A
    ).exists()


def test_assign_page_offers_every_place_of_the_queue(client, world):
    """The list holds every village and grid under the queue (it was cut at 3000)."""
    from fangkong.geo.models import Division

    client.force_login(world["town"])
    url = f"/screening/exceptions/{world['exception'].pk}/assign/"
    page = client.get(url).content.decode()
    select = page.split('name="to_code"', 1)[1].split("</select>", 1)[0]
    places = Division.objects.under(world["exception"].node.path).filter(
        level__in=("village", "grid")
    )
    assert select.count("<option") == places.count() > 0


def test_assign_page_takes_a_name_where_the_queue_has_too_many_places(client, world, monkeypatch):
    """Past the list's length the town types the name (the picker over the queue's
    villages and grids); the last place by path is as reachable as the first."""
    from fangkong.geo.models import Division
    from fangkong.geo.picker import path_labels
    from fangkong.screening import views

    monkeypatch.setattr(views, "ASSIGN_LIST", 2)
    client.force_login(world["town"])
    url = f"/screening/exceptions/{world['exception'].pk}/assign/"
    page = client.get(url).content.decode()
    assert 'data-picker="jurisdiction"' in page and "<select" not in page.split("<main", 1)[-1]
    last = (
        Division.objects.under(world["exception"].node.path)
        .filter(level__in=("village", "grid"))
        .order_by("path")
        .last()
    )
    elsewhere = client.post(
        url, {"to_code": path_labels([Division.objects.get(code=GRID_C)])[GRID_C]}
    )
    assert elsewhere.status_code == 200  # a grid of another town is not in this queue
    assert client.post(url, {"to_code": path_labels([last])[last.code]}).status_code == 302
    assert ScreeningTask.objects.filter(subject=world["exception"].subject, node=last).exists()


def test_assignment_suggests_and_takes_only_the_places_of_the_queue(client, world, monkeypatch):
    """The county opens an exception queued at 塔山街道: the picker suggests only that
    town's villages and grids (not the county's other towns), as the assignment on the
    page and by the API accepts only those."""
    from fangkong.screening import views

    monkeypatch.setattr(views, "ASSIGN_LIST", 2)
    item = world["exception"]
    assert item.node.code == TASHAN
    client.force_login(world["county"])
    page = client.get(f"/screening/exceptions/{item.pk}/assign/").content.decode()
    assert f'data-under="{TASHAN}"' in page
    pick = {"q": "第1网格", "levels": "grid", "scope": "mine"}
    everywhere = {i["code"] for i in client.get("/geo/pick/", pick).json()["items"]}
    assert {GRID_A, GRID_C} <= everywhere  # the county's own area holds both
    queue = client.get("/geo/pick/", {**pick, "under": TASHAN}).json()
    assert [i["code"] for i in queue["items"]] == [GRID_A] and queue["count"] == 1
    county = bearer(client, world["county"])
    url = f"/api/v1/screening/exceptions/{item.pk}/assign"
    for elsewhere in (GRID_C, GRID_Z):  # another town of the county; another county
        r = client.post(url, {"to_code": elsewhere}, content_type="application/json", **county)
        assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "to", elsewhere
    item.refresh_from_db()
    assert item.status == "open"
    r = client.post(url, {"to_code": GRID_A}, content_type="application/json", **county)
    assert r.status_code == 200 and r.json()["node_code"] == GRID_A


def test_transfer_page_moves_the_task(client, world):
    """The worker types the village's everyday name, sees the person and both paths on a
    confirmation page, and only then the task moves."""
    client.force_login(world["worker"])
    url = f"/screening/tasks/{world['task'].pk}/transfer/"
    page = client.post(url, {"to_code": "越都 第1网格", "reason": "住在府山"})
    text = page.content.decode()
    assert page.status_code == 200 and "确认转交" in text
    assert world["task"].subject.name in text
    assert "越城区 › 塔山街道 › 花园社区 › 第1网格" in text  # where it is now
    assert "越城区 › 府山街道 › 越都社区 › 第1网格" in text  # where it goes
    assert ScreeningTask.objects.get(pk=world["task"].pk).node.code == GRID_A  # not yet
    done = client.post(url, {"to_code": GRID_C, "reason": "住在府山", "confirmed": "1"})
    assert done.status_code == 302
    assert client.get(f"/screening/tasks/{world['task'].pk}/").status_code == 404


def test_public_declaration_and_qr(client, world):
    assert client.get("/screening/declare/").status_code == 200
    svg = client.get("/screening/declare/qr.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    form = {
        "name": "林一",
        "phone": "13600000001",
        "origin": "湖北省武汉市",
        "arrival_date": "2026-11-28",
        "address": "越城区塔山街道花园社区9幢",
    }
    assert "code-sent" in client.post("/screening/declare/", {**form, "send_code": "1"}).text
    code = re.search(r"\d{6}", OutboxGateway.last_to("13600000001").text).group()
    response = client.post("/screening/declare/", {**form, "code": code})
    assert response.status_code == 200 and 'id="declared"' in response.content.decode()
    assert ScreeningTask.objects.filter(subject__name="林一", node__code=HUAYUAN).exists()


# --- API ---------------------------------------------------------------------------------------


def bearer(client, user):
    response = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": "pw-for-tests-1"},
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def test_api_flow(client, world, django_capture_on_commit_callbacks):
    county = bearer(client, world["county"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/screening/lists",
            {"source_id": world["source"].pk, "file": io.BytesIO(csv_bytes(TELECOM_ROWS[:1]))},
            **county,
        )
    assert response.status_code == 201, response.content
    list_id = response.json()["id"]
    assert client.get(f"/api/v1/screening/lists/{list_id}", **county).json()["status"] == "done"
    report = client.get(f"/api/v1/screening/lists/{world['list'].pk}/report", **county).json()
    assert len(report["rejections"]) == 3
    worker = bearer(client, world["worker"])
    page = client.get("/api/v1/screening/tasks", **worker).json()
    tasks = page["items"]
    assert page["count"] == len(tasks)
    assert [t["id"] for t in tasks] == [world["task"].pk]
    body = {"client_id": str(uuid.uuid4()), "outcome": "home", "health": "well"}
    url = f"/api/v1/screening/tasks/{world['task'].pk}/visits"
    first = client.post(url, body, content_type="application/json", **worker)
    again = client.post(url, body, content_type="application/json", **worker)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    prog = client.get(f"/api/v1/screening/progress/{HUAYUAN}", **county).json()
    grid_a = next(c for c in prog["children"] if c["code"] == GRID_A)
    assert grid_a["visited"] == 1 and grid_a["outcomes"]["home"] == 1
    assert prog["node"]["pushed"] == 3 and prog["node"]["open"] == 2  # 张三, 李四 at the village
    assert prog["checklists"][0]["name"] == "三清一管好"
    town = bearer(client, world["town"])
    page = client.get("/api/v1/screening/exceptions", **town).json()
    exc = page["items"]
    assert world["exception"].pk in [e["id"] for e in exc] and len(exc) == page["count"] == 2
    assigned = client.post(
        f"/api/v1/screening/exceptions/{world['exception'].pk}/assign",
        {"to_code": GRID_A},
        content_type="application/json",
        **town,
    )
    assert assigned.status_code == 200 and assigned.json()["node_code"] == GRID_A


def test_api_report_reads_every_rejection_window_by_window(client, world, monkeypatch):
    """The report answers a window of rows with that window's rejections, how many rows
    were rejected in all and where the next window starts (the rejections were cut at
    5000, whatever `first` asked)."""
    from fangkong.screening import api, fates
    from fangkong.screening.models import ImportRejection

    monkeypatch.setattr(api, "REPORT_ROWS", 3)
    county = bearer(client, world["county"])
    url = f"/api/v1/screening/lists/{world['list'].pk}/report"
    rejected, rows, first, answers = [], [], 0, 0
    while first is not None:
        report = client.get(url, {"first": first}, **county).json()
        rejected += [r["row_no"] for r in report["rejections"]]
        window = [r["row_no"] for r in report["rows"]]
        assert all(first <= n < first + 3 for n in window)
        rows += window
        first, answers = report["next_first"], answers + 1
    expected = ImportRejection.objects.filter(pushed_list=world["list"], duplicate=False)
    assert report["rejections_count"] == len(rejected) == len(set(rejected)) == expected.count()
    assert answers > 2 and sorted(rows) == list(range(2, fates.last_row(world["list"]) + 1))


def test_api_refuses_another_jurisdiction(client, world):
    outsider = bearer(client, world["outsider"])
    t, e, pushed = world["task"].pk, world["exception"].pk, world["list"].pk
    for url in (
        f"/api/v1/screening/lists/{pushed}",
        f"/api/v1/screening/lists/{pushed}/report",
        f"/api/v1/screening/tasks/{t}",
        f"/api/v1/screening/progress/{HUAYUAN}",
    ):
        assert client.get(url, **outsider).status_code == 404, url
    for url, body in (
        (
            f"/api/v1/screening/tasks/{t}/visits",
            {"client_id": str(uuid.uuid4()), "outcome": "cleared"},
        ),
        (f"/api/v1/screening/tasks/{t}/transfer", {"to_code": GRID_Z}),
        (f"/api/v1/screening/exceptions/{e}/assign", {"to_code": GRID_Z}),
    ):
        assert (
            client.post(url, body, content_type="application/json", **outsider).status_code == 404
        )
    assert client.get("/api/v1/screening/tasks", **outsider).json()["items"] == []
    assert client.get("/api/v1/screening/exceptions", **outsider).json()["count"] == 0
    upload = client.post(
        "/api/v1/screening/lists",
        {"source_id": world["source"].pk, "file": io.BytesIO(b"x")},
        **outsider,
    )
    assert upload.status_code == 404
    assert actions  # the API and pages call the same actions


def test_home_card_and_browser_column(client, world):
    client.force_login(world["worker"])
    page = client.get("/").content.decode()
    assert "/screening/today/" in page
    from fangkong.geo import counters

    counts = counters.child_counts(world["county"], world["task"].node.parent, [world["task"].node])
    assert counts["screening_open"] == {GRID_A: 1}


def test_today_page_queries_do_not_grow_with_tasks(
    client, world, make_task, django_assert_max_num_queries
):
    client.force_login(world["worker"])
    for i in range(5):
        make_task(code=GRID_A, name=f"孙{i}")
    with django_assert_max_num_queries(8):
        response = client.get("/screening/today/")
    assert response.content.decode().count('<li class="task') == 6


def test_progress_shows_median_minutes_as_whole_minutes(client, world, monkeypatch):
    """An even count of visits has a median between two: the page shows 247, not 247.0,
    in the node's card and in each child's row."""
    from fangkong.geo.models import Division
    from fangkong.screening import progress

    town = Division.objects.get(code=TASHAN)
    village = Division.objects.get(code=HUAYUAN)
    own = progress.Figures(town, pushed=2, visited=2, minutes=[200, 294])
    child = progress.Figures(village, pushed=2, visited=2, minutes=[200, 294])
    assert own.median_minutes == 247.0
    monkeypatch.setattr(progress, "figures", lambda user, node: (own, [child]))
    client.force_login(world["county"])
    page = client.get(f"/screening/progress/{TASHAN}/").content.decode()
    assert "247.0" not in page
    assert " 247</div>" in page  # the card
    assert re.search(r'data-label="[^"]*">247</td>', page)  # the village's row
