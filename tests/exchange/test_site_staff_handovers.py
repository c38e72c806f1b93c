"""Quarantine-site staff see the hand-overs of the persons placed at their sites, not the
county's (#17: roles no broader than the work); a county's staff see them all."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from fangkong.core import clock
from fangkong.exchange.models import HandoverRequest
from tests.conftest import GRID_A, TASHAN

pytestmark = pytest.mark.django_db


def handover(partner, person, node):
    return HandoverRequest.objects.create(
        message_id=uuid.uuid4(),
        direction="out",
        partner=partner,
        name=person.name,
        address="塔山路1号",
        residence_code="330100",
        reason="close_contact",
        ask="observe",
        deadline=clock.now() + dt.timedelta(days=1),
        state="open",
        node=node,
        path=node.path,
        person=person,
    )


def test_site_staff_see_the_handovers_of_their_residents_only(
    client, system, hangzhou, make_user, make_person, node
):
    from fangkong.observation import actions

    site = actions.create_site(system, name="塔山宾馆", address="塔山路1号", node=node(TASHAN))
    actions.add_rooms(system, site, ["101"], 1)
    resident = make_person("王秀英", node_code=GRID_A)
    elsewhere = make_person("刘洋", node_code=GRID_A)
    actions.start_period(
        system,
        resident,
        reason="close_contact",
        last_exposure=clock.today(),
        start_date=clock.today(),
        room=site.rooms.get(number="101"),
    )
    mine = handover(hangzhou, resident, node(GRID_A))
    theirs = handover(hangzhou, elsewhere, node(GRID_A))
    staff = make_user("quarantine_site", TASHAN)
    site.staff.add(staff)
    assert list(HandoverRequest.objects.restrict(staff)) == [mine]
    client.force_login(staff)
    assert client.get(reverse("exchange:request", args=[mine.pk])).status_code == 200
    assert client.get(reverse("exchange:request", args=[theirs.pk])).status_code == 404
    county = make_user("county_hq", "330602")
    assert set(HandoverRequest.objects.restrict(county)) == {mine, theirs}
