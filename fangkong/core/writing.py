"""Plain tuples into a model's table (issue #21: imports and bulk loads at the machine's
speed; the screening import and the person bulk load write through it).

A `Table` collects the rows of one model as tuples in the caller's column order; every
other column takes its field default, evaluated once per table (the only callable
defaults of the import's models are the clock's `now`, and the import passes its own
time anyway). Primary keys are drawn before the write (`Ids`), so a row can name the
row it refers to — a subject its person, a task its subject — before either is written.

On PostgreSQL the ids come from the table's sequence and the rows go in by COPY — in
binary, with the columns' types given (a quarter of the client's CPU of text COPY, which
finds a dumper for every value), when every value has the Python type of its column
(`_binary`); otherwise as text, psycopg adapting each value as a query would. On
other databases (SQLite: one writer at a time, and the import writes inside one
transaction) the ids follow the table's largest and the rows go in by `bulk_create`.
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import connection, models

BLOCK = 1000  # ids drawn from a sequence per round trip, at most
SEQUENCES: dict[str, str] = {}  # table → its primary key's sequence (PostgreSQL)
COLUMN_TYPES: dict[str, dict[str, int]] = {}  # table → {column: type oid} (PostgreSQL)
NONE = type(None)
# Binary COPY: the type oids written so, each with the Python type its values must have
# (exactly; a text column's may be a subclass, as choices are; None is NULL): the values
# text COPY would have stored the same.
BINARY: dict[int, type] = {
    16: bool,  # boolean
    17: bytes,  # bytea
    20: int,  # bigint
    21: int,  # smallint
    23: int,  # integer
    25: str,  # text
    1043: str,  # varchar
    1082: dt.date,  # date
    1184: dt.datetime,  # timestamp with time zone (aware values only)
}


class Ids:
    """Primary keys for rows of `model` about to be written in this transaction."""

    def __init__(self, model: type[models.Model], expected: int = BLOCK):
        meta = model._meta
        assert meta.pk is not None
        self.table, self.column = meta.db_table, str(meta.pk.column)
        self.block = max(1, min(expected, BLOCK))
        self.drawn: list[int] = []
        self.sequence = connection.vendor == "postgresql"
        self.next = 0  # other databases: the next id to hand out (0: not read yet)

    def take(self) -> int:
        if not self.sequence:
            if not self.next:
                self.next = self._largest() + 1
            self.next += 1
            return self.next - 1
        if not self.drawn:
            with connection.cursor() as cur:
                if self.table not in SEQUENCES:
                    cur.execute("SELECT pg_get_serial_sequence(%s, %s)", [self.table, self.column])
                    SEQUENCES[self.table] = cur.fetchone()[0]
                # The sequence named once, not per id: `pg_get_serial_sequence` inside the
                # series looks the table up again for every id (3.5 of its 4 µs).
                cur.execute(
                    "SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
                    [SEQUENCES[self.table], self.block],
                )
                self.drawn = [r[0] for r in reversed(cur.fetchall())]
        return self.drawn.pop()

    def _largest(self) -> int:
        quote = connection.ops.quote_name
        with connection.cursor() as cur:
            cur.execute(f"SELECT MAX({quote(self.column)}) FROM {quote(self.table)}")
            largest = cur.fetchone()[0] or 0
            if connection.vendor == "sqlite":  # AUTOINCREMENT never hands out an id twice
                cur.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
                seq = cur.fetchone()
                largest = max(largest, seq[0] if seq else 0)
        return int(largest)


def _default(field: models.Field) -> Any:
    if field.has_default():
        if callable(field.default) and field.unique:
            raise ValueError(f"{field} has a per-row default: name it as a column")
        return field.get_default()
    return None if field.null else field.get_default()


class Table:
    """Rows of one model as plain tuples: `add(values)` takes the values of `columns`
    (attnames, in that order), draws the row's id and returns it; `write()` stores all."""

    def __init__(self, model: type[models.Model], columns: Sequence[str], expected: int = BLOCK):
        meta = model._meta
        assert meta.pk is not None
        named = set(columns)
        known = {f.attname for f in meta.concrete_fields}
        if named - known:
            raise ValueError(f"{model.__name__} has no columns {sorted(named - known)}")
        rest = [f for f in meta.concrete_fields if f.attname not in named and not f.primary_key]
        self.model = model
        self.columns = (meta.pk.attname, *columns, *(f.attname for f in rest))
        self.tail = tuple(_default(f) for f in rest)
        self.ids = Ids(model, expected)
        self.rows: list[tuple] = []

    def add(self, values: tuple) -> int:
        pk = self.ids.take()
        self.rows.append((pk, *values, *self.tail))
        return pk

    def __len__(self) -> int:
        return len(self.rows)

    def write(self) -> None:
        copy(self.model, self.columns, self.rows)
        self.rows = []


def copy(model: type[models.Model], columns: Sequence[str], rows: Sequence[tuple]) -> None:
    """Insert `rows` (tuples of the `columns` attnames; without the primary key among
    them the table's sequence gives it)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(  # type: ignore[attr-defined]
            [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=2000
        )
        return
    meta = model._meta
    by_attname = {f.attname: str(f.column) for f in meta.concrete_fields}
    quote = connection.ops.quote_name
    names = ", ".join(quote(by_attname[c]) for c in columns)
    # Django's IntegrityError, as from a query.
    with connection.cursor() as cur, connection.wrap_database_errors:
        oids = _binary(cur, meta.db_table, [by_attname[c] for c in columns], rows)
        table = quote(meta.db_table)
        binary = " (FORMAT BINARY)" if oids else ""
        with cur.cursor.copy(f"COPY {table} ({names}) FROM STDIN{binary}") as out:
            if oids:
                out.set_types(oids)
            for row in rows:
                out.write_row(row)


def _binary(cur: Any, table: str, columns: list[str], rows: Sequence[tuple]) -> list[int]:
    """The columns' type oids when every value can go in binary, else [] (text COPY)."""
    if table not in COLUMN_TYPES:
        cur.execute(
            "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass "
            "AND attnum > 0 AND NOT attisdropped",
            [connection.ops.quote_name(table)],
        )
        COLUMN_TYPES[table] = {name: int(oid) for name, oid in cur.fetchall()}
    return binary_oids([COLUMN_TYPES[table].get(c, 0) for c in columns], rows)


def binary_oids(oids: list[int], rows: Sequence[tuple]) -> list[int]:
    """`oids` when every column's values can go in binary (`BINARY`: the type of the
    column's, or None; aware times), else []. A column's values are checked as the set
    of their types, not one by one."""
    for oid, values in zip(oids, zip(*rows, strict=True), strict=True):
        wanted = BINARY.get(oid)
        if wanted is None:
            return []
        kinds = set(map(type, values))
        kinds.discard(NONE)
        if any(k is not wanted and not (wanted is str and issubclass(k, str)) for k in kinds):
            return []
        # A list's rows share a few times (the import's own, the arrivals): each once.
        if oid == 1184 and any(v.tzinfo is None for v in set(values) - {None}):
            return []
    return oids
