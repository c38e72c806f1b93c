"""Visits, outcomes, transfers across districts and the town's exceptions queue."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fangkong.screening import actions
from fangkong.screening.models import ExceptionItem, ScreeningTask, TaskTransfer, Visit
from tests.conftest import GRID_A, GRID_C, GRID_Z, TASHAN

VISIT = {
    "identity_checked": True,
    "phone_checked": True,
    "contact": "none",
    "health": "well",
    "household_members": 3,
}


def test_double_submit_creates_one_visit(make_task, grid_worker):
    task = make_task()
    client_id = uuid.uuid4()
    data = {**VISIT, "outcome": "cleared", "client_id": client_id}
    first, created = actions.record_visit(grid_worker, task, data)
    again, created_again = actions.record_visit(grid_worker, task, data)
    assert created and not created_again and first.pk == again.pk
    assert Visit.objects.count() == 1
    task.refresh_from_db()
    assert task.status == "done" and task.outcome == "cleared" and task.minutes_to_visit == 0


@pytest.mark.parametrize("outcome", ["central", "fever_clinic"])
def test_site_and_referral_decisions_are_kept_as_pending_handover(make_task, grid_worker, outcome):
    task = make_task()
    actions.record_visit(grid_worker, task, {**VISIT, "outcome": outcome})
    assert ScreeningTask.objects.handover_pending().get() == task


def test_home_observation_is_handed_to_the_observation_app(make_task, grid_worker):
    from fangkong.observation.models import ObservationPeriod

    task = make_task(key_area=True)
    actions.record_visit(grid_worker, task, {**VISIT, "outcome": "home"})
    task.refresh_from_db()
    assert task.handover == "done" and not ScreeningTask.objects.handover_pending().exists()
    period = ObservationPeriod.objects.get(person=task.subject.person)
    assert period.reason == "key_area_arrival"
    # Already under observation: the second decision stays listed as pending.
    again = make_task(name="王五二")
    ObservationPeriod.objects.filter(pk=period.pk).update(person=again.subject.person)
    actions.record_visit(grid_worker, again, {**VISIT, "outcome": "home"})
    assert ScreeningTask.objects.handover_pending().get() == again


def test_not_found_escalates_to_the_town(make_task, grid_worker, make_user):
    task = make_task()
    actions.record_visit(grid_worker, task, {**VISIT, "outcome": "not_found"})
    task.refresh_from_db()
    assert task.status == "escalated"
    item = ExceptionItem.objects.get()
    assert item.kind == "not_found" and item.node.code == TASHAN
    town = make_user("town_hq", TASHAN)
    assert list(ExceptionItem.objects.restrict(town).open()) == [item]
    assert not ExceptionItem.objects.restrict(make_user("town_hq", "330602002")).exists()
    actions.assign_exception(town, item, item.node.children.get(code="330602001004"))
    task.refresh_from_db()
    assert task.status == "open" and task.node.code == "330602001004"


def test_moved_task_goes_to_the_other_district(make_task, grid_worker, make_user):
    task = make_task()
    actions.record_visit(
        grid_worker,
        task,
        {**VISIT, "outcome": "moved", "new_address": "诸暨市暨阳街道江东社区5号"},
    )
    task.refresh_from_db()
    assert task.status == "open" and task.node.code == GRID_Z
    assert not ScreeningTask.objects.restrict(grid_worker).filter(pk=task.pk).exists()
    zhuji_worker = make_user("grid_worker", GRID_Z)
    assert list(ScreeningTask.objects.restrict(zhuji_worker).for_today()) == [task]
    assert TaskTransfer.objects.get(task=task).from_node.code == GRID_A


def test_moved_to_an_unknown_place_goes_to_the_town_queue(make_task, grid_worker):
    task = make_task()
    actions.record_visit(
        grid_worker, task, {**VISIT, "outcome": "moved", "new_address": "外地某处"}
    )
    item = ExceptionItem.objects.get()
    assert item.kind == "moved" and item.node.code == TASHAN


def test_transfer_between_districts_moves_scope(make_task, grid_worker, make_user, node):
    task = make_task()
    actions.transfer_task(grid_worker, task, node(GRID_Z), "lives in Zhuji")
    yuecheng = make_user("county_hq", "330602")
    zhuji = make_user("county_hq", "330681")
    assert not ScreeningTask.objects.restrict(yuecheng).filter(pk=task.pk).exists()
    assert ScreeningTask.objects.restrict(zhuji).filter(pk=task.pk).exists()
    with pytest.raises(PermissionDenied):
        actions.transfer_task(grid_worker, task, node(GRID_A), "back")


def test_worker_of_another_grid_cannot_visit(make_task, make_user):
    task = make_task(code=GRID_C)
    other = make_user("grid_worker", GRID_A)
    with pytest.raises(PermissionDenied):
        actions.record_visit(other, task, {**VISIT, "outcome": "cleared"})


def test_closed_task_refuses_a_new_visit(make_task, grid_worker):
    task = make_task()
    actions.record_visit(grid_worker, task, {**VISIT, "outcome": "cleared"})
    with pytest.raises(ValidationError):
        actions.record_visit(grid_worker, task, {**VISIT, "outcome": "cleared"})


def test_today_orders_by_due_time(make_task, grid_worker):
    late = make_task(name="甲", hours=20)
    soon = make_task(name="乙", key_area=True, hours=1)
    overdue = make_task(name="丙", hours=-2)
    assert list(ScreeningTask.objects.restrict(grid_worker).for_today()) == [overdue, soon, late]
