"""The pure-CPU half of a list import, run on worker processes partitioned by identity
(`core.partition`): one mapped row → its `Prepared` value — the row cleaned (the
resident ID parsed once, by `people.identity`) or the field and reason it was refused,
its fingerprint, the person's identity encrypted, indexed and masked (used when the
person is registered, the indexes for finding them), and the address matched to a
village or grid — from the file's cells, mapped to our fields here. No database: the parent reads the address book once and hands it over,
and writes everything. A prepared row travels to the parent as its flat values
(`work_flat` → `unflat`): a chunk of plain tuples pickles and unpickles in C, without a
Python call per object on either side."""

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.utils import timezone

from fangkong.people import bulk
from fangkong.screening import reading, rules
from fangkong.screening.matching import AddressMatcher, Result


class Prepared(NamedTuple):
    row_no: int
    raw_name: str
    row: rules.CleanRow | None = None
    error: tuple[str, str] | None = None  # (field, reason) of a refused row
    digest: str = ""
    protected: bulk.Protected | None = None
    match: Result | None = None

    def __reduce__(self) -> tuple[Any, tuple]:
        """Pickled flat: a prepared row crosses from a worker to the parent, and nested
        objects (the row, its identity, the match) cost several times their values."""
        row, protected, match = self.row, self.protected, self.match
        if row is None or protected is None or match is None:
            return (Prepared, tuple(self))
        rebuild, args = row.__reduce__()
        if rebuild is not rules.rebuild_row:
            return (Prepared, tuple(self))
        found = (match.node_id, match.kind, match.queue_id, match.candidates, match.village_id)
        return (
            _prepared,
            (self.row_no, self.raw_name, self.digest, *args, tuple(protected), found),
        )


def _prepared(  # noqa: PLR0913
    row_no: int,
    raw_name: str,
    digest: str,
    values: tuple,
    with_id: bool,
    protected: tuple,
    found: tuple,
) -> Prepared:
    return Prepared(
        row_no,
        raw_name,
        rules.rebuild_row(values, with_id),
        None,
        digest,
        bulk.Protected._make(protected),
        Result(*found),
    )


def flat(prepared: Prepared) -> tuple | Prepared:
    """A prepared row for the trip to the parent: the flat values of
    `Prepared.__reduce__` (plain data), or the row itself when it does not flatten."""
    rebuild, args = prepared.__reduce__()
    return args if rebuild is _prepared else prepared


def unflat(sent: tuple | Prepared) -> Prepared:
    """A prepared row from what `flat` sent."""
    return sent if isinstance(sent, Prepared) else _prepared(*sent)


@dataclass
class State:
    source_id: int
    today: dt.date
    matcher: AddressMatcher
    mapping: dict[str, int] | None = None  # {field: column} of a file's cells
    zone: dt.tzinfo | None = None  # the current time zone, read once


def start(setup: tuple[int, dt.date, Any, dict[str, int] | None]) -> State:
    """The worker's state: the matcher given, or built from the data it was built from."""
    source_id, today, matcher, mapping = setup
    if not isinstance(matcher, AddressMatcher):
        matcher = AddressMatcher(*matcher)
    return State(source_id, today, matcher, mapping, timezone.get_current_timezone())


def work(state: State, item: tuple[int, dict[str, str] | list[Any]]) -> Prepared:
    """A row given as {field: text}, or as a file's cells mapped here by the file's
    column mapping (the reading process only splits the file into rows)."""
    row_no, given = item
    if isinstance(given, dict):
        raw = given
    else:
        assert state.mapping is not None
        raw = reading.map_cells(given, state.mapping)
    try:
        row = rules.clean_row(raw, state.today, state.zone)
    except rules.RowError as exc:
        return Prepared(row_no, raw.get("name", "")[:50], error=(exc.field, exc.reason[:200]))
    return Prepared(
        row_no,
        row.name,
        row,
        None,
        rules.row_fingerprint(state.source_id, row),
        bulk.protect_identity(row.name, row.id_number, row.phone),
        state.matcher.match(row.address),
    )


def work_flat(state: State, item: tuple[int, dict[str, str] | list[Any]]) -> tuple | Prepared:
    """`work` on a worker process, its result `flat` for the trip to the parent."""
    return flat(work(state, item))
