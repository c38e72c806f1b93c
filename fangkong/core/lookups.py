"""`field__any=values`: membership in a list passed as ONE array parameter on PostgreSQL.

`field__in=[...]` spells one placeholder per value, so a chunk of 5,000 keys is a
statement of 5,000 binds that PostgreSQL parses and plans anew for every length. The bulk
paths (list import, person bulk load, batch scans) ask "which of these keys exist" for
whole chunks; `= ANY(%s)` sends the chunk as one array: one bind, one statement shape —
for integers and for texts without commas as one comma-separated text split by the server
(`= ANY(string_to_array(%s, ','))`). Given as a set, the keys are not walked one by one by
Django's query builder either (it resolves each item of a list or tuple as a possible
expression). On other databases the lookup is `IN (...)` exactly as `__in` is.

Django prepares every value of an `IN` list on its own (`get_prep_value`, then
`get_db_prep_value`, each behind a few `hasattr` checks): about 3 µs a value, a tenth of
an imported row's cost in the parent (issue #21). For a text or integer column given plain
`str` or `int` values those steps return the value unchanged, so the array takes them as
they are; anything else (expressions, other types, other fields) is prepared as `__in`
prepares it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, ForeignObject
from django.db.models.lookups import In
from django.utils.datastructures import OrderedSet

# Columns whose preparation returns a value of this exact type unchanged.
PLAIN: dict[str, type] = {
    "CharField": str,
    "TextField": str,
    "SlugField": str,
    "AutoField": int,
    "BigAutoField": int,
    "SmallAutoField": int,
    "IntegerField": int,
    "BigIntegerField": int,
    "SmallIntegerField": int,
}


def _plain_type(field: Any) -> type | None:
    """The value type `field` keeps as it is (a relation: its target's), else None."""
    while field is not None and getattr(field, "remote_field", None) is not None:
        field = getattr(field, "target_field", None)
    if field is None:
        return None
    return PLAIN.get(field.get_internal_type())


@ForeignObject.register_lookup  # `person_id__any=[pks]`: relations keep their own table
@Field.register_lookup
class AnyOf(In):
    lookup_name = "any"
    plain = False  # the values are the column's own type: no per-value preparation

    def get_prep_lookup(self) -> Any:
        if isinstance(self.rhs, list | tuple | set | frozenset):
            kind = _plain_type(getattr(self.lhs, "output_field", None))
            if kind is not None and set(map(type, self.rhs)) <= {kind}:
                self.plain = True
                return list(self.rhs)
        return super().get_prep_lookup()

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        if not self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if self.plain:
            values = list(dict.fromkeys(self.rhs))
            if not values:
                raise EmptyResultSet
            joined = _joined(values)
            if joined is not None:
                cast = "::bigint[]" if type(values[0]) is int else ""
                return f"{lhs} = ANY(string_to_array(%s, ','){cast})", [*lhs_params, joined]
            return f"{lhs} = ANY(%s)", [*lhs_params, values]
        unique = OrderedSet(self.rhs)
        unique.discard(None)
        if not unique:
            raise EmptyResultSet
        _, params = self.batch_process_rhs(compiler, connection, unique)
        return f"{lhs} = ANY(%s)", [*lhs_params, list(params)]


def _joined(values: list[Any]) -> str | None:
    """The values as one comma-separated text, when that says the same: integers, or
    texts none of which holds a comma or is empty (`string_to_array` gives them back).
    One text parameter instead of an array costs the driver one value, not one per key
    (a blind index, a row fingerprint, an id: 2–3 µs a key in psycopg's list dumper)."""
    if type(values[0]) is int:
        return ",".join(map(str, values))
    joined = ",".join(values)
    if joined.count(",") != len(values) - 1 or "" in values:
        return None
    return joined
