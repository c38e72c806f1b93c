import html
import re
from unittest import mock

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from fangkong.people.models import Person
from tests.conftest import GRID_A, GRID_B
from tests.idnumbers import rid

ID = rid("330602", "1948-11-11")


@pytest.fixture
def worker_client(client, grid_worker):
    client.force_login(grid_worker)
    return client


@pytest.fixture
def own(make_person):
    return make_person("王秀英", node_code=GRID_A, id_number=ID, phone="13812345678")


@pytest.fixture
def other(make_person):
    return make_person("李明", node_code=GRID_B)


def test_list_shows_own_grid_masked(worker_client, own, other):
    html = worker_client.get(reverse("people:list")).content.decode()
    assert "王秀英" in html and "李明" not in html
    assert own.id_masked in html and ID not in html and "138****5678" in html


def test_list_requires_login(client):
    response = client.get(reverse("people:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_search_by_full_id_initials_and_phone(worker_client, own):
    for q in (ID, "wxy", "13812345678", "秀英"):
        response = worker_client.post(reverse("people:list"), {"q": q}, follow=True)
        assert "王秀英" in response.content.decode(), q
        address = response.redirect_chain[-1][0]
        assert ID not in address and "13812345678" not in address


def test_search_by_number_leaves_no_number_in_urls_or_audit(worker_client, own):
    response = worker_client.post(reverse("people:list"), {"q": "138 1234 5678"})
    assert response.status_code == 302 and "?s=" in response["Location"]
    html = worker_client.get(response["Location"]).content.decode()
    assert "王秀英" in html and "13812345678" not in html
    export = worker_client.get(response["Location"].replace("/people/?", "/people/export.xlsx?"))
    assert export.status_code == 403  # grid workers may not export; the handle is no key
    entry = LogEntry.objects.filter(changes_text="list:1").latest("pk")
    assert entry.additional_data["filters"]["q_index"].startswith("phone:")
    assert "13812345678" not in str(entry.additional_data)


def test_htmx_search_pushes_an_address_without_the_number(worker_client, own):
    response = worker_client.post(reverse("people:list"), {"q": ID}, HTTP_HX_REQUEST="true")
    assert "王秀英" in response.content.decode()
    assert ID not in response["HX-Push-Url"] and "s=" in response["HX-Push-Url"]


def test_a_number_in_the_address_is_refused(worker_client, own):
    response = worker_client.get(reverse("people:list"), {"q": ID})
    assert response.status_code == 400 and "王秀英" not in response.content.decode()


def test_an_expired_or_forged_handle_finds_nobody(worker_client, own):
    import datetime as dt
    from zoneinfo import ZoneInfo

    from django.core import signing

    from fangkong.people import search

    forged = signing.dumps({"k": "id", "i": own.id_number_index}, salt="another")
    html = worker_client.get(reverse("people:list"), {"s": forged}).content.decode()
    assert "王秀英" not in html
    old = dt.datetime(2020, 1, 1, tzinfo=ZoneInfo("UTC")).timestamp()
    with mock.patch("time.time", return_value=old):
        stale = search.make_handle(ID)
    html = worker_client.get(reverse("people:list"), {"s": stale}).content.decode()
    assert "王秀英" not in html


def test_page_list_reads_are_audited(worker_client, grid_worker, own, other):
    worker_client.get(reverse("people:list"), {"q": "wxy"})
    entry = LogEntry.objects.filter(changes_text="list:1").latest("pk")
    assert entry.actor == grid_worker and entry.additional_data["filters"]["q"] == "wxy"


def test_keyset_pages_do_not_grow_queries(
    worker_client, make_person, django_assert_max_num_queries
):
    for i in range(60):
        make_person(f"居民{i}", node_code=GRID_A)
    first = worker_client.get(reverse("people:list"))
    page = first.context["page"]
    assert len(page.items) == 50 and page.has_more
    assert page.total == 60 and "第 1–50 人，共 60 人" in first.content.decode()
    second = worker_client.get(reverse("people:list"), {"after": page.next_after})
    assert len(second.context["page"].items) == 10
    assert "第 51–60 人，共 60 人" in second.content.decode()
    with django_assert_max_num_queries(8):
        worker_client.get(reverse("people:list"))


def test_detail_is_audited(worker_client, grid_worker, own):
    response = worker_client.get(reverse("people:detail", args=[own.pk]))
    assert response.status_code == 200
    assert LogEntry.objects.filter(
        actor=grid_worker, action=LogEntry.Action.ACCESS, object_pk=str(own.pk)
    ).exists()
    assert ID not in response.content.decode()


def test_detail_of_another_grid_is_404(worker_client, other):
    assert worker_client.get(reverse("people:detail", args=[other.pk])).status_code == 404
    assert worker_client.get(reverse("people:edit", args=[other.pk])).status_code == 404
    assert worker_client.post(reverse("people:reveal", args=[other.pk, "phone"])).status_code == 404


def test_reveal_by_post_only_and_audited(worker_client, own):
    url = reverse("people:reveal", args=[own.pk, "id_number"])
    assert worker_client.get(url).status_code == 405
    response = worker_client.post(url)
    assert ID in response.content.decode()
    assert LogEntry.objects.filter(changes_text="reveal:id_number").count() == 1


def test_reveal_refused_without_permission(client, make_user, own):
    client.force_login(make_user("discipline", "3306"))
    assert client.post(reverse("people:reveal", args=[own.pk, "phone"])).status_code == 403


def test_create_shows_field_errors(worker_client):
    response = worker_client.post(
        reverse("people:create"),
        {"name": "张三", "node_code": GRID_A, "id_number": ID[:-1] + "0", "phone": "999"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "id_number" in form.errors and "phone" in form.errors
    assert Person.objects.count() == 0


def test_create_duplicate_id_links_existing(worker_client, own):
    response = worker_client.post(
        reverse("people:create"), {"name": "王秀英", "node_code": GRID_A, "id_number": ID}
    )
    assert response.context["existing"] == own
    assert reverse("people:detail", args=[own.pk]) in response.content.decode()


def test_create_duplicate_elsewhere_names_no_record(worker_client, make_person):
    """M2: the duplicate warning answers within the caller's jurisdiction only."""
    far = make_person("外县人", node_code="330681001001G01", id_number=ID, phone="13800138000")
    data = {"name": "王秀英", "node_code": GRID_A, "id_number": ID}
    en = {"HTTP_ACCEPT_LANGUAGE": "en"}
    html = worker_client.post(reverse("people:create"), data, **en).content.decode()
    assert "exists elsewhere; ask the town" in html
    assert "外县人" not in html and f"/people/{far.pk}/" not in html
    data = {"name": "外县人", "node_code": GRID_A, "phone": "13800138000"}
    html = worker_client.post(reverse("people:create"), data, **en).content.decode()
    assert "exists elsewhere; ask the town" in html
    assert f"/people/{far.pk}/" not in html and far.phone_masked not in html


def test_create_then_edit(worker_client):
    response = worker_client.post(
        reverse("people:create"),
        {
            "name": "张三",
            "node_code": GRID_A,
            "phone": "13700001111",
            "household_number": "H1",
            "address": "花园社区1幢",
        },
    )
    person = Person.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "people:detail", args=[person.pk]
    )
    assert person.household.number == "H1"
    response = worker_client.post(
        reverse("people:edit", args=[person.pk]),
        {
            "name": "张三丰",
            "node_code": GRID_A,
            "version": person.version,
            "address": "花园社区1幢",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "张三丰" and person.reveal("phone") == "13700001111"


def test_edit_with_stale_version_is_refused(worker_client, own):
    url = reverse("people:edit", args=[own.pk])
    worker_client.post(
        url, {"name": "王秀英", "node_code": GRID_A, "version": 1, "occupation": "农民"}
    )
    response = worker_client.post(
        url, {"name": "王秀英", "node_code": GRID_A, "version": 1, "occupation": "工人"}
    )
    assert response.status_code == 200 and "version" in str(response.context["form"].errors)


def test_merge_page(client, make_user, make_person):
    a = make_person("吴芳", node_code=GRID_A, phone="13312345678")
    b = make_person("吴芳", node_code=GRID_B, occupation="农民")
    client.force_login(make_user("village_staff", "330602001004"))
    c = make_person("吴芳芳", node_code=GRID_B)
    url = reverse("people:merge", args=[a.pk])
    # The cadre types the name; the two other records are offered with their places,
    # never the record being kept.
    typed = client.post(url, {"absorbed": "吴芳"})
    offered = dict(typed.context["form"].fields["absorbed"].widget.choices)
    assert set(offered) == {f"#{b.pk}", f"#{c.pk}"} and typed.context["absorbed"] is None
    assert all(label.endswith("第2网格") for label in offered.values())
    check = client.post(url, {"absorbed": f"#{b.pk}"})
    assert check.context["absorbed"] == b
    # the page names the record before merging: the box holds its name, masked and placed
    shown = re.search(r'name="absorbed"[^>]*value="([^"]*)"', check.content.decode()).group(1)
    assert shown.startswith("吴芳 · ") and "第2网格" in shown
    done = client.post(url, {"absorbed": html.unescape(shown), "confirm": "1"})
    assert done.status_code == 302
    b.refresh_from_db()
    assert b.merged_into_id == a.pk


def test_merge_refused_for_grid_worker(worker_client, own):
    assert worker_client.get(reverse("people:merge", args=[own.pk])).status_code == 404


def test_pages_render_in_english_and_chinese(worker_client, own):
    zh = worker_client.get(reverse("people:list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "登记" in zh or "人员" in zh
    worker_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    en = worker_client.get(reverse("people:list")).content.decode()
    assert "Register a person" in en


def test_export_is_scoped_masked_and_audited(client, make_user, make_person):
    import io

    from openpyxl import load_workbook

    make_person("王秀英", node_code=GRID_A, id_number=ID, phone="13812345678")
    make_person("李明", node_code=GRID_B)
    make_person("外县人", node_code="330681001001G01")
    staff = make_user("village_staff", "330602001004")
    client.force_login(staff)
    response = client.get(reverse("people:export"), {"q": "wxy"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["王秀英"]
    assert rows[1][4] == ID[:6] + "********" + ID[-4:] and ID not in str(rows)
    entry = LogEntry.objects.get(changes_text="export:1")
    assert entry.actor == staff and entry.additional_data["filters"] == {"q": "wxy"}
    everything = client.get(reverse("people:export"))
    names = {
        r[1]
        for r in list(
            load_workbook(io.BytesIO(everything.content)).active.iter_rows(values_only=True)
        )[1:]
    }
    assert names == {"王秀英", "李明"}


def test_export_refused_without_permission(worker_client):
    assert worker_client.get(reverse("people:export")).status_code == 403


def test_reveal_answers_and_exports_are_never_cached(client, make_user, worker_client, own):
    """Issue #16 item 6: `Cache-Control: no-store` on reveal answers and exports."""
    revealed = worker_client.post(reverse("people:reveal", args=[own.pk, "id_number"]))
    assert ID in revealed.content.decode() and "no-store" in revealed["Cache-Control"]
    client.force_login(make_user("village_staff", "330602001004"))
    export = client.get(reverse("people:export"))
    assert export.status_code == 200 and "no-store" in export["Cache-Control"]


def test_api_reveal_is_never_cached(client, grid_worker, own):
    from tests.api.test_auth_and_persons import token_for

    auth = token_for(client, grid_worker)
    response = client.post(f"/api/v1/persons/{own.pk}/reveal/phone", **auth)
    assert response.json()["value"] == "13812345678"
    assert "no-store" in response["Cache-Control"]


def test_list_filters_by_a_jurisdiction_typed_by_name(client, make_user, make_person):
    """A village cadre knows names, not codes: 第2网格 (typed, or chosen from the picker)
    narrows the list to that grid; a name matching nothing says so; no database number
    is printed beside the persons."""
    client.force_login(make_user("village_staff", "330602001004"))
    a = make_person("王秀英", node_code=GRID_A)
    make_person("李明", node_code=GRID_B)
    html = client.get(reverse("people:list"), {"node": "第2网格"}).content.decode()
    assert "李明" in html and "王秀英" not in html
    assert "共 1 人" in html and f">{a.pk}<" not in html
    html = client.get(reverse("people:list"), {"node": "没有这个村"}).content.decode()
    assert "没有名为“没有这个村”的辖区" in html
    assert "李明" not in html and "王秀英" not in html


def test_a_village_cadre_registers_a_person_into_a_grid_by_its_name(client, make_user):
    """The place is picked by name (the village and the grid), never typed as a code; a
    place outside the cadre's village is refused on the field."""
    from fangkong.geo.models import Division
    from tests.conftest import HUAYUAN

    cadre = make_user("village_staff", HUAYUAN)
    client.force_login(cadre)
    page = client.get(reverse("people:create")).content.decode()
    assert 'data-picker="jurisdiction"' in page
    assert f'value="{HUAYUAN}"' not in page  # the cadre's own village, shown by its path
    assert "塔山街道 › 花园社区" in page
    grid = Division.objects.get(code=GRID_B)
    village = Division.objects.get(code=HUAYUAN)
    response = client.post(
        reverse("people:create"),
        {"name": "郑小燕", "node_code": f"{village.name} {grid.name}", "phone": "13911112222"},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Person.objects.get(name="郑小燕").node.code == GRID_B
    elsewhere = Division.objects.filter(level="village").exclude(code=HUAYUAN).first()
    response = client.post(
        reverse("people:create"),
        {"name": "郑小燕二", "node_code": elsewhere.name, "phone": "13911113333"},
    )
    assert response.status_code == 200 and "node_code" in response.context["form"].errors
    assert not Person.objects.filter(name="郑小燕二").exists()
