"""Bulk registration: the same validation, encryption and blind index as one-by-one
registration, for imports, the demo and the city-scale benchmark.

Two writers share `prepare_values` (one `identity.parse` per row): `bulk_register` (ORM,
any database) and `copy_register` (PostgreSQL COPY of plain tuples into a staging table,
then one INSERT … ON CONFLICT DO NOTHING that lets the unique blind index refuse
already-registered IDs). Parsing, encryption and indexing run on worker processes
partitioned by identity (`core.partition`). On PostgreSQL outside a caller's transaction
with two or more workers, each worker also writes its own rows (`_write_share`: duplicates
within the file refused in row order — one person is always in one worker —, stored IDs
read, COPY, one transaction a chunk), so a row crosses between processes once, on its way
in, and the parent only reads the file and collects the report. Otherwise the parent
dedupes in row order and writes, on PostgreSQL one batch on a writer thread while it takes
in the next (`core.overlap`)."""

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, NamedTuple

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from fangkong.core import clock, crypto, overlap, partition, writing
from fangkong.people import identity, rules
from fangkong.people.actions import MASKERS
from fangkong.people.models import Person

CHUNK = 5000  # rows per chunk handed to the workers
# The text columns a row may fill, with their lengths (a longer value would fail its
# whole batch in the database: it is refused here, by row and field).
TEXT_LIMITS = {
    "name": 50,
    "address": 200,
    "registered_residence": 200,
    "occupation": 60,
    "workplace": 120,
    "tags": 200,
}


def registered() -> str:
    """The reason a row is refused whose resident ID is stored already."""
    return _("already registered")


def repeated() -> tuple[str, str]:
    """The field and reason a later row of a resident ID met earlier in the file is
    refused with."""
    return "id_number", _("duplicate within the file")


@dataclass
class BulkReport:
    accepted: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # (row, field, reason)


class Protected(NamedTuple):
    """A person's identity as stored: initials, encrypted values, blind indexes, masks."""

    name_initials: str
    id_number_enc: bytes | None
    id_number_index: str | None
    id_masked: str
    phone_enc: bytes | None
    phone_index: str | None
    phone_masked: str


def protect_identity(name: str, id_number: str, phone: str, initials: str = "") -> Protected:
    """Encrypt, index and mask a parsed identity (pure CPU: run in the workers)."""
    return Protected(
        initials or rules.pinyin_initials(name),
        crypto.encrypt(id_number, "person.id_number") if id_number else None,
        crypto.blind_index(id_number, "person.id_number") if id_number else None,
        MASKERS["id_number"](id_number) if id_number else "",
        crypto.encrypt(phone, "person.phone") if phone else None,
        crypto.blind_index(phone, "person.phone") if phone else None,
        MASKERS["phone"](phone) if phone else "",
    )


def person_row(  # noqa: PLR0913
    ident: identity.Identity,
    protected: Protected,
    node_id: int,
    path: str,
    now: dt.datetime,
    row: dict[str, Any] | None = None,
) -> tuple:
    """A new person's column values in `COPY_FIELDS` order, from a parsed, protected
    identity (the sex and birth date are the resident ID's; without one, the row's)."""
    row = row or {}
    return (
        ident.name,
        protected.name_initials,
        ident.sex if ident.resident_id else row.get("sex", "U"),
        ident.birth_date if ident.resident_id else row.get("birth_date"),
        protected.id_number_enc,
        protected.id_number_index,
        protected.id_masked,
        "",  # doc_type
        "",  # doc_masked
        protected.phone_enc,
        protected.phone_index,
        protected.phone_masked,
        row.get("address", ""),
        node_id,
        path,
        row.get("household_id"),
        row.get("registered_residence", ""),
        row.get("occupation", ""),
        row.get("workplace", ""),
        row.get("tags", ""),
        1,  # version
        now,  # created_at
        now,  # updated_at
    )


def person_values(  # noqa: PLR0913
    ident: identity.Identity,
    protected: Protected,
    node_id: int,
    node_paths: dict[int, str],
    now: dt.datetime,
    row: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """`person_row` by column name."""
    values = person_row(ident, protected, node_id, node_paths[node_id], now, row)
    return dict(zip(COPY_FIELDS, values, strict=True))


def prepare_row(
    row: dict[str, Any], node_paths: dict[int, str], today: dt.date, now: dt.datetime
) -> tuple:
    """Validate one plain row into column values in `COPY_FIELDS` order (encrypted,
    indexed, masked); raises identity.IdentityError("field: reason"). The ID and phone
    are parsed once, by `identity.parse`; the name is required and no text longer than
    its column."""
    if not (row.get("name") or "").strip():
        raise identity.IdentityError("name: " + _("the name is missing"))
    for name, limit in TEXT_LIMITS.items():
        if len(row.get(name) or "") > limit:
            raise identity.IdentityError(f"{name}: " + _("at most %d characters") % limit)
    ident = identity.parse(row["name"], row.get("id_number") or "", row.get("phone") or "", today)
    if ident.errors:
        raise identity.IdentityError("%s: %s" % ident.errors[0])
    protected = protect_identity(
        ident.name, ident.id_number, ident.phone, row.get("name_initials") or ""
    )
    node_id = row["node_id"]
    return person_row(ident, protected, node_id, node_paths[node_id], now, row)


def prepare_values(
    row: dict[str, Any], node_paths: dict[int, str], today: dt.date, now: dt.datetime
) -> dict[str, Any]:
    """`prepare_row` by column name."""
    return dict(zip(COPY_FIELDS, prepare_row(row, node_paths, today, now), strict=True))


def prepare(row: dict[str, Any], node_paths: dict[int, str], today: dt.date) -> Person:
    """An unsaved Person from a plain row (same validation as the COPY path)."""
    return Person(**prepare_values(row, node_paths, today, clock.now()))


# --- the workers' side: plain tuples in COPY_FIELDS order --------------------------------


def _start(setup: tuple[dict[int, str], dt.date, dt.datetime]) -> Any:
    return setup


def _work(
    state: tuple[dict[int, str], dt.date, dt.datetime], item: tuple[int, dict[str, Any]]
) -> tuple[int, tuple | None, tuple[str, str] | None]:
    """(row number, column values, None), or (row number, None, (field, reason))."""
    node_paths, today, now = state
    i, row = item
    try:
        values = prepare_row(row, node_paths, today, now)
    except identity.IdentityError as exc:
        name, _sep, reason = str(exc).partition(": ")
        return i, None, (name, reason)
    return i, values, None


def _repeated(values: tuple, seen: set[str]) -> bool:
    """Whether the row's resident ID was met earlier in the file (`seen`, which it then
    joins): the later rows of one ID are refused, in row order."""
    index = values[INDEX]
    if not index:
        return False
    if index in seen:
        return True
    seen.add(index)
    return False


def _chunks(rows: Iterable[dict[str, Any]], size: int = CHUNK) -> Iterator[list[tuple[str, Any]]]:
    """Chunks of (partition key, (row number, row)): one person, one worker."""
    numbered = enumerate(rows, start=1)
    while chunk := list(islice(numbered, size)):
        yield [
            (identity.partition_key(r.get("id_number") or "", r.get("phone") or ""), (i, r))
            for i, r in chunk
        ]


def _prepared(
    rows: Iterable[dict[str, Any]],
    node_paths: dict[int, str],
    report: BulkReport,
    workers: int = 1,
) -> Iterator[tuple[int, tuple]]:
    """Validated column tuples (COPY_FIELDS order) with their row numbers, in row order;
    rejects go to the report. Preparing runs on `workers` processes partitioned by
    identity; duplicates within the file are refused here, in row order."""
    setup = (node_paths, clock.today(), clock.now())
    seen: set[str] = set()
    with partition.Partitioned(_start, _work, setup, workers) as pool:
        for results in pool.map(_chunks(rows)):
            for i, values, error in results:
                if values is None or _repeated(values, seen):
                    report.rejected.append((i, *(error or repeated())))
                    continue
                yield i, values


def bulk_register(
    rows: Iterable[dict[str, Any]],
    node_paths: dict[int, str],
    batch_size: int = 2000,
    workers: int = 1,
) -> BulkReport:
    """Validate and insert; rejected rows are reported with field and reason, the
    rest are kept. Duplicates of a stored resident ID are rejected, not merged."""
    report = BulkReport()
    batch: list[tuple[int, Person]] = []

    def flush() -> None:
        indexes = {p.id_number_index for _, p in batch if p.id_number_index}
        for attempt in (1, 2):
            taken = _taken(indexes)
            fresh = [p for _i, p in batch if p.id_number_index not in taken]
            try:
                with transaction.atomic():
                    Person.objects.bulk_create(fresh, batch_size=batch_size)
                break
            except IntegrityError:  # registered elsewhere since the read: read again
                if attempt == 2:
                    raise
        report.rejected.extend(
            (i, "id_number", registered()) for i, p in batch if p.id_number_index in taken
        )
        report.accepted += len(fresh)
        batch.clear()

    for i, values in _prepared(rows, node_paths, report, workers):
        batch.append((i, Person(**dict(zip(COPY_FIELDS, values, strict=True)))))
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return report


COPY_FIELDS = (
    "name",
    "name_initials",
    "sex",
    "birth_date",
    "id_number_enc",
    "id_number_index",
    "id_masked",
    "doc_type",
    "doc_masked",
    "phone_enc",
    "phone_index",
    "phone_masked",
    "address",
    "node_id",
    "path",
    "household_id",
    "registered_residence",
    "occupation",
    "workplace",
    "tags",
    "version",
    "created_at",
    "updated_at",
)
INDEX = COPY_FIELDS.index("id_number_index")


def copy_register(
    rows: Iterable[dict[str, Any]],
    node_paths: dict[int, str],
    batch_size: int = 50_000,
    workers: int | None = None,
) -> BulkReport:
    """The fast path for city-scale loads (same `prepare_values`), on
    `workers` processes (default: the FANGKONG_IMPORT_WORKERS setting); PostgreSQL COPY
    of plain tuples, other databases through `bulk_register`."""
    workers = partition.worker_count() if workers is None else workers
    if connection.vendor != "postgresql":
        return bulk_register(rows, node_paths, workers=workers)
    if workers > 1 and overlap.may_overlap():
        return _written_by_workers(rows, node_paths, batch_size, workers)
    report = BulkReport()
    batch: list[tuple[int, tuple]] = []

    def stored(size: int) -> Callable[[list[int]], None]:
        def count(refused: list[int]) -> None:
            report.rejected.extend((i, "id_number", registered()) for i in refused)
            report.accepted += size - len(refused)

        return count

    # Overlapped (`core.overlap`): one batch is written while the workers' next rows are
    # taken in, so the preparing cores do not wait for PostgreSQL.
    with overlap.Writer() as writer:
        for item in _prepared(rows, node_paths, report, workers):
            batch.append(item)
            if len(batch) >= batch_size:
                writer.submit(_copy_batch, batch, then=stored(len(batch)))
                batch = []
        if batch:
            writer.submit(_copy_batch, batch, then=stored(len(batch)))
    report.rejected.sort(key=lambda r: r[0])  # by row, as the file has them
    return report


# --- the workers write: PostgreSQL, outside a caller's transaction ------------------------

WRITTEN_CHUNK = 20_000  # rows a chunk; each worker writes its share in one transaction


@dataclass
class _Writing:
    node_paths: dict[int, str]
    today: dt.date
    now: dt.datetime
    seen: set[str] = field(default_factory=set)  # this worker's resident IDs so far
    read_first: bool = False  # once a chunk met a stored ID, read them before each COPY


def _start_writing(setup: tuple[dict[int, str], dt.date, dt.datetime]) -> _Writing:
    return _Writing(*setup)


def _write_share(
    state: _Writing, items: list[tuple[int, dict[str, Any]]]
) -> list[tuple[int, str, str] | None]:
    """A worker's share of a chunk, prepared and written: for each row, None when it was
    stored, else (row number, field, reason). Every row of one person is in this worker,
    so the duplicates within the file it refuses are the ones row order gives."""
    results: list[tuple[int, str, str] | None] = [None] * len(items)
    fresh: list[tuple[int, tuple]] = []
    setup = (state.node_paths, state.today, state.now)
    for position, item in enumerate(items):
        i, values, error = _work(setup, item)
        if values is None or _repeated(values, state.seen):
            results[position] = (i, *(error or repeated()))
            continue
        fresh.append((position, values))
    refused = _copy_batch(fresh, read_first=state.read_first) if fresh else []
    for position in refused:
        results[position] = (items[position][0], "id_number", registered())
    state.read_first = state.read_first or bool(refused)
    return results


def _written_by_workers(
    rows: Iterable[dict[str, Any]], node_paths: dict[int, str], batch_size: int, workers: int
) -> BulkReport:
    report = BulkReport()
    setup = (node_paths, clock.today(), clock.now())
    chunks = _chunks(rows, min(batch_size, WRITTEN_CHUNK))
    with partition.Partitioned(
        _start_writing, _write_share, setup, workers, per_chunk=True
    ) as pool:
        for results in pool.map(chunks):
            for result in results:
                if result is None:
                    report.accepted += 1
                else:
                    report.rejected.append(result)
    return report


@transaction.atomic
def _copy_batch(batch: list[tuple[int, tuple]], read_first: bool = True) -> list[int]:
    """Write a batch; the row numbers whose resident ID is registered already. The IDs
    stored are read first and the other rows COPYed straight into the table; should a
    writer elsewhere register one of them meanwhile (the unique blind index refuses the
    COPY), the batch goes through a stage and one INSERT … ON CONFLICT instead, which
    lets the database refuse row by row. Without `read_first` (a load that has met no
    stored ID so far: a new registry, or new people) the COPY is tried at once and the
    stage is the way back when it meets one."""
    taken = _taken({v[INDEX] for _i, v in batch if v[INDEX]}) if read_first else set()
    refused = [i for i, v in batch if v[INDEX] in taken]
    fresh = [v for _i, v in batch if v[INDEX] not in taken] if taken else [v for _i, v in batch]
    try:
        with transaction.atomic():
            writing.copy(Person, COPY_FIELDS, fresh)
    except IntegrityError:
        inserted = _staged(fresh)
        refused += [i for i, v in batch if v[INDEX] and v[INDEX] not in taken | inserted]
    return refused


def _taken(indexes: set[str]) -> set[str]:
    """The blind indexes among `indexes` of resident IDs registered already."""
    stored = Person.objects.filter(id_number_index__any=indexes, merged_into__isnull=True)
    return {i for i in stored.values_list("id_number_index", flat=True) if i}


def _staged(rows: list[tuple]) -> set[str]:
    """The rows through a stage and one INSERT … ON CONFLICT on the unique blind index:
    the blind indexes inserted."""
    cols = ", ".join(COPY_FIELDS)
    with connection.cursor() as cur:
        cur.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS person_stage ON COMMIT DELETE ROWS "
            f"AS SELECT {cols} FROM people_person WITH NO DATA"
        )
        with cur.cursor.copy(f"COPY person_stage ({cols}) FROM STDIN") as out:
            for values in rows:
                out.write_row(values)
        cur.execute(
            f"INSERT INTO people_person ({cols}) SELECT {cols} FROM person_stage "
            "ON CONFLICT (id_number_index) WHERE merged_into_id IS NULL "
            "AND id_number_index IS NOT NULL DO NOTHING RETURNING id_number_index"
        )
        return {r[0] for r in cur.fetchall()}
