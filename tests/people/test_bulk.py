from unittest import mock

import pytest

from fangkong.geo.models import Division
from fangkong.people import bulk
from fangkong.people.bulk import bulk_register
from fangkong.people.models import Person
from tests.conftest import GRID_A
from tests.idnumbers import rid


def test_bulk_keeps_good_rows_and_reports_every_rejected_one(db, make_person):
    make_person("已登记", id_number=rid("330602", "1970-01-01", 11))
    grid = Division.objects.get(code=GRID_A)
    paths = {grid.id: grid.path}
    rows = [
        {"name": "甲", "node_id": grid.id, "id_number": rid("330602", "1950-05-05", 13)},
        {"name": "乙", "node_id": grid.id, "id_number": "330602195005051234"},
        {"name": "丙", "node_id": grid.id, "phone": "1234"},
        {"name": "丁", "node_id": grid.id, "id_number": rid("330602", "1950-05-05", 13)},
        {"name": "戊", "node_id": grid.id, "id_number": rid("330602", "1970-01-01", 11)},
        {"name": "己", "node_id": grid.id, "phone": "13800000000"},
    ]
    report = bulk_register(rows, paths, batch_size=3)
    assert report.accepted == 2
    rejected = {row: (field, reason) for row, field, reason in report.rejected}
    assert set(rejected) == {2, 3, 4, 5}
    assert rejected[2][0] == "id_number" and "check digit" in rejected[2][1]
    assert rejected[3][0] == "phone"
    assert rejected[4] == bulk.repeated()
    assert rejected[5] == ("id_number", bulk.registered())
    assert Person.objects.count() == 3


@pytest.mark.parametrize("writer", ["bulk_register", "copy_register"])
def test_a_missing_name_or_a_text_too_long_for_its_column_is_refused_by_row_and_field(db, writer):
    """A value the column cannot hold would fail its whole batch in the database."""
    grid = Division.objects.get(code=GRID_A)
    rows = [
        {"name": "甲", "node_id": grid.id, "phone": "13800000001"},
        {"name": "  ", "node_id": grid.id, "phone": "13800000002"},
        {"name": "乙", "node_id": grid.id, "phone": "13800000003", "address": "村" * 201},
        {"name": "丙", "node_id": grid.id, "phone": "13800000004", "occupation": "工" * 61},
        {"name": "丁", "node_id": grid.id, "phone": "13800000005", "address": "村" * 200},
    ]
    report = getattr(bulk, writer)(rows, {grid.id: grid.path})
    assert report.accepted == 2
    assert [(row, field) for row, field, _why in report.rejected] == [
        (2, "name"),
        (3, "address"),
        (4, "occupation"),
    ]
    assert "200" in report.rejected[1][2] and "60" in report.rejected[2][2]
    assert sorted(Person.objects.values_list("name", flat=True)) == ["丁", "甲"]


def test_copy_path_validates_the_same_and_refuses_stored_ids(db, make_person):
    from fangkong.people.bulk import copy_register

    stored = make_person("已登记", id_number=rid("330602", "1970-01-01", 11))
    grid = Division.objects.get(code=GRID_A)
    rows = [
        {
            "name": "甲",
            "node_id": grid.id,
            "id_number": rid("330621", "1955-05-05", 13),
            "phone": "13900001111",
            "address": "花园社区\t1幢",
        },
        {"name": "乙", "node_id": grid.id, "id_number": "330602195005051234"},
        {"name": "戊", "node_id": grid.id, "id_number": rid("330602", "1970-01-01", 11)},
        {"name": "己", "node_id": grid.id},
    ]
    report = copy_register(rows, {grid.id: grid.path}, batch_size=10)
    assert report.accepted == 2
    assert sorted((r, f) for r, f, _ in report.rejected) == [(2, "id_number"), (3, "id_number")]
    loaded = Person.objects.exclude(pk=stored.pk).get(name="甲")
    assert loaded.reveal("id_number") == rid("330621", "1955-05-05", 13)
    assert loaded.reveal("phone") == "13900001111" and loaded.address == "花园社区\t1幢"
    assert Person.objects.with_phone("13900001111").get() == loaded
    assert Person.objects.filter(name="己").exists()


def test_bulk_load_on_two_workers_reports_as_one_worker_does(db, make_person):
    """Rows prepared on worker processes partitioned by identity: the same report, the
    same duplicates refused in row order, the same persons stored."""
    from django.db import transaction

    from fangkong.people.bulk import copy_register

    make_person("已登记", id_number=rid("330602", "1970-01-01", 11))
    grid = Division.objects.get(code=GRID_A)
    rows = many_rows(grid)

    def load(workers):
        with transaction.atomic():
            report = copy_register(rows, {grid.id: grid.path}, batch_size=4, workers=workers)
            stored = sorted(
                Person.objects.values_list("name", "id_masked", "phone_masked", "birth_date")
            )
            transaction.set_rollback(True)
        return report, stored

    one, stored_one = load(1)
    two, stored_two = load(2)
    assert (two.accepted, two.rejected, stored_two) == (one.accepted, one.rejected, stored_one)
    assert one.accepted == 8
    assert [r for r, _f, _why in one.rejected if _why == bulk.repeated()[1]] == list(range(8, 31))
    assert ("手机", "", "139****1111", None) in stored_one


def many_rows(grid):
    rows = [
        {"name": f"人{i}", "node_id": grid.id, "id_number": rid("330602", "1950-05-05", i % 7)}
        for i in range(30)
    ]
    rows += [
        {"name": "坏", "node_id": grid.id, "id_number": "330602195005051234"},
        {"name": "手 机", "node_id": grid.id, "phone": "+86 １３９ 0000 1111"},
        {"name": "戊", "node_id": grid.id, "id_number": rid("330602", "1970-01-01", 11)},
    ]
    return rows


@pytest.mark.django_db(transaction=True)
def test_a_bulk_load_outside_a_transaction_stores_batches_while_taking_in_the_next(
    tree, make_person, monkeypatch
):
    """#21: on PostgreSQL, outside a transaction, each batch is written on the writer
    thread (`core.overlap`) while the next is taken in: the same report, row by row, and
    the same persons as the serial path."""
    from django.db import connection, transaction

    from fangkong.core import overlap
    from fangkong.people.bulk import copy_register

    make_person("已登记", id_number=rid("330602", "1970-01-01", 11))
    grid = Division.objects.get(code=GRID_A)
    with transaction.atomic():
        serial = copy_register(many_rows(grid), {grid.id: grid.path}, batch_size=3, workers=2)
        expected = sorted(Person.objects.values_list("name", "id_masked", "phone_masked"))
        transaction.set_rollback(True)
    on_thread = mock.Mock(wraps=overlap._run)
    monkeypatch.setattr(overlap, "_run", on_thread)
    report = copy_register(many_rows(grid), {grid.id: grid.path}, batch_size=3, workers=1)
    assert on_thread.called == (connection.vendor == "postgresql")
    assert (report.accepted, report.rejected) == (serial.accepted, serial.rejected)
    assert [r for r, _f, _why in report.rejected] == sorted(r for r, _f, _w in report.rejected)
    stored = sorted(Person.objects.values_list("name", "id_masked", "phone_masked"))
    assert stored == expected and len(stored) == 1 + report.accepted


@pytest.mark.django_db(transaction=True)
def test_on_two_workers_outside_a_transaction_the_workers_write_their_own_rows(tree, make_person):
    """#21: on PostgreSQL, outside a transaction, each worker writes the rows it prepared
    (the parent reads and reports only): the report row by row, the duplicates refused in
    row order and the persons stored are the ones one process gives."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from fangkong.people.bulk import copy_register

    make_person("已登记", id_number=rid("330602", "1970-01-01", 11))
    grid = Division.objects.get(code=GRID_A)
    rows = many_rows(grid) + [
        {"name": f"后{i}", "node_id": grid.id, "id_number": rid("330602", "1960-03-03", i)}
        for i in range(40, 60)
    ]
    with transaction.atomic():
        serial = copy_register(rows, {grid.id: grid.path}, batch_size=3, workers=1)
        expected = sorted(Person.objects.values_list("name", "id_masked", "phone_masked"))
        transaction.set_rollback(True)
    with CaptureQueriesContext(connection) as parent:
        report = copy_register(rows, {grid.id: grid.path}, batch_size=3, workers=2)
    assert (report.accepted, report.rejected) == (serial.accepted, serial.rejected)
    assert report.accepted == 28 and len(report.rejected) == 25
    stored = sorted(Person.objects.values_list("name", "id_masked", "phone_masked"))
    assert stored == expected and len(stored) == 1 + report.accepted
    wrote_here = [q["sql"] for q in parent.captured_queries if "people_person" in q["sql"]]
    assert (wrote_here == []) == (connection.vendor == "postgresql")


def test_bulk_load_parses_each_resident_id_once(db, monkeypatch):
    """#22 item 5: the bulk loader parses a row's ID once, refused or not, and the
    person's sex and birth date come from that parse."""
    from unittest import mock

    from fangkong.people import identity

    parse = mock.Mock(wraps=identity.parse_resident_id)
    monkeypatch.setattr(identity, "parse_resident_id", parse)
    grid = Division.objects.get(code=GRID_A)
    rows = [
        {"name": "甲", "node_id": grid.id, "id_number": rid("330602", "1950-05-05", 13)},
        {"name": "乙", "node_id": grid.id, "id_number": "330602195005051234"},
        {"name": "丙", "node_id": grid.id, "phone": "13800000000"},
        {"name": "丁", "node_id": grid.id, "id_number": rid("330602", "1961-02-03", 22)},
    ]
    report = bulk_register(rows, {grid.id: grid.path})
    assert report.accepted == 3 and parse.call_count == 3
    ding = Person.objects.get(name="丁")
    assert (ding.sex, ding.birth_date.isoformat()) == ("F", "1961-02-03")


def test_person_values_name_every_copied_column():
    """The COPY writers and the ORM writer take one tuple of the same columns."""
    import datetime as dt

    from fangkong.people import bulk, identity

    ident = identity.parse("甲", rid("330602", "1950-05-05", 13), "13800000000")
    protected = bulk.protect_identity(ident.name, ident.id_number, ident.phone)
    now = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)
    values = bulk.person_values(ident, protected, 7, {7: "33/"}, now, {"address": "x"})
    assert tuple(values) == bulk.COPY_FIELDS
    assert (values["node_id"], values["path"], values["address"]) == (7, "33/", "x")
    assert values["id_number_index"] == protected.id_number_index and values["sex"] == "M"


def test_an_id_registered_elsewhere_during_the_load_is_refused_by_the_database(
    db, make_person, monkeypatch
):
    """The IDs stored are read before the write; one registered by another writer just
    after that read makes the write fail on the unique blind index, and that row alone is
    refused (PostgreSQL: through the stage and ON CONFLICT; SQLite: read again)."""
    from fangkong.people import bulk

    grid = Division.objects.get(code=GRID_A)
    late = rid("330602", "1948-08-08", 31)
    rows = [
        {"name": "甲", "node_id": grid.id, "id_number": rid("330602", "1950-05-05", 13)},
        {"name": "乙", "node_id": grid.id, "id_number": late},
        {"name": "丙", "node_id": grid.id, "phone": "13800000000"},
    ]
    real = bulk._taken

    def registered_just_after_the_read(indexes):
        monkeypatch.setattr(bulk, "_taken", real)
        taken = real(indexes)
        make_person("先到", id_number=late)
        return taken

    monkeypatch.setattr(bulk, "_taken", registered_just_after_the_read)
    report = bulk.copy_register(rows, {grid.id: grid.path}, batch_size=10, workers=1)
    assert report.accepted == 2 and report.rejected == [(2, "id_number", bulk.registered())]
    assert sorted(Person.objects.values_list("name", flat=True)) == ["丙", "先到", "甲"]
