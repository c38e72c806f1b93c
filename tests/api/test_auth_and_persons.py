import pytest
from auditlog.models import LogEntry

from fangkong.core import clock
from fangkong.people.models import Person
from tests.conftest import GRID_A, GRID_B, GRID_Z, HUAYUAN
from tests.idnumbers import rid

ID = rid("330621", "1990-07-01")
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def token_for(client, user, password="pw-for-tests-1"):
    response = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": password},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


@pytest.fixture
def worker(client, grid_worker):
    return token_for(client, grid_worker)


def test_token_refused_for_wrong_password(client, grid_worker):
    response = client.post(
        "/api/v1/auth/token",
        {"username": grid_worker.username, "password": "nope"},
        content_type="application/json",
    )
    assert response.status_code == 401


def test_token_with_unparsable_multipart_is_400_not_500(client, grid_worker):
    """Found by the schema fuzzer: JSON sent as multipart without a boundary."""
    response = client.post(
        "/api/v1/auth/token",
        '{"username": "%s", "password": "nope"}' % grid_worker.username,
        content_type="multipart/form-data",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "the request body must be JSON"


def test_nul_characters_are_refused_with_the_field_named(client, worker, grid_worker):
    """Found by the schema fuzzer on PostgreSQL, whose text cannot hold U+0000."""
    response = client.post(
        "/api/v1/auth/token",
        {"username": grid_worker.username + "\x00", "password": "x", "extra": [{"a\x00": 1}]},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert [d["loc"] for d in detail] == [["body", "username"], ["body", "extra", 0, "a\\u0000"]]
    assert detail[0]["msg"] == "must not contain the NUL character (U+0000)"
    response = client.get("/api/v1/persons/", {"q": "王\x00"}, **worker)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "q"]
    assert client.get("/api/v1/persons/", {"q": "王"}, **worker).status_code == 200


def test_no_token_no_data(client):
    assert client.get("/api/v1/persons/").status_code == 401


def test_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/persons/" in schema["paths"] and "/api/v1/auth/token" in schema["paths"]


def test_create_get_update(client, worker):
    body = {
        "name": "钱多多",
        "node_code": GRID_A,
        "id_number": ID,
        "phone": "15912345678",
        "tags": ["外来务工"],
    }
    response = client.post("/api/v1/persons/", body, content_type="application/json", **worker)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["id_masked"] == "330621********" + ID[-4:] and data["tags"] == ["外来务工"]
    assert ID not in response.content.decode()
    pk = data["id"]
    got = client.get(f"/api/v1/persons/{pk}", **worker)
    # Masking policy: beside a masked ID, the age by birth year, never the birth date.
    assert got.json()["birth_date"] is None
    assert got.json()["age"] == clock.today().year - 1990
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(pk)).exists()
    patched = client.patch(
        f"/api/v1/persons/{pk}",
        {"version": 1, "occupation": "厨师"},
        content_type="application/json",
        **worker,
    )
    assert patched.status_code == 200 and patched.json()["occupation"] == "厨师"
    stale = client.patch(
        f"/api/v1/persons/{pk}",
        {"version": 1, "occupation": "司机"},
        content_type="application/json",
        **worker,
    )
    assert stale.status_code == 422
    assert stale.json()["detail"][0]["loc"] == ["body", "version"]


def test_bad_input_is_422_with_field_paths(client, worker):
    body = {"name": "钱多多", "node_code": GRID_A, "id_number": ID[:-1] + "0", "phone": "0571123"}
    response = client.post("/api/v1/persons/", body, content_type="application/json", **worker)
    assert response.status_code == 422
    locs = {tuple(d["loc"]) for d in response.json()["detail"]}
    assert locs == {("body", "id_number"), ("body", "phone")}
    assert Person.objects.count() == 0


def test_missing_required_field_is_422(client, worker):
    response = client.post(
        "/api/v1/persons/", {"node_code": GRID_A}, content_type="application/json", **worker
    )
    assert response.status_code == 422
    assert any("name" in d["loc"] for d in response.json()["detail"])


def test_duplicate_id_is_409_with_existing(client, worker, make_person):
    existing = make_person("钱多多", id_number=ID)
    body = {"name": "钱多多", "node_code": GRID_A, "id_number": ID}
    response = client.post("/api/v1/persons/", body, content_type="application/json", **worker)
    assert response.status_code == 409 and response.json()["existing_id"] == existing.pk


def test_duplicate_elsewhere_is_told_without_ids(client, worker, make_person):
    """M2: registering over the API does not tell a grid worker whose record an ID or a
    name and phone belongs to beyond their jurisdiction."""
    make_person("钱多多", node_code=GRID_Z, id_number=ID, phone="13800138000")
    body = {"name": "钱多多", "node_code": GRID_A, "id_number": ID}
    response = client.post(
        "/api/v1/persons/", body, content_type="application/json", **worker, **EN
    )
    assert response.status_code == 409
    assert response.json()["existing_id"] is None and "elsewhere" in response.json()["detail"]
    body = {"name": "钱多多", "node_code": GRID_A, "phone": "13800138000"}
    similar = client.post("/api/v1/persons/", body, content_type="application/json", **worker, **EN)
    assert similar.status_code == 409 and similar.json()["similar_ids"] == []
    assert "elsewhere" in similar.json()["detail"]


def test_similar_needs_confirmation(client, worker, make_person):
    make_person("孙悟空", phone="13800138000")
    body = {"name": "孙悟空", "node_code": GRID_A, "phone": "13800138000"}
    first = client.post("/api/v1/persons/", body, content_type="application/json", **worker)
    assert first.status_code == 409 and len(first.json()["similar_ids"]) == 1
    body["confirm_similar"] = True
    assert (
        client.post("/api/v1/persons/", body, content_type="application/json", **worker).status_code
        == 201
    )


def test_list_is_scoped_and_keyset_paged(client, worker, make_person):
    for i in range(5):
        make_person(f"网格甲{i}", node_code=GRID_A)
    make_person("网格乙", node_code=GRID_B)
    make_person("诸暨人", node_code=GRID_Z)
    page1 = client.get("/api/v1/persons/", {"size": 3}, **worker).json()
    assert len(page1["items"]) == 3 and page1["has_more"]
    page2 = client.get(
        "/api/v1/persons/", {"size": 3, "after": page1["next_after"]}, **worker
    ).json()
    assert len(page2["items"]) == 2 and not page2["has_more"]
    names = {p["name"] for p in page1["items"] + page2["items"]}
    assert names == {f"网格甲{i}" for i in range(5)}


def test_list_filters(client, worker, make_person):
    make_person("张伟", node_code=GRID_A, phone="13511112222")
    make_person("李娜", node_code=GRID_A)
    assert [
        p["name"] for p in client.get("/api/v1/persons/", {"q": "zw"}, **worker).json()["items"]
    ] == ["张伟"]
    found = client.post(
        "/api/v1/persons/search", {"q": "13511112222"}, content_type="application/json", **worker
    )
    assert [p["name"] for p in found.json()["items"]] == ["张伟"]
    entry = LogEntry.objects.filter(changes_text="list:1").latest("pk")
    assert "13511112222" not in str(entry.additional_data)
    assert entry.additional_data["filters"]["q_index"].startswith("phone:")


def test_numbers_are_not_searched_in_the_address(client, worker, make_person):
    make_person("张伟", node_code=GRID_A, phone="13511112222")
    refused = client.get("/api/v1/persons/", {"q": "13511112222"}, **worker)
    assert refused.status_code == 422 and "POST /api/v1/persons/search" in refused.json()["detail"]


def test_every_api_page_is_audited_with_its_row_count(client, worker, make_person):
    for i in range(4):
        make_person(f"网格甲{i}", node_code=GRID_A)
    page1 = client.get("/api/v1/persons/", {"size": 3}, **worker).json()
    client.get("/api/v1/persons/", {"size": 3, "after": page1["next_after"]}, **worker)
    entries = LogEntry.objects.filter(changes_text__startswith="list:").order_by("pk")
    assert [e.changes_text for e in entries] == ["list:3", "list:1"]
    assert entries[1].additional_data["filters"]["after"] == page1["next_after"]
    assert entries[1].actor.username.startswith("grid_worker")


def test_other_jurisdiction_is_404(client, worker, make_person):
    other = make_person("外人", node_code=GRID_B)
    assert client.get(f"/api/v1/persons/{other.pk}", **worker).status_code == 404
    assert (
        client.patch(
            f"/api/v1/persons/{other.pk}", {"version": 1}, content_type="application/json", **worker
        ).status_code
        == 404
    )
    assert client.post(f"/api/v1/persons/{other.pk}/reveal/phone", **worker).status_code == 404


def test_reveal_and_merge(client, make_user, make_person):
    staff = make_user("village_staff", HUAYUAN)
    headers = token_for(client, staff)
    a = make_person("吴芳", node_code=GRID_A, phone="13312345678")
    b = make_person("吴芳", node_code=GRID_B, id_number=ID)
    revealed = client.post(f"/api/v1/persons/{a.pk}/reveal/phone", **headers)
    assert revealed.json() == {"field": "phone", "value": "13312345678"}
    merged = client.post(
        f"/api/v1/persons/{a.pk}/merge",
        {"absorbed_id": b.pk},
        content_type="application/json",
        **headers,
    )
    assert merged.status_code == 200 and merged.json()["id_masked"].startswith("330621")


def test_role_without_add_is_403(client, make_user):
    headers = token_for(client, make_user("supplies", "3306"))
    response = client.post(
        "/api/v1/persons/",
        {"name": "x", "node_code": GRID_A},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 403


def test_jurisdiction_api(client, worker, make_user, make_person):
    make_person("甲", node_code=GRID_A)
    headers = token_for(client, make_user("village_staff", HUAYUAN))
    tree = client.get("/api/v1/jurisdictions/", **headers).json()
    assert tree["code"] == HUAYUAN and tree["counts"]["persons"] == 1
    assert {c["code"]: c["counts"]["persons"] for c in tree["children"]} == {GRID_A: 1, GRID_B: 0}
    assert client.get(f"/api/v1/jurisdictions/{GRID_A}/children", **headers).json() == []
    assert client.get("/api/v1/jurisdictions/330681", **headers).status_code == 404
    assert client.get(f"/api/v1/jurisdictions/{GRID_B}", **worker).status_code == 404
