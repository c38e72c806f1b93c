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
        html = worker_client.get(reverse("people:list"), {"q": q}).content.decode()
        assert "王秀英" in html, q


def test_keyset_pages_do_not_grow_queries(
    worker_client, make_person, django_assert_max_num_queries
):
    for i in range(60):
        make_person(f"居民{i}", node_code=GRID_A)
    first = worker_client.get(reverse("people:list"))
    page = first.context["page"]
    assert len(page.items) == 50 and page.has_more
    second = worker_client.get(reverse("people:list"), {"after": page.next_after})
    assert len(second.context["page"].items) == 10
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
    url = reverse("people:merge", args=[a.pk])
    check = client.post(url, {"absorbed_id": b.pk})
    assert check.context["absorbed"] == b
    done = client.post(url, {"absorbed_id": b.pk, "confirm": "1"})
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
