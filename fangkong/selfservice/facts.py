"""What declarations add to the facts the colour rules read (a source registered in
`core.facts` from this app's AppConfig.ready, read by healthcode.facts): a stay in an area that was a risk area on the day the person left it
counts as an arrival from that area on that day (the risk-area list in force on the
arrival date); declared symptoms as an abnormal report on the day declared; a declared
contact with a case as a possible contact on its day. Declarations only ever add."""

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

from fangkong.core.facts import later

_skip: ContextVar[bool] = ContextVar("selfservice_skip_declared", default=False)


@contextlib.contextmanager
def stored_only() -> Iterator[None]:
    """Read the stored facts without the declarations (to find contradictions)."""
    token = _skip.set(True)
    try:
        yield
    finally:
        _skip.reset(token)


def add_declared(filter_kwargs: dict, since: dt.date, of: Callable[[int], Any]) -> None:
    if _skip.get():
        return
    from fangkong.riskareas.rules import level_on
    from fangkong.selfservice.models import Declaration

    rows = Declaration.objects.filter(**filter_kwargs, day__gte=since).values_list(
        "person_id", "day", "stays", "symptoms", "case_contact", "case_contact_on"
    )
    for pid, day, stays, symptoms, contact, contact_on in rows:
        f = of(pid)
        for stay in stays or []:
            try:
                left = dt.date.fromisoformat(stay["left_on"])
            except (KeyError, TypeError, ValueError):
                continue
            level = level_on(stay.get("code", ""), left)
            if level == "high":
                f.high_risk_arrival = later(f.high_risk_arrival, left)
            elif level == "medium":
                f.medium_risk_arrival = later(f.medium_risk_arrival, left)
        if symptoms:
            f.abnormal_on = later(f.abnormal_on, day)
        if contact:
            f.possible_contact_on = later(f.possible_contact_on, contact_on or day)


def declared_persons(since: dt.date) -> set[int]:
    from fangkong.selfservice.models import Declaration

    return set(Declaration.objects.filter(day__gte=since).values_list("person_id", flat=True))
