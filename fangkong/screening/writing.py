"""Fast inserts for the import pipeline: PostgreSQL COPY with ids drawn from the
table's sequence beforehand (so the rows can be referenced at once); other databases
use bulk_create."""

from collections.abc import Sequence

from django.db import connection, models


def insert(objs: Sequence[models.Model], batch_size: int = 5000) -> None:
    """Insert unsaved model instances of one model; afterwards each has its pk."""
    if not objs:
        return
    model = type(objs[0])
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=batch_size)  # type: ignore[attr-defined]
        return
    meta = model._meta
    table = meta.db_table
    pk = meta.pk
    assert pk is not None
    fresh = [o for o in objs if o.pk is None]
    with connection.cursor() as cur:
        if fresh:
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk.column, len(fresh)],
            )
            for obj, (new_id,) in zip(fresh, cur.fetchall(), strict=True):
                obj.pk = new_id
        fields = [f for f in meta.concrete_fields]
        for obj in objs:
            for f in fields:
                if f.is_relation and getattr(obj, f.attname) is None:
                    related = f.get_cached_value(obj, None) if f.is_cached(obj) else None  # type: ignore[attr-defined]
                    if related is not None:
                        setattr(obj, f.attname, related.pk)
            obj._state.adding = False
            obj._state.db = "default"
        columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
        with cur.cursor.copy(
            f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN"
        ) as copy:
            for obj in objs:
                copy.write_row([getattr(obj, f.attname) for f in fields])
