"""Fast inserts for the import pipeline: PostgreSQL COPY with ids drawn from the
table's sequence beforehand (so the rows can be referenced at once); other databases
use bulk_create."""

from collections.abc import Sequence

from django.db import connection, models
from django.db.models.base import ModelState


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


_plans: dict[type, tuple[list[tuple[str, object, bool]], dict[str, str]]] = {}


def _plan(model: type[models.Model]) -> tuple[list[tuple[str, object, bool]], dict[str, str]]:
    """Per model: (attname, default, default is callable) and {relation name: attname}."""
    if model not in _plans:
        defaults = []
        relations = {}
        for f in model._meta.concrete_fields:
            if f.has_default():
                callable_default = callable(f.default)
                defaults.append(
                    (
                        f.attname,
                        f.default if callable_default else f.get_default(),
                        callable_default,
                    )
                )
            else:
                defaults.append(
                    (f.attname, None if f.null or f.primary_key else f.get_default(), False)
                )
            if f.is_relation:
                relations[f.name] = f.attname
        _plans[model] = (defaults, relations)
    return _plans[model]


def build[M: models.Model](model: type[M], **values: object) -> M:
    """An unsaved instance without Model.__init__ (the import makes millions): field
    defaults, then `values`; a related instance given by name is cached so that `insert`
    (or bulk_create) takes its pk once it has one."""
    defaults, relations = _plan(model)
    obj = model.__new__(model)
    state = ModelState()
    obj._state = state
    data = obj.__dict__
    for attname, default, is_callable in defaults:
        data[attname] = default() if is_callable else default  # type: ignore[operator]
    for key, value in values.items():
        relation = relations.get(key)
        if relation is not None and isinstance(value, models.Model):
            state.fields_cache[key] = value
            data[relation] = value.pk
        else:
            data[key] = value
    return obj
