"""The phone pages: verify with the public app's SMS code, register at the community,
see the double registration refused, be confirmed and rostered, see one's shifts."""

import re

import pytest
from django.urls import reverse

from fangkong.core.sms import OutboxGateway
from fangkong.mobilisation.actions import registration, rosters
from fangkong.mobilisation.models import Member
from tests.conftest import HUAYUAN, OTHER_TOWN_VILLAGE
from tests.mobilisation.conftest import shifts_of

pytestmark = pytest.mark.django_db
PHONE = "13812340000"


def verify(client, phone=PHONE):
    r = client.post(reverse("mobilisation:phone"), {"phone": phone})
    assert r.status_code == 200 and 'name="code"' in r.text
    code = re.search(r"\d{6}", OutboxGateway.last_to(phone).text).group(0)
    return client.post(reverse("mobilisation:verify"), {"phone": phone, "code": code})


def test_register_confirm_roster_and_my_shifts(client, staff, checkpoint, ensure_rules):
    assert client.get(reverse("mobilisation:me")).status_code == 302  # not verified yet
    r = verify(client)
    assert r.status_code == 302 and r.url == reverse("mobilisation:me")
    r = client.get(reverse("mobilisation:me") + "?browse=")
    assert r.status_code == 200 and 'id="tree"' in r.text
    r = client.post(
        reverse("mobilisation:me"),
        {"name": "冯雪", "community": HUAYUAN, "is_party_member": "1", "skills": "驾驶"},
    )
    assert r.status_code == 302
    m = Member.objects.get()
    assert m.name == "冯雪" and m.is_party_member and m.phone_masked == "138****0000"
    r = client.get(reverse("mobilisation:me"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Awaiting confirmation" in r.text
    # A second community is refused while the first is active.
    r = client.post(reverse("mobilisation:me"), {"name": "冯雪", "community": OTHER_TOWN_VILLAGE})
    assert r.status_code == 200
    assert m.registrations.count() == 1
    reg = m.registrations.get()
    registration.confirm(staff, reg)
    rosters.assign(staff, shifts_of(checkpoint)[1], Member.objects.get(pk=m.pk))
    r = client.get(reverse("mobilisation:me"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Confirmed" in r.text and "花园社区卡口" in r.text and 'id="my-shifts"' in r.text


def test_double_registration_message_on_the_page(client, make_member, node):
    make_member(phone=PHONE, confirmed=True)
    verify(client)
    r = client.post(
        reverse("mobilisation:me"),
        {"name": "x", "community": OTHER_TOWN_VILLAGE},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 200
    assert "Withdraw" in r.text or "already registered" in r.text


def test_wrong_code_and_bad_community_are_clear(client, ensure_rules):
    client.post(reverse("mobilisation:phone"), {"phone": PHONE})
    code = re.search(r"\d{6}", OutboxGateway.last_to(PHONE).text).group(0)
    wrong = "000000" if code != "000000" else "111111"
    r = client.post(reverse("mobilisation:verify"), {"phone": PHONE, "code": wrong})
    assert r.status_code == 200 and "errorlist" in r.text
    assert client.get(reverse("mobilisation:me")).status_code == 302
    r = client.post(reverse("mobilisation:verify"), {"phone": PHONE, "code": code})
    assert r.status_code == 302
    r = client.post(reverse("mobilisation:me"), {"name": "x", "community": "3306"})
    assert r.status_code == 200 and "errorlist" in r.text and not Member.objects.exists()
    r = client.post(reverse("mobilisation:phone"), {"phone": "123"})
    assert "errorlist" in r.text


def test_withdraw_then_register_elsewhere(client, ensure_rules):
    verify(client)
    client.post(reverse("mobilisation:me"), {"name": "韩梅", "community": HUAYUAN})
    assert client.post(reverse("mobilisation:withdraw")).status_code == 302
    r = client.post(reverse("mobilisation:me"), {"name": "韩梅", "community": OTHER_TOWN_VILLAGE})
    assert r.status_code == 302
    m = Member.objects.get()
    assert [r.status for r in m.registrations.order_by("pk")] == ["withdrawn", "pending"]
    client.post(reverse("mobilisation:leave"))
    assert client.get(reverse("mobilisation:me")).status_code == 302
