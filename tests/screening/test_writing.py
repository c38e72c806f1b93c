"""core/writing.py: plain tuples into a model's table, ids drawn before the write."""

import pytest

from fangkong.core import clock, writing
from fangkong.screening.models import ScreeningSubject, ScreeningTask
from tests.conftest import GRID_A


def test_rows_name_each_other_before_they_are_written_and_take_the_defaults(db, make_person, node):
    grid = node(GRID_A)
    person = make_person(name="王五", node_code=GRID_A)
    now = clock.now()
    subjects = writing.Table(ScreeningSubject, ("person_id", "name", "node_id", "path"), 2)
    tasks = writing.Table(ScreeningTask, ("subject_id", "node_id", "path", "due_at"))
    subject_id = subjects.add((person.pk, "王五", grid.pk, grid.path))
    task_id = tasks.add((subject_id, grid.pk, grid.path, now))
    tasks.write()  # the task before its subject: one transaction, checked at commit
    subjects.write()
    task = ScreeningTask.objects.select_related("subject").get(pk=task_id)
    assert task.subject.person_id == person.pk and task.subject.name == "王五"
    # Columns not named take the field's default: open, version 1, no visit.
    assert (task.status, task.version, task.visited_at, task.key_area) == ("open", 1, None, False)
    assert task.subject.placement == "" and task.subject.created_at is not None


def test_ids_never_reuse_one_handed_out_before(db, make_task):
    gone = make_task()
    largest = gone.pk
    gone.delete()
    ids = writing.Ids(ScreeningTask, 3)
    drawn = [ids.take() for _ in range(5)]
    assert len(set(drawn)) == 5 and min(drawn) > largest  # not even a deleted one


def test_an_unknown_column_is_refused():
    with pytest.raises(ValueError, match="no columns"):
        writing.Table(ScreeningTask, ("subject_id", "colour"))
