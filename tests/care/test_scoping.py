"""Every staff page and API endpoint of care answers 404 to a user of another
jurisdiction (Zhuji) for records of Yuecheng, and lists show them nothing."""

import pytest

from fangkong.care import actions
from fangkong.care.models import Difficulty
from tests import kit
from tests.care.conftest import PHONE, reported, upload
from tests.conftest import HUAYUAN

pytestmark = pytest.mark.django_db
API = "/api/v1/care"


@pytest.fixture
def records(staff, org, make_member):
    d = reported(staff)
    deed = kit.deed(staff, member=make_member(), photos=[upload()])
    actions.review_deed(org, deed, "publish")
    return d, deed, deed.photos.get()


PAGES = [
    ("get", "/care/difficulties/{d}/", {}),
    ("post", "/care/difficulties/{d}/", {"verb": "take"}),
    ("post", "/care/difficulties/{d}/", {"verb": "reveal"}),
    ("post", "/care/difficulties/{d}/", {"verb": "solve", "solution": "已经解决了"}),
    ("get", "/care/deeds/{deed}/", {}),
    ("post", "/care/deeds/{deed}/", {"verb": "review", "decision": "reject", "reason": "无"}),
    ("get", "/care/deeds/{deed}/photos/{photo}/", {}),
    ("get", f"/care/difficulties/levels/?node={HUAYUAN}", {}),
]


@pytest.mark.parametrize("role", ["county_hq", "organisation", "village_staff"])
def test_pages_refuse_another_jurisdiction(client, make_user, records, role):
    d, deed, photo = records
    code = "330681" if role != "village_staff" else "330681001001"
    client.force_login(make_user(role, code))
    for method, url, data in PAGES:
        r = getattr(client, method)(url.format(d=d.pk, deed=deed.pk, photo=photo.pk), data)
        assert r.status_code == 404, (method, url, r.status_code)
    assert list(client.get("/care/difficulties/").context["items"]) == []
    assert list(client.get("/care/deeds/").context["items"]) == []
    # Recording a difficulty or a deed in Yuecheng from Zhuji is refused.
    r = client.post(
        "/care/deeds/",
        {"title": "t", "text": "x" * 20, "hero_name": "李明", "node_code": HUAYUAN},
    )
    assert r.status_code in (200, 403) and d.__class__.objects.count() == 1
    d.refresh_from_db()
    assert d.status == "open"


def test_api_refuses_another_jurisdiction(client, auth, outsider, records):
    d, deed, photo = records
    h = auth(outsider)
    calls = [
        ("get", f"{API}/difficulties/{d.pk}", None),
        ("post", f"{API}/difficulties/{d.pk}/owner", {"owner_id": outsider.pk}),
        ("post", f"{API}/difficulties/{d.pk}/take", {}),
        ("post", f"{API}/difficulties/{d.pk}/solve", {"solution": "已经解决了"}),
        ("get", f"{API}/levels?node_code={HUAYUAN}", None),
        ("get", f"{API}/deeds/{deed.pk}", None),
        ("put", f"{API}/deeds/{deed.pk}", {"title": "t", "text": "x" * 20, "hero_name": "李"}),
        ("post", f"{API}/deeds/{deed.pk}/review", {"decision": "reject", "reason": "无"}),
        (
            "post",
            f"{API}/deeds/{deed.pk}/commend",
            {"title": "t", "reason": "r", "decided_by": "headquarters", "decided_on": "2020-02-20"},
        ),
        (
            "post",
            f"{API}/difficulties",
            {
                "reporter_name": "王",
                "phone": PHONE,
                "category": "other",
                "description": "需要帮助的事",
                "node_code": HUAYUAN,
            },
        ),
        (
            "post",
            f"{API}/deeds",
            {"node_code": HUAYUAN, "title": "t", "text": "x" * 20, "hero_name": "李"},
        ),
    ]
    for method, url, body in calls:
        kw = {"content_type": "application/json"} if body is not None else {}
        args = (url, body) if body is not None else (url,)
        r = getattr(client, method)(*args, **kw, **h)
        assert r.status_code == 404, (method, url, r.status_code, r.content)
    r = client.post(f"{API}/deeds/{deed.pk}/photos", {"photos": [upload()]}, **h)
    assert r.status_code == 404
    assert client.get(f"{API}/difficulties", **h).json() == {"items": [], "count": 0}
    assert client.get(f"{API}/deeds", **h).json() == {"items": [], "count": 0}
    assert Difficulty.objects.get().status == "open"


def test_reporter_sees_only_their_own_reports(client, records):
    from tests.care.conftest import code_for

    client.post("/public/care/mine/", {"phone": "13800000000", "code": code_for("13800000000")})
    page = client.get("/public/care/mine/")
    assert page.context["verified"] and list(page.context["items"]) == []
    r = client.post(f"/public/care/mine/{records[0].pk}/rate/", {"rating": "5"})
    assert r.status_code == 404
