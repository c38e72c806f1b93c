"""The import as a pipeline: rows prepared on worker processes partitioned by identity
give the same fate, row for row, as rows prepared in the importing process."""

from django.db import transaction

from fangkong.screening import fates
from fangkong.screening.importing import Pipeline
from fangkong.screening.models import ImportRejection, PushedList, PushedRow
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


def imported(scene, workers):
    """Fates and counts of one import, rolled back afterwards."""
    with transaction.atomic():
        pushed = PushedList.objects.create(
            source=scene["telecom"], file_name="t.csv", sha256=f"t{workers}", node=scene["hq"].node
        )
        counts = Pipeline(pushed).feed(rows(), batch_size=4, workers=workers)
        out = [
            (f.row_no, f.name, f.id_masked, f.phone_masked, f.fate, f.detail, f.place, f.conflict)
            for f in fates.fates(pushed)
        ]
        transaction.set_rollback(True)
    return out, counts.as_dict()


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
