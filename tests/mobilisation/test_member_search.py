"""Issue #16 item 3: a member is searched by phone with a POST; the address, the pager
and the access log never carry the number."""

from django.urls import reverse

from tests.conftest import YUECHENG
from tests.mobilisation.test_api import API, auth, post

PHONE = "13900001111"


def test_page_search_by_phone_goes_by_post_and_a_handle(client, orgdept, make_member):
    make_member("王党员", phone=PHONE)
    make_member("李党员")
    client.force_login(orgdept)
    response = client.post(reverse("mobilisation:members"), {"node": YUECHENG, "q": PHONE})
    assert response.status_code == 302 and PHONE not in response["Location"]
    html = client.get(response["Location"]).content.decode()
    assert "王党员" in html and "李党员" not in html and PHONE not in html
    refused = client.get(reverse("mobilisation:members"), {"node": YUECHENG, "q": PHONE})
    assert refused.status_code == 400 and "王党员" not in refused.content.decode()
    by_name = client.post(reverse("mobilisation:members"), {"node": YUECHENG, "q": "李党员"})
    assert "李党员" in client.get(by_name["Location"]).content.decode()


def test_api_search_by_phone_is_a_post(client, orgdept, make_member):
    make_member("王党员", phone=PHONE)
    h = auth(orgdept)
    refused = client.get(f"{API}/members", {"node": YUECHENG, "q": PHONE}, **h)
    assert refused.status_code == 422
    found = post(client, f"{API}/members/search", {"node": YUECHENG, "q": PHONE}, h)
    assert [m["name"] for m in found.json()["items"]] == ["王党员"] and found.json()["count"] == 1
