"""`field__any=values`: membership in a list passed as ONE array parameter on PostgreSQL.

`field__in=[...]` spells one placeholder per value, so a chunk of 5,000 keys is a
statement of 5,000 binds that PostgreSQL parses and plans anew for every length. The bulk
paths (list import, person bulk load, batch scans) ask "which of these keys exist" for
whole chunks; `= ANY(%s)` sends the chunk as one array: one bind, one statement shape. On
other databases the lookup is `IN (...)` exactly as `__in` is."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, ForeignObject
from django.db.models.lookups import In
from django.utils.datastructures import OrderedSet


@ForeignObject.register_lookup  # `person_id__any=[pks]`: relations keep their own table
@Field.register_lookup
class AnyOf(In):
    lookup_name = "any"

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        if not self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        values = OrderedSet(self.rhs)
        values.discard(None)
        if not values:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        _, params = self.batch_process_rhs(compiler, connection, values)
        return f"{lhs} = ANY(%s)", [*lhs_params, list(params)]
