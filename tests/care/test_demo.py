import pytest

from fangkong.care.demo import demo_step
from fangkong.care.models import Deed, Difficulty
from fangkong.core import clock
from tests.care.conftest import T0

pytestmark = pytest.mark.django_db


def test_demo_has_every_state_and_is_idempotent(make_member, make_org):
    make_member()
    make_org()
    with clock.frozen(T0):
        line = demo_step(7)
        assert "already" in demo_step(7)
        states = {d.state for d in Difficulty.objects.all()}
        assert states == {"open", "in_hand", "escalated", "solved"}, line
        assert len({d.node_id for d in Difficulty.objects.all()}) == 8
        assert Difficulty.objects.filter(rating__isnull=False).exists()
    statuses = set(Deed.objects.values_list("status", flat=True))
    assert statuses == {"submitted", "returned", "rejected", "published"}
    assert Deed.objects.filter(commendation__isnull=False).count() == 2, line
    assert Deed.objects.filter(photos__isnull=False).exists()
