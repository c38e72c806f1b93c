"""A member's registrations are never cut (issue #17, Must 4): the member page pages
every one with the total (it showed the last 20)."""

import pytest

from fangkong.core import listing as lists
from fangkong.mobilisation.models import Registration
from tests.conftest import HUAYUAN
from tests.core.test_list_pages import total

pytestmark = pytest.mark.django_db


def test_member_page_pages_every_registration(client, staff, make_member, node, monkeypatch):
    member = make_member("王强")
    for i in range(4):  # earlier ones, declined
        Registration.objects.create(
            member=member,
            community=node(HUAYUAN),
            status="declined",
            decline_reason=f"理由{i}",
            path=node(HUAYUAN).path,
        )
    monkeypatch.setattr(lists, "PER_PAGE", 2)
    client.force_login(staff)
    url = f"/mobilisation/members/{member.pk}/"
    html = client.get(url).content.decode()
    second = client.get(url, {"rpage": 2}).content.decode()
    last = client.get(url, {"rpage": 3}).content.decode()
    assert total(html) == 5 and "rpage=2" in html and "第 1 / 3 页" in html
    assert "理由3" in html and "理由1" in second and "理由0" in second and "理由3" not in second
    assert "第 3 / 3 页" in last and "理由" not in last  # the oldest: the confirmed one
