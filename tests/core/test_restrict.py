"""restrict(user, action) for every role: scoped to the user's subtree, nothing for
actions the role lacks, nothing for an account bound to no node."""

import pytest

from fangkong.accounts.roles import Role
from fangkong.core.querysets import can_access, system_actor
from fangkong.people.models import Person
from tests.conftest import GRID_A, GRID_B, GRID_C, GRID_Z, HUAYUAN, TASHAN, YUECHENG

# role → node it is bound to in this test, and the grids whose persons it sees.
SCOPES = {
    Role.CITY_HQ: ("3306", {GRID_A, GRID_B, GRID_C, GRID_Z}),
    Role.COUNTY_HQ: (YUECHENG, {GRID_A, GRID_B, GRID_C}),
    Role.TOWN_HQ: (TASHAN, {GRID_A, GRID_B}),
    Role.VILLAGE_STAFF: (HUAYUAN, {GRID_A, GRID_B}),
    Role.GRID_WORKER: (GRID_A, {GRID_A}),
    Role.MEDICAL: (YUECHENG, {GRID_A, GRID_B, GRID_C}),
    Role.CDC: ("3306", {GRID_A, GRID_B, GRID_C, GRID_Z}),
    # Only the persons placed at their sites, of which none here (#17: the narrowing is
    # tested in tests/observation/test_site_staff.py).
    Role.QUARANTINE_SITE: (YUECHENG, set()),
    # No resident registry for supplies officers and the organisation department.
    Role.SUPPLIES: ("3306", set()),
    Role.ORGANISATION: ("3306", set()),
    Role.DISCIPLINE: ("3306", {GRID_A, GRID_B, GRID_C, GRID_Z}),
    Role.SYSADMIN: ("3306", {GRID_A, GRID_B, GRID_C, GRID_Z}),
}
REVEALERS = {
    Role.CITY_HQ,
    Role.COUNTY_HQ,
    Role.TOWN_HQ,
    Role.VILLAGE_STAFF,
    Role.GRID_WORKER,
    Role.MEDICAL,
    Role.CDC,
    Role.QUARANTINE_SITE,
}


@pytest.fixture
def persons(make_person):
    return {
        g: make_person(f"人{i}", node_code=g)
        for i, g in enumerate((GRID_A, GRID_B, GRID_C, GRID_Z))
    }


@pytest.mark.parametrize("role", list(Role))
def test_view_is_scoped_to_the_subtree(role, make_user, persons):
    code, visible = SCOPES[role]
    user = make_user(role, code)
    seen = set(Person.objects.restrict(user, "view").values_list("node__code", flat=True))
    assert seen == visible
    for grid, person in persons.items():
        assert can_access(user, person, "view") == (grid in visible)


@pytest.mark.parametrize("role", list(Role))
def test_reveal_needs_the_permission(role, make_user, persons):
    code, visible = SCOPES[role]
    user = make_user(role, code)
    revealable = Person.objects.restrict(user, "reveal")
    assert revealable.exists() == (role in REVEALERS and bool(visible))


def test_account_without_node_sees_nothing(make_user, persons):
    user = make_user(Role.CITY_HQ, None)
    assert not Person.objects.restrict(user, "view").exists()


def test_inactive_and_anonymous_see_nothing(make_user, persons):
    from django.contrib.auth.models import AnonymousUser

    user = make_user(Role.CITY_HQ, "3306", is_active=False)
    assert not Person.objects.restrict(user, "view").exists()
    assert not Person.objects.restrict(AnonymousUser(), "view").exists()


def test_superuser_account_sees_its_grid_only_and_the_system_everything(make_user, persons):
    """Issue #16, M8: the superuser flag of a stored account widens nothing; only the
    in-memory system actor (fixtures, imports, scheduled work) sees the whole tree."""

    user = make_user(Role.GRID_WORKER, GRID_A, is_superuser=True)
    ordinary = make_user(Role.GRID_WORKER, GRID_A)
    assert Person.objects.restrict(user, "view").count() == (
        Person.objects.restrict(ordinary, "view").count()
    )
    assert Person.objects.restrict(user, "view").count() < 4
    assert Person.objects.restrict(system_actor(), "view").count() == 4


def test_prefix_does_not_leak_into_a_sibling_with_a_longer_code(make_user, node):
    # Paths end in "/", so G01 never matches G010-like siblings or 3306021 codes.
    user = make_user(Role.GRID_WORKER, GRID_A)
    assert node(GRID_A).path.endswith("/")
    assert not Person.objects.restrict(user).filter(path__startswith=node(GRID_B).path).exists()
