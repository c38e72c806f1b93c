"""The demo step: a partner by file, a received request in the screening queue, a sent
request; a second run changes nothing."""

import pytest

pytestmark = pytest.mark.django_db


def test_demo_step_is_genuine_and_idempotent(make_user):
    from fangkong.exchange.demo import demo_step
    from fangkong.exchange.models import HandoverRequest, Partner, Refusal

    make_user("county_hq", "330602", username="county_hq")
    line = demo_step(7)
    assert "1 request received" in line and "1 request sent" in line
    assert Partner.objects.get().url == ""
    received = HandoverRequest.objects.get(direction="in")
    assert received.subject is not None and received.node.code.startswith("330602001")
    assert HandoverRequest.objects.filter(direction="out", state="waiting").count() == 1
    assert not Refusal.objects.exists()
    assert demo_step(7) == "already present"
    assert HandoverRequest.objects.count() == 2
