"""Prepared statements for the hot paths (issue #21 item 1): on PostgreSQL a statement
run through `execute` is sent with server-side parameters and prepared on first use, so
each pooled connection parses and plans it once; later calls send only the parameters.
The rest of the app keeps Django's client-side binding (see settings: server-side
binding for every query makes some SQL ambiguous). Other databases: Django's cursor.

The statement joins the current transaction (the same connection); database errors are
Django's, as from any cursor. Only for SQL whose parameters have unambiguous types
(compared with or assigned to columns)."""

from typing import Any

from django.db import connection


def execute(sql: str, params: list[Any] | tuple[Any, ...]) -> list[tuple]:
    """Run `sql` (with %s placeholders) and return its rows (RETURNING or SELECT)."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall() if cur.description else []
    import psycopg

    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors:
        with psycopg.Cursor(connection.connection) as cur:
            cur.execute(sql, params, prepare=True)
            rows = cur.fetchall() if cur.description else []
    if connection.queries_logged:
        connection.queries_log.append({"sql": f"{sql} -- prepared", "time": "0.000"})
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
