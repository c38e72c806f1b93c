"""The import as a pipeline: rows prepared on worker processes partitioned by identity
give the same fate, row for row, as rows prepared in the importing process."""

import pickle
from unittest import mock

import pytest
from django.db import connection, transaction

from fangkong.core import clock, overlap
from fangkong.core.partition import WorkerFailed
from fangkong.people import identity
from fangkong.people.models import Person
from fangkong.screening import actions, fates, importing, preparing, reading
from fangkong.screening.importing import Pipeline
from fangkong.screening.matching import load_matcher
from fangkong.screening.models import (
    DeclarationReview,
    ExceptionItem,
    ImportRejection,
    PushedList,
    PushedRow,
    ScreeningSubject,
    ScreeningTask,
)
from tests.idnumbers import rid
from tests.screening import test_import
from tests.screening.test_import import HUAYUAN_ADDR, RAIL_ROWS, TELECOM_ROWS

scene = test_import.scene  # the import tests' scene: a registered person, an alias, a source

FIELDS = ["name", "id_number", "phone", "origin", "arrival_date", "transport", "transport_no"]
FIELDS += ["address"]


def rows():
    """The messy telecom list, the rail list, and again the telecom list with other
    arrivals: bad rows among good ones, one person many times across chunks."""
    table = [*TELECOM_ROWS, *RAIL_ROWS]
    table += [[*r[:4], "2026-11-29", *r[5:]] for r in TELECOM_ROWS]
    table.append(["孙 八", rid("330602", "1950-03-08", 12), "+86 139 0000 0010", "上海市",
                  "2026-11-28", "", "", HUAYUAN_ADDR])  # fmt: skip
    return [(n, dict(zip(FIELDS, r, strict=True))) for n, r in enumerate(table, start=2)]


def cells():
    """The same rows as a file gives them: cells in the file's column order, and the
    mapping of our fields to those columns."""
    order = [*reversed(FIELDS)]
    mapping = {f: order.index(f) for f in FIELDS}
    return [(n, [raw[f] for f in order]) for n, raw in rows()], mapping


def imported(scene, workers, as_cells=False, given=None, batch_size=4):
    """Fates and counts of one import (`rows()` unless `given`), rolled back afterwards."""
    with transaction.atomic():
        pushed = PushedList.objects.create(
            source=scene["telecom"], file_name="t.csv", sha256=f"t{workers}", node=scene["hq"].node
        )
        if as_cells:
            given, mapping = cells()
            counts = Pipeline(pushed).feed(given, batch_size=4, workers=workers, mapping=mapping)
        else:
            counts = Pipeline(pushed).feed(given or rows(), batch_size=batch_size, workers=workers)
        out = fate_rows(pushed)
        transaction.set_rollback(True)
    return out, counts.as_dict()


def fate_rows(pushed):
    return [
        (f.row_no, f.name, f.id_masked, f.phone_masked, f.fate, f.detail, f.place, f.conflict)
        for f in fates.fates(pushed)
    ]


def test_two_workers_give_every_row_the_fate_one_worker_gives(scene):
    one, counts_one = imported(scene, 1)
    two, counts_two = imported(scene, 2)
    assert two == one and counts_two == counts_one
    # Every row once, in file order, the bad ones among the good ones rejected by field.
    assert [f[0] for f in one] == [n for n, _r in rows()]
    by_row = {f[0]: f for f in one}
    assert by_row[4][4] == "Rejected" and by_row[4][5].startswith("id_number: ")
    assert by_row[5][4] == "Rejected" and by_row[5][5].startswith("id_number: ")
    assert by_row[11][4] == "Rejected" and by_row[11][5].startswith("phone: ")
    assert by_row[9][4] == "Merged"  # 张三 again, same arrival
    assert counts_one["rejected"] == 6 and counts_one["total"] == len(rows())
    # The last row's name, phone and elderly ID are read by people/identity.
    last = by_row[max(by_row)]
    assert last[1] == "孙八" and last[4] in ("Placed", "Queued") and last[3] == "139****0010"


def test_a_prepared_row_crosses_to_the_parent_as_plain_values(scene):
    """#21: a worker sends each prepared row as flat values (no Python call per object
    when the chunk is pickled or unpickled); the parent rebuilds the same row."""
    state = preparing.start((scene["telecom"].pk, clock.today(), load_matcher(), None))
    for item in rows():
        prepared = preparing.work(state, item)
        sent = preparing.flat(prepared)
        assert preparing.unflat(pickle.loads(pickle.dumps(sent))) == prepared
        assert isinstance(sent, preparing.Prepared) == (prepared.error is not None)
        assert type(preparing.work_flat(state, item)) is type(sent)


def test_a_file_s_cells_are_mapped_where_the_row_is_prepared(scene):
    """#21: the reading process only splits the file into rows; the workers map the cells
    to our fields. Every row's fate is the same as from mapped rows, on one worker or two."""
    one, counts_one = imported(scene, 1)
    for workers in (1, 2):
        out, counts = imported(scene, workers, as_cells=True)
        assert out == one and counts == counts_one


def test_a_short_row_is_refused_with_its_row_number(scene):
    """A row of the file with fewer cells than the header (mapped on a worker) is refused
    with its own row number, among rows that are stored."""
    given, mapping = cells()
    name_at = mapping["name"]
    short = [""] * name_at + ["赵九"]  # ends at the name: no resident ID, no phone
    pushed = new_list(scene)
    counts = Pipeline(pushed).feed(
        [*given[:3], (40, short)], batch_size=2, workers=2, mapping=mapping
    )
    assert counts.total == 4
    refused = ImportRejection.objects.get(pushed_list=pushed, row_no=40)
    assert (refused.field, refused.name) == ("id_number", "赵九")
    assert PushedRow.objects.filter(pushed_list=pushed, row_no=2).exists()


def test_blank_rows_are_skipped_and_numbered_as_in_the_sheet():
    table = reading.Table(
        headers=["姓名", "手机号"],
        rows=iter([["甲", "1"], ["", "  "], [None, ""], [" ", 0.0], ["乙", 2.0]]),
        total=5,
    )
    assert [(n, r[0]) for n, r in reading.numbered_rows(table)] == [(2, "甲"), (6, "乙")]
    assert reading.map_cells(["乙", 2.0], {"name": 0, "phone": 1, "address": 5}) == {
        "name": "乙",
        "phone": "2",
        "address": "",
    }


def test_nothing_of_a_rolled_back_import_stays(scene):
    imported(scene, 2)
    assert not PushedRow.objects.exists() and not ImportRejection.objects.exists()


def test_an_uploaded_list_is_imported_on_the_configured_workers(scene, upload, settings):
    settings.FANGKONG_IMPORT_WORKERS, settings.FANGKONG_IMPORT_WORKERS_FROM = 2, 0
    pushed, _started = upload(scene["hq"], scene["telecom"], test_import.csv_bytes(TELECOM_ROWS))
    assert pushed.status == "done" and not pushed.stored_as
    assert pushed.counts["total"] == len(TELECOM_ROWS)
    assert (pushed.counts["rejected"], pushed.counts["duplicates"]) == (3, 1)
    fates_by_row = {f.row_no: f.fate for f in fates.fates(pushed)}
    assert sorted(fates_by_row) == list(range(2, len(TELECOM_ROWS) + 2))


def new_list(scene, sha="t"):
    return PushedList.objects.create(
        source=scene["telecom"], file_name="t.csv", sha256=sha, node=scene["hq"].node
    )


def test_the_resident_id_is_parsed_once_per_row(scene, monkeypatch):
    """#22 item 5: one resident-ID parse per row, valid or not, and none in the parent's
    matching or writing (the parse travels with the row)."""
    parse = mock.Mock(wraps=identity.parse_resident_id)
    monkeypatch.setattr(identity, "parse_resident_id", parse)
    counts = Pipeline(new_list(scene)).feed(rows(), batch_size=4, workers=1)
    carrying = [raw for _n, raw in rows() if raw["id_number"].strip()]
    assert counts.total == len(rows()) and parse.call_count == len(carrying) == 13


def test_a_self_declaration_parses_the_resident_id_once(scene, monkeypatch):
    parse = mock.Mock(wraps=identity.parse_resident_id)
    monkeypatch.setattr(identity, "parse_resident_id", parse)
    new = {"name": "黄一", "id_number": rid("420106", "1992-02-02", 51), "address": HUAYUAN_ADDR}
    outcome = actions.declare({**new, "origin": "湖北省武汉市", "arrival_date": "2026-11-28"})
    assert outcome.row is not None and parse.call_count == 1
    # A registered person: the registry question and the held review share one parse.
    held = actions.declare({"name": "李四", "id_number": test_import.LI, "origin": "上海市"})
    assert isinstance(held, DeclarationReview) and parse.call_count == 2


def fail_in_the_second_batch(scene, monkeypatch, workers):
    """Import `rows()` in batches of 4 with the second batch's write failing after its
    persons and subjects went to the database; the first batch (rows 2-5: two placed,
    two rejected) stays whole, nothing of rows 6-9."""
    real, calls = importing._Writes._exceptions, []

    def failing(self):
        calls.append(1)
        real(self)
        if len(calls) == 2:
            raise RuntimeError("disk full")

    monkeypatch.setattr(importing._Writes, "_exceptions", failing)
    pushed = new_list(scene)
    with pytest.raises(RuntimeError, match="disk full"):
        Pipeline(pushed).feed(rows(), batch_size=4, workers=workers)
    assert sorted(PushedRow.objects.values_list("row_no", flat=True)) == [2, 3]
    assert sorted(ImportRejection.objects.values_list("row_no", flat=True)) == [4, 5]
    assert set(Person.objects.values_list("name", flat=True)) == {"李四", "张三"}
    return pushed


def test_a_failure_while_writing_leaves_whole_batches_only(scene, monkeypatch):
    """The second batch fails after its persons and subjects went to the database: none
    of its rows stays, the first batch stays whole, and a re-run gives every row the fate
    a clean import gives."""
    clean, _counts = imported(scene, 1)
    pushed = fail_in_the_second_batch(scene, monkeypatch, workers=1)
    subjects = ScreeningSubject.objects.all()
    assert {s.name for s in subjects} == {"李四", "张三"}
    assert ScreeningTask.objects.count() == 2 and not ExceptionItem.objects.exists()
    monkeypatch.undo()
    pushed.rejections.all().delete()  # as `actions.run_import` does before a re-run
    Pipeline(pushed).feed(rows(), batch_size=4, workers=1)
    assert fate_rows(pushed) == clean


def test_a_worker_failure_writes_nothing_of_its_chunk(scene, monkeypatch):
    """A row the workers cannot prepare stops the import before its chunk is written;
    the chunk before it (prepared at the same time) is written whole or not at all."""
    pushed = new_list(scene)
    broken = [*rows()[:4], (99, {"name": "坏", "id_number": None})]  # not text: the worker raises
    with pytest.raises(WorkerFailed, match="AttributeError"):
        Pipeline(pushed).feed(broken, batch_size=4, workers=2)
    stored = sorted(PushedRow.objects.values_list("row_no", flat=True))
    refused = sorted(ImportRejection.objects.values_list("row_no", flat=True))
    assert (stored, refused) in (([], []), ([2, 3], [4, 5]))
    registered = {"李四"} | ({"张三"} if stored else set())  # 李四 was registered before
    assert set(Person.objects.values_list("name", flat=True)) == registered


@pytest.mark.django_db(transaction=True)
def test_chunks_written_while_the_next_is_decided_give_the_same_fates(tree, scene, monkeypatch):
    """#21: outside a transaction on PostgreSQL each chunk is written on the writer thread
    while the next one is decided against the database and what the chunk in flight adds.
    One row a chunk, each person three times in a row (again the same arrival, then a
    later one): the row before is always in flight. Every row gets the fate, and the
    import the counts, of the serial path; each person registered once, one subject each."""
    given = []
    for _n, raw in rows():
        later = {**raw, "arrival_date": "2026-11-30"}
        given += [(len(given) + 2, r) for r in (raw, raw, later)]
    clean, clean_counts = imported(scene, 2, given=given, batch_size=1)  # the serial path
    assert clean_counts["duplicates"] >= 10 and clean_counts["joined_subjects"] >= 10
    stored_on_thread = mock.Mock(wraps=overlap._run)
    monkeypatch.setattr(overlap, "_run", stored_on_thread)
    pushed = new_list(scene, "overlapped")
    counts = Pipeline(pushed).feed(given, batch_size=1, workers=2)
    assert stored_on_thread.called == (connection.vendor == "postgresql")
    assert fate_rows(pushed) == clean and counts.as_dict() == clean_counts
    assert Person.objects.count() == 1 + clean_counts["created"]  # 李四 was registered before
    with_id = list(Person.objects.exclude(id_number_index=None).values_list("id_number_index"))
    assert len(with_id) == len(set(with_id))
    assert ScreeningSubject.objects.count() == clean_counts["new_subjects"]
    assert ScreeningTask.objects.count() == clean_counts["tasks"]


@pytest.mark.django_db(transaction=True)
def test_a_failed_write_on_the_writer_thread_leaves_whole_chunks(tree, scene, monkeypatch):
    """The second chunk's write fails on the writer thread: the import raises it, the
    first chunk stays whole, nothing of the second (or the one decided meanwhile)."""
    stored_on_thread = mock.Mock(wraps=overlap._run)
    monkeypatch.setattr(overlap, "_run", stored_on_thread)
    fail_in_the_second_batch(scene, monkeypatch, workers=2)
    assert stored_on_thread.called == (connection.vendor == "postgresql")
    assert ScreeningTask.objects.count() == 2
