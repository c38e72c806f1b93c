"""A quarantine site's staff work on the persons placed at their site (#17): the person
registry's pages and API show them those persons only (404 for anyone else), and their
home opens on the site's day."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from fangkong.core import clock
from fangkong.observation import actions
from fangkong.observation.models import Room
from tests.conftest import GRID_A, TASHAN
from tests.observation.conftest import at, cid

pytestmark = pytest.mark.django_db
DAY0 = dt.date(2020, 2, 10)


@pytest.fixture
def placed(start, site):
    """A resident of the site (room 101) and a person observed at home, same town."""
    with clock.frozen(at(DAY0, 9)):
        at_site = start(
            "王秀英", last_exposure=DAY0, room=Room.objects.get(site=site, number="101")
        )
        at_home = start("刘洋", last_exposure=DAY0)
    return at_site.person, at_home.person


@pytest.fixture
def staff(site, make_user):
    """A site worker on the staff (not the site's doctor)."""
    user = make_user("quarantine_site", TASHAN)
    site.staff.add(user)
    return user


@pytest.mark.parametrize("who", ["site_doctor", "staff"])
def test_site_staff_see_their_residents_only_on_the_pages(client, request, placed, who):
    resident, elsewhere = placed
    client.force_login(request.getfixturevalue(who))
    with clock.frozen(at(DAY0, 10)):
        page = client.get(reverse("people:list")).content.decode()
        assert resident.name in page and elsewhere.name not in page
        assert client.get(reverse("people:detail", args=[resident.pk])).status_code == 200
        assert client.get(reverse("people:detail", args=[elsewhere.pk])).status_code == 404
        assert client.get(reverse("people:edit", args=[elsewhere.pk])).status_code == 404


def test_site_staff_see_their_residents_only_in_the_api(client, site_doctor, auth, placed):
    resident, elsewhere = placed
    headers = auth(site_doctor)
    with clock.frozen(at(DAY0, 10)):
        names = {p["name"] for p in client.get("/api/v1/persons/", **headers).json()["items"]}
        assert names == {resident.name}
        found = client.post(
            "/api/v1/persons/search", {"q": "刘洋"}, content_type="application/json", **headers
        ).json()["items"]
        assert found == []
        assert client.get(f"/api/v1/persons/{resident.pk}", **headers).status_code == 200
        assert client.get(f"/api/v1/persons/{elsewhere.pk}", **headers).status_code == 404


def test_a_site_worker_of_no_site_sees_nobody(client, make_user, auth, placed):
    resident, _elsewhere = placed
    headers = auth(make_user("quarantine_site", TASHAN))
    with clock.frozen(at(DAY0, 10)):
        assert client.get("/api/v1/persons/", **headers).json()["items"] == []
        assert client.get(f"/api/v1/persons/{resident.pk}", **headers).status_code == 404


def test_a_released_resident_stays_for_two_weeks_then_leaves_the_list(
    client, site_doctor, auth, placed, city_hq
):
    resident, _elsewhere = placed
    period = resident.observation_periods.get()
    with clock.frozen(at(period.planned_end, 20)):
        actions.release(city_hq, period)
    headers = auth(site_doctor)
    url = f"/api/v1/persons/{resident.pk}"
    with clock.frozen(at(period.planned_end + dt.timedelta(days=13), 10)):
        assert client.get(url, **headers).status_code == 200
    with clock.frozen(at(period.planned_end + dt.timedelta(days=15), 10)):
        assert client.get(url, **headers).status_code == 404


def test_other_roles_keep_their_whole_subtree(client, town_hq, auth, placed):
    headers = auth(town_hq)
    with clock.frozen(at(DAY0, 10)):
        names = {p["name"] for p in client.get("/api/v1/persons/", **headers).json()["items"]}
    assert {p.name for p in placed} <= names


def test_the_site_doctor_home_opens_on_the_site_day(client, site, site_doctor, placed):
    resident, _elsewhere = placed
    period = resident.observation_periods.get()
    with clock.frozen(at(DAY0 + dt.timedelta(days=1), 8)):
        actions.check_in(period, client_id=cid(), temperature="38.2")
    client.force_login(site_doctor)
    with clock.frozen(at(DAY0 + dt.timedelta(days=1), 10)):
        page = client.get(reverse("home")).content.decode()
    assert site.name in page and f'id="site-{site.pk}"' in page
    found = re.findall(r'data-figure="(\w+)".*?<span class="n[^"]*">(\d+)</span>', page)
    figures = {name: int(n) for name, n in found}
    # one resident, none arrived that day, 3 of 4 beds free, checked in (with a fever)
    assert figures == {
        "residents": 1,
        "arrivals": 0,
        "free": 3,
        "missing": 0,
        "fevers": 1,
        "leaving": 0,
    }
    assert resident.name in page  # listed under today's fever readings


def test_site_staff_see_the_observation_at_their_site_only(client, site_doctor, auth, placed):
    """Home observation is the grid's work: its periods stay out of a site's lists."""
    resident, elsewhere = placed
    at_site, at_home = (p.observation_periods.get() for p in placed)
    client.force_login(site_doctor)
    with clock.frozen(at(DAY0, 10)):
        page = client.get(reverse("observation:list", args=["open"])).content.decode()
        assert resident.name in page and elsewhere.name not in page
        assert client.get(reverse("observation:period", args=[at_site.pk])).status_code == 200
        assert client.get(reverse("observation:period", args=[at_home.pk])).status_code == 404


def test_an_arrival_registered_by_the_site_stays_open_to_it(client, site_doctor, make_person):
    """A worker registering an arrival reads the record to start its observation."""
    from fangkong.people.actions import register_person

    with clock.frozen(at(DAY0, 10)):
        mine, _similar = register_person(
            site_doctor, {"name": "孙丽", "node_code": GRID_A}, confirm_similar=True
        )
        other = make_person("孙丽", GRID_A)
        client.force_login(site_doctor)
        assert client.get(reverse("people:detail", args=[mine.pk])).status_code == 200
        assert client.get(reverse("people:detail", args=[other.pk])).status_code == 404


def test_site_staff_see_the_health_codes_of_their_residents_only(client, site_doctor, placed):
    from fangkong.healthcode import actions as codes
    from fangkong.healthcode.models import HealthCode

    resident, elsewhere = placed
    with clock.frozen(at(DAY0, 10)):
        codes.recompute_persons([resident.pk, elsewhere.pk], DAY0)
        assert HealthCode.objects.filter(person__in=placed).exclude(colour="green").count() == 2
        client.force_login(site_doctor)
        page = client.get(reverse("healthcode:dashboard")).content.decode()
    assert resident.name in page and elsewhere.name not in page
    assert {c.person for c in HealthCode.objects.restrict(site_doctor)} == {resident}


def test_a_narrowed_reach_gives_the_raw_statements_no_prefix(staff, make_user):
    """Hot paths scope raw SQL by `scope_prefix`; a role's narrowed reach is not a path
    prefix, so they get none (refused) rather than the whole county."""
    from fangkong.core.querysets import scope_prefix
    from fangkong.people.models import Person
    from fangkong.supplies.models import Warehouse

    assert scope_prefix(staff, Person) is None
    county = make_user("county_hq", "330602")
    assert scope_prefix(county, Person) == county.node.path  # not narrowed: its subtree
    assert scope_prefix(staff, Warehouse) == staff.node.path  # warehouses are not narrowed


def test_site_staff_see_and_change_their_own_sites_only(
    client, staff, site, make_user, system_user
):
    """The county's other sites are not theirs: not listed, not opened (404)."""
    from fangkong.observation import actions
    from fangkong.observation.models import QuarantineSite, Room

    other = actions.create_site(
        system_user, name="另一隔离点", address="塔山路9号", node=site.node, doctor=None
    )
    actions.add_rooms(system_user, other, ["901"], 1)
    assert set(QuarantineSite.objects.restrict(staff, "change")) == {site}
    assert set(Room.objects.restrict(staff).values_list("site_id", flat=True)) == {site.pk}
    client.force_login(staff)
    page = client.get(reverse("observation:sites")).content.decode()
    assert site.name in page and other.name not in page
    assert client.get(reverse("observation:site", args=[site.pk])).status_code == 200
    assert client.get(reverse("observation:site", args=[other.pk])).status_code == 404
    county = make_user("county_hq", "330602")
    assert {site, other} <= set(QuarantineSite.objects.restrict(county))
