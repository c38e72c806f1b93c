"""API tokens (issue #16 item 5, M5): stored as digests, listed per user (page and API),
revocable by the holder and by an administrator of the holder's area, revoked on
password, role or node change and deactivation; the API has a sign-out."""

import pytest

from fangkong.accounts.models import ApiToken
from tests.conftest import GRID_A, HUAYUAN, YUECHENG, ZHUJI

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-1"


def sign_in(client, user):
    r = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": PASSWORD},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    return r.json()["token"]


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def works(client, raw) -> bool:
    return client.get("/api/v1/auth/tokens", **bearer(raw)).status_code == 200


def test_only_the_digest_is_stored(client, make_user):
    raw = sign_in(client, make_user("grid_worker", GRID_A))
    token = ApiToken.objects.get()
    assert raw not in token.digest and token.digest == ApiToken.hash(raw)


def test_api_sign_out_revokes_the_token(client, make_user):
    raw = sign_in(client, make_user("grid_worker", GRID_A))
    other = sign_in(client, ApiToken.objects.get().user)
    assert client.post("/api/v1/auth/logout", **bearer(raw)).status_code == 204
    assert not works(client, raw)
    assert works(client, other)  # another device stays signed in
    assert ApiToken.objects.get(revoked_reason="sign_out")


def test_list_and_revoke_own_tokens_over_the_api(client, make_user):
    user = make_user("grid_worker", GRID_A)
    first, second = sign_in(client, user), sign_in(client, user)
    rows = client.get("/api/v1/auth/tokens", **bearer(second)).json()["items"]
    assert len(rows) == 2 and [r["current"] for r in rows].count(True) == 1
    old = next(r for r in rows if not r["current"])
    r = client.post(f"/api/v1/auth/tokens/{old['id']}/revoke", **bearer(second))
    assert r.status_code == 200 and r.json()["revoked_reason"] == "holder"
    assert not works(client, first) and works(client, second)


def test_someone_elses_token_is_not_found(client, make_user):
    a = sign_in(client, make_user("grid_worker", GRID_A))
    b_user = make_user("grid_worker", GRID_A)
    sign_in(client, b_user)
    theirs = ApiToken.objects.get(user=b_user)
    assert client.post(f"/api/v1/auth/tokens/{theirs.pk}/revoke", **bearer(a)).status_code == 404
    assert client.get("/api/v1/auth/accounts/tokens", **bearer(a)).status_code == 403


def test_administrator_revokes_within_their_area_only(client, make_user):
    worker = make_user("grid_worker", GRID_A)
    zhuji = make_user("grid_worker", "330681001001G01")
    w, z = sign_in(client, worker), sign_in(client, zhuji)
    admin = sign_in(client, make_user("sysadmin", YUECHENG))
    listed = client.get("/api/v1/auth/accounts/tokens", **bearer(admin)).json()["items"]
    assert {r["username"] for r in listed} >= {worker.username}
    assert zhuji.username not in {r["username"] for r in listed}
    mine = ApiToken.objects.get(user=worker)
    theirs = ApiToken.objects.get(user=zhuji)
    r = client.post(f"/api/v1/auth/tokens/{mine.pk}/revoke", **bearer(admin))
    assert r.status_code == 200 and r.json()["revoked_reason"] == "admin"
    assert not works(client, w)
    r = client.post(f"/api/v1/auth/tokens/{theirs.pk}/revoke", **bearer(admin))
    assert r.status_code == 404 and works(client, z)


def test_tokens_page_lists_and_revokes(client, make_user):
    user = make_user("village_staff", HUAYUAN)
    raw = sign_in(client, user)
    client.force_login(user)
    page = client.get("/accounts/tokens/")
    assert page.status_code == 200 and 'id="my-tokens"' in page.text
    assert 'id="area-tokens"' not in page.text
    token = ApiToken.objects.get()
    assert client.post("/accounts/tokens/", {"token": token.pk}).status_code == 302
    assert not works(client, raw)
    admin = make_user("sysadmin", ZHUJI)
    client.force_login(admin)
    other = sign_in(client, user)
    assert (
        client.post("/accounts/tokens/", {"token": ApiToken.objects.live().get().pk}).status_code
        == 404
    )
    assert works(client, other)


@pytest.mark.parametrize("change", ["password", "role", "node", "deactivate"])
def test_changes_of_trust_revoke_every_token(client, make_user, node, change):
    user = make_user("village_staff", HUAYUAN)
    raws = [sign_in(client, user), sign_in(client, user)]
    if change == "password":
        user.set_password("another-password-2")
    elif change == "role":
        user.role = "grid_worker"
    elif change == "node":
        user.node = node(GRID_A)
    else:
        user.is_active = False
    user.save()
    assert not any(works(client, raw) for raw in raws)
    assert ApiToken.objects.live().count() == 0


def test_an_unrelated_save_keeps_tokens(client, make_user):
    user = make_user("village_staff", HUAYUAN)
    raw = sign_in(client, user)
    user.display_name = "王芳"
    user.save()
    assert works(client, raw)
