"""Prepared statements for the hot paths (issue #21 item 1): on PostgreSQL a statement
run through `execute` is sent with server-side parameters and prepared on first use, so
each pooled connection parses and plans it once; later calls send only the parameters.
The rest of the app keeps Django's client-side binding (see settings: server-side
binding for every query makes some SQL ambiguous). Other databases: Django's cursor.

The statement joins the current transaction (the same connection); database errors are
Django's, as from any cursor. Only for SQL whose parameters have unambiguous types
(compared with or assigned to columns)."""

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections

try:
    import psycopg
    from psycopg.pq import ExecStatus

    TUPLES_OK = ExecStatus.TUPLES_OK
except ImportError:  # pragma: no cover - SQLite-only installs
    psycopg = None  # type: ignore[assignment]


def execute(sql: str, params: list[Any] | tuple[Any, ...]) -> list[tuple]:
    """Run `sql` (with %s placeholders) and return its rows (RETURNING or SELECT)."""
    db = connections[DEFAULT_DB_ALIAS]  # once: each `connection.x` is a proxy lookup
    if db.vendor != "postgresql":
        with db.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall() if cur.description else []
    db.ensure_connection()
    db.validate_no_broken_transaction()
    with db.wrap_database_errors:
        with psycopg.Cursor(db.connection) as cur:
            cur.execute(sql, params, prepare=True)
            # whether rows came back, read from the result's status: `cur.description`
            # builds a Column object per column for the asking (30 for a check-in's lock)
            result = cur.pgresult
            rows = cur.fetchall() if result is not None and result.status == TUPLES_OK else []
    if db.queries_logged:
        db.queries_log.append({"sql": f"{sql} -- prepared", "time": "0.000"})
    return rows


def fields(model: Any, names: list[str]) -> list[Any]:
    """The model's concrete fields of these attribute names, in that order."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    return [by_attname[n] for n in names]


def converters(model: Any, names: list[str]) -> list[tuple[Any, list[Any]]]:
    """Per column, the converters Django applies to a value read from the database
    (the backend's and the field's: JSON, decimals, dates on SQLite …)."""
    out = []
    for f in fields(model, names):
        col = f.get_col(model._meta.db_table)
        out.append((col, connection.ops.get_db_converters(col) + f.get_db_converters(connection)))
    return out


def convert(values: Any, found: list[tuple[Any, list[Any]]]) -> list[Any]:
    """A raw row → Python values, through `converters(...)`."""
    out = []
    for value, (col, convs) in zip(values, found, strict=True):
        for conv in convs:
            value = conv(value, col, connection)
        out.append(value)
    return out


_SELECTS: dict[tuple[str, Any], tuple[str, list[str], list[tuple[Any, list[Any]]]]] = {}


def _select(model: Any) -> tuple[str, list[str], list[tuple[Any, list[Any]]]]:
    """(SELECT every concrete column FROM the table, their attribute names, converters),
    built once per model and database."""
    key = (connection.alias, model)
    if key not in _SELECTS:
        fields = model._meta.concrete_fields
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        names = [f.attname for f in fields]
        sql = f"SELECT {columns} FROM {model._meta.db_table}"  # noqa: S608
        _SELECTS[key] = (sql, names, converters(model, names))
    return _SELECTS[key]


def first(model: Any, where: str, params: list[Any], order: str = "") -> Any:
    """The first row of `model` WHERE `where` (ORDER BY `order`), as Django would load
    it (every concrete field, the fields' and backend's converters), or None: the ORM's
    `.filter(...).first()` as one prepared statement, without building the query."""
    select, names, found = _select(model)
    sql = f"{select} WHERE {where}"
    rows = execute(f"{sql} ORDER BY {order} LIMIT 1" if order else f"{sql} LIMIT 1", params)
    if not rows:
        return None
    return model.from_db(DEFAULT_DB_ALIAS, names, convert(rows[0], found))


def starts_with(column: str) -> str:
    """SQL true when `column` starts with the parameter `like_prefix(prefix)` — what the
    ORM's `__startswith` does (`restrict`'s subtree match), on PostgreSQL and SQLite."""
    return f"{column} LIKE %s ESCAPE '\\'"


def like_prefix(prefix: str) -> str:
    """The LIKE pattern of the rows starting with `prefix` (its wildcards escaped)."""
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
