"""One way a changed fact about a person reaches every figure (issue #15).

A writer of a person-level fact (a check-in, an arrival, a screening outcome, the start or
end of an observation period, a case classification, a contact's status, a code override)
calls `changed(FACT, person_ids)` in its transaction, raw-SQL fast paths included. The
consumers (health code, contact tracing, …) register in their `AppConfig.ready` and
declare how they run:

- `INLINE`: called at once, inside the writer's transaction (a failure undoes the write;
  the new state is visible the moment the write commits — e.g. the health code);
- `TASK`: after the commit, ONE background task (Django's tasks API, `django-tasks-db`
  in production) runs every TASK consumer of the change.

A consumer may say which changes it needs (`wants(fact, detail)`); one that does not
want a change is not called, and no task is enqueued when no TASK consumer wants it.
The busiest writer, the check-in, marks a normal reading of today that changed no
status `routine=True`: no stored figure but the person's own code can follow from it.
An INLINE consumer runs first and may clear the mark when it derived a change others
show (the health code sets `detail["routine"] = False` when the colour changed); the
briefing wants no routine reading (issue #21: no background task per check-in).

`core` never imports the domain apps: they come to the registry. No save signal carries
a domain fact any more.

The other direction has a registry too: a reader of many persons' facts (the health
code's colour rules) asks every registered `Source` to add what it knows
(`register_source`, `sources()`), so an app that holds facts of its own (self-service
declarations) joins the reading without the reader importing it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

# The person-level facts (what changed, in the words of the writer).
CHECKIN = "checkin"  # a temperature / symptom report (observation or resident self-report)
ARRIVAL = "arrival"  # arrival from a risk area (recorded, or named on a pushed list)
SCREENING = "screening"  # a screening outcome (cleared, observation, referral)
OBSERVATION = "observation"  # an observation period started, moved, referred or ended
CASE = "case"  # a case opened, classified (confirmed, asymptomatic, …) or closed
CONTACT = "contact"  # a contact recorded, confirmed, dismissed or became a case
OVERRIDE = "override"  # headquarters set or ended a colour by hand

FACTS = (CHECKIN, ARRIVAL, SCREENING, OBSERVATION, CASE, CONTACT, OVERRIDE)

INLINE = "inline"
TASK = "task"

Handler = Callable[[str, list[int], dict[str, Any]], None]


Wants = Callable[[str, dict[str, Any]], bool]


@dataclass(frozen=True)
class Consumer:
    name: str
    handler: Handler
    facts: frozenset[str]
    mode: str
    wants: Wants | None = None


_consumers: dict[str, Consumer] = {}


def register(
    name: str,
    handler: Handler,
    *,
    facts: Iterable[str] = FACTS,
    mode: str = INLINE,
    wants: Wants | None = None,
) -> None:
    """A consumer of facts: `handler(fact, person_ids, detail)`, called only for the
    changes `wants(fact, detail)` accepts (all when None). Registering the same name
    again replaces it (AppConfig.ready may run twice in tests)."""
    wanted = frozenset(facts)
    unknown = wanted - set(FACTS)
    if unknown:
        raise ValueError(f"unknown fact(s): {', '.join(sorted(unknown))}")
    if mode not in (INLINE, TASK):
        raise ValueError(f"mode must be {INLINE!r} or {TASK!r}")
    _consumers[name] = Consumer(name, handler, wanted, mode, wants)


def unregister(name: str) -> None:
    _consumers.pop(name, None)


def consumers(fact: str | None = None) -> list[Consumer]:
    found = list(_consumers.values())
    return [c for c in found if fact is None or fact in c.facts]


def changed(fact: str, person_ids: Iterable[int | None], **detail: Any) -> None:
    """A fact about these persons changed: INLINE consumers now, TASK consumers in one
    background task after the commit. `detail` is plain JSON-able data for the consumer
    (e.g. the case id)."""
    if fact not in FACTS:
        raise ValueError(f"unknown fact: {fact}")
    ids = sorted({int(p) for p in person_ids if p})
    if not ids and not detail:
        return
    found = consumers(fact)
    for c in found:  # INLINE first: one may clear the writer's `routine` mark
        if c.mode == INLINE and (c.wants is None or c.wants(fact, detail)):
            c.handler(fact, ids, detail)
    later = [c.name for c in found if c.mode == TASK and (c.wants is None or c.wants(fact, detail))]
    if later:
        from fangkong.core.tasks import deliver_facts

        transaction.on_commit(lambda: deliver_facts.enqueue(fact, ids, detail, later))


def deliver(fact: str, person_ids: list[int], detail: dict[str, Any], names: list[str]) -> None:
    """Run the named TASK consumers (the body of the background task)."""
    for name in names:
        c = _consumers.get(name)
        if c is not None:
            c.handler(fact, person_ids, detail)


# ----------------------------------------------------------------------------------------
# Sources: apps that add their own facts to a reader of many persons' facts.

# add(person_filter, since, of): `person_filter` is the ORM filter on `person_id` for the
# persons read (e.g. {"person_id__in": [...]}), `since` the first day looked at, `of(pid)`
# the reader's record of one person (the reader defines its fields).
Adder = Callable[[dict[str, Any], Any, Callable[[int], Any]], None]
# persons(since): the ids of everyone this source holds a fact about since that day.
Persons = Callable[[Any], set[int]]


@dataclass(frozen=True)
class Source:
    name: str
    add: Adder
    persons: Persons


_sources: dict[str, Source] = {}


def register_source(name: str, add: Adder, persons: Persons) -> None:
    """A source of facts, registered from its app's `AppConfig.ready`. Registering the
    same name again replaces it."""
    _sources[name] = Source(name, add, persons)


def unregister_source(name: str) -> None:
    _sources.pop(name, None)


def sources() -> list[Source]:
    return list(_sources.values())


def later(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    """The later of two days either of which may be None (None when both are): a reader
    and its sources keep the latest day of each fact of a person."""
    return max(d for d in (a, b) if d) if (a or b) else None
