"""The write door (core.access): require(user, action, obj, node) refuses with one
exception when the role lacks the action or the record or node lies outside the user's
subtree; actor() and invalid() are the one copy every app uses."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from fangkong.accounts.models import ApiToken, User
from fangkong.accounts.roles import Role
from fangkong.core import clock
from fangkong.core.access import NotAllowed, actor, invalid, may, require, within
from fangkong.geo.models import Division
from fangkong.people.models import Person
from tests.conftest import GRID_A, GRID_Z, HUAYUAN, ZHUJI


def test_not_allowed_answers_as_both_families():
    exc = NotAllowed("x")
    assert isinstance(exc, PermissionDenied)
    assert isinstance(exc, PermissionError)


def test_the_role_table_decides(make_user):
    worker = make_user(Role.GRID_WORKER, GRID_A)
    require(worker, "view", Person)
    require(worker, "view", "people.person")
    assert may(worker, "view", "people.person")
    with pytest.raises(NotAllowed, match="your role may not do this"):
        require(worker, "add", "command.target")
    with pytest.raises(NotAllowed, match="only headquarters"):
        require(worker, "add", "command.target", message="only headquarters")


def test_a_record_outside_the_subtree_is_refused(make_user, make_person):
    worker = make_user(Role.GRID_WORKER, GRID_A)
    require(worker, "view", make_person("甲", node_code=GRID_A))
    with pytest.raises(NotAllowed, match="outside your jurisdiction"):
        require(worker, "view", make_person("乙", node_code=GRID_Z))


def test_a_node_outside_the_subtree_is_refused(make_user):
    staff = make_user(Role.VILLAGE_STAFF, HUAYUAN)
    require(staff, "view", Person, node=Division.objects.get(code=GRID_A))
    assert within(staff, Division.objects.get(code=GRID_A).path)
    with pytest.raises(NotAllowed, match="outside your jurisdiction"):
        require(staff, "view", Person, node=Division.objects.get(code=ZHUJI))
    with pytest.raises(NotAllowed):
        require(staff, "view", Person, node=None)  # a record placed nowhere


def test_the_system_actor_passes_and_anonymous_work_does_not(make_person):
    system = User(is_superuser=True)
    far = make_person("丙", node_code=GRID_Z)
    require(system, "delete", far, node=None)
    with pytest.raises(NotAllowed):
        require(None, "view", Person)


def test_require_needs_something_to_check(make_user):
    with pytest.raises(TypeError):
        require(make_user(Role.CITY_HQ, "3306"), "view")


def _token_made_inside(block_actor, owner):
    """The actor the audit log records for a record written inside actor(block_actor)."""
    with actor(block_actor):
        token = ApiToken.objects.create(
            user=owner,
            digest=ApiToken.hash(ApiToken.new_raw()),
            expires_at=clock.now() + dt.timedelta(days=1),
        )
    return LogEntry.objects.get_for_object(token).get().actor


def test_actor_names_stored_accounts_only(make_user):
    owner = make_user(Role.CITY_HQ, "3306")
    assert _token_made_inside(User(is_superuser=True), owner) is None
    assert _token_made_inside(None, owner) is None
    user = make_user(Role.COUNTY_HQ, ZHUJI)
    assert _token_made_inside(user, owner) == user


def test_invalid_names_the_field():
    err = invalid("phone", "not a number")
    assert isinstance(err, ValidationError)
    assert err.message_dict == {"phone": ["not a number"]}
