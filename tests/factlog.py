"""Record what reaches the facts registry (issue #15): `with told() as log:` runs a
writer with `core.facts.changed` wrapped, then `log` holds (fact, person ids) pairs."""

import contextlib
from collections.abc import Iterator
from unittest import mock

from fangkong.core import facts


@contextlib.contextmanager
def told() -> Iterator[list[tuple[str, list[int]]]]:
    log: list[tuple[str, list[int]]] = []
    real = facts.changed

    def spy(fact, person_ids, **detail):  # type: ignore[no-untyped-def]
        ids = [p for p in person_ids if p]
        log.append((fact, ids))
        return real(fact, ids, **detail)

    with mock.patch.object(facts, "changed", spy):
        yield log
