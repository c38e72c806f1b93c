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
