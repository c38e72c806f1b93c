"""core/writing.py: plain tuples into a model's table, ids drawn before the write."""

import datetime as dt

import pytest
from django.db import DataError, connection, transaction

from fangkong.core import clock, writing
from fangkong.people.choices import Sex
from fangkong.people.models import Person
from fangkong.screening.choices import TaskStatus
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


ODD = "a\tb\nc\rd\\e 王"  # characters COPY's text format escapes


@pytest.mark.parametrize("household", [None, "not a number"])
def test_values_of_every_kind_are_stored_as_given(db, node, household):
    """On PostgreSQL rows go in by binary COPY when every value has its column's type,
    else as text (a text where an integer belongs: PostgreSQL reads it or refuses it
    as before): either way texts, None, booleans, choices, bytes, dates and aware times
    in another zone come back as they went in."""
    grid = node(GRID_A)
    shanghai = dt.timezone(dt.timedelta(hours=8))
    arrived = dt.datetime(2020, 2, 3, 7, 5, 9, 123456, tzinfo=shanghai)
    columns = ("name", "sex", "birth_date", "id_number_enc", "address", "node_id", "path")
    persons = writing.Table(Person, (*columns, "household_id"))
    values = (ODD, Sex.FEMALE, dt.date(1990, 1, 31), b"\x00\\\x01\xff", ODD, grid.pk, grid.path)
    person_id = persons.add((*values, None))
    bare = persons.add(("", "U", None, None, "", grid.pk, grid.path, None))
    if household is not None:  # text COPY, refused by PostgreSQL as an integer
        persons.add(("", "U", None, None, "", grid.pk, grid.path, household))
        with pytest.raises((DataError, ValueError)), transaction.atomic():
            persons.write()
        return
    persons.write()
    subjects = writing.Table(
        ScreeningSubject, ("person_id", "name", "node_id", "path", "arrival_at", "key_area")
    )
    subject_id = subjects.add((person_id, ODD, grid.pk, grid.path, arrived, True))
    subjects.write()
    person = Person.objects.get(pk=person_id)
    got = (person.name, person.sex, person.birth_date, person.address, person.node_id)
    assert got == (ODD, "F", dt.date(1990, 1, 31), ODD, grid.pk)
    assert bytes(person.id_number_enc) == b"\x00\\\x01\xff"
    assert Person.objects.filter(pk=bare, birth_date=None, id_number_enc=None).exists()
    subject = ScreeningSubject.objects.get(pk=subject_id)
    assert (subject.name, subject.arrival_at, subject.key_area) == (ODD, arrived, True)


def test_binary_copy_only_when_every_value_has_its_column_s_type(db):
    """A naive time, a boolean where an integer belongs or a text where a date does
    sends the rows as text, which PostgreSQL reads as it always has. The choice is
    made from the columns' types as PostgreSQL names them (read from its catalogue
    there; SQLite writes by `bulk_create` and never asks)."""
    now = clock.now()
    columns = ("subject_id", "key_area", "due_at", "visited_at", "status")
    cols = [
        f.column for c in columns for f in ScreeningTask._meta.concrete_fields if f.attname == c
    ]
    oids = [20, 16, 1184, 1184, 1043]  # bigint, boolean, timestamptz ×2, varchar
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            writing._binary(cur, ScreeningTask._meta.db_table, cols, [(1, True, now, now, "")])
        table = writing.COLUMN_TYPES[ScreeningTask._meta.db_table]
        assert [table[c] for c in cols] == oids

    def binary(*rows: tuple) -> bool:
        return bool(writing.binary_oids(oids, rows))

    assert binary((1, True, now, None, TaskStatus.OPEN), (2, False, now, now, "done"))
    assert not binary((1, True, now.replace(tzinfo=None), None, "open"))
    assert not binary((True, True, now, None, "open"))
    assert not binary((1, True, now.date(), None, "open"))
