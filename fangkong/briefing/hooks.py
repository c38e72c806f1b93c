"""Home card and demo step of the briefing app."""

import datetime as dt

from django.utils.translation import gettext_lazy as _


def demo_step(seed: int) -> str:
    """Briefings of the city and its counties for each of the last days of the outbreak
    (from the first confirmed case, at most 21 days). Idempotent: days already briefed
    are kept, except today's, recomputed from today's data (a second run is never stale)."""
    from fangkong.briefing.compute import compute, cutoff_for
    from fangkong.briefing.models import Briefing
    from fangkong.core import clock
    from fangkong.geo.models import Division

    today = clock.today()
    first = today - dt.timedelta(days=6)
    from django.apps import apps

    if apps.is_installed("fangkong.clinical"):
        from django.utils import timezone

        from fangkong.clinical.models import Case

        earliest = Case.objects.filter(confirmed_at__isnull=False).order_by("confirmed_at").first()
        if earliest is not None and earliest.confirmed_at is not None:
            first = min(first, timezone.localdate(earliest.confirmed_at))
    first = max(first, today - dt.timedelta(days=20))
    nodes = list(Division.objects.filter(level__in=["city", "county"]).order_by("path"))
    made = 0
    day = first
    while day <= today:
        if clock.now() >= cutoff_for(day):
            for node in nodes:
                done = Briefing.objects.filter(node=node, day=day, status="done").exists()
                if day == today or not done:
                    compute(node, day)
                    made += 1
        day += dt.timedelta(days=1)
    return f"{made} briefings computed for {len(nodes)} nodes from {first} to {today}"


def on_fact(fact: str, person_ids: list[int], detail: dict) -> None:
    """The briefing's consumer of `core.facts` (one background task after the commit):
    today's stored briefings of the persons' nodes and their ancestors are marked as
    computed before a change of the facts."""
    from fangkong.briefing.models import Briefing
    from fangkong.core import clock
    from fangkong.core.querysets import ancestor_paths
    from fangkong.people.models import Person

    paths: set[str] = set()
    for path in Person.objects.filter(pk__in=person_ids).values_list("path", flat=True):
        paths.update(ancestor_paths(path))
    if paths:
        Briefing.objects.filter(day=clock.today(), status="done", path__in=paths).update(
            facts_changed_at=clock.now()
        )


def wants(fact: str, detail: dict) -> bool:
    """A routine check-in (a normal reading of today that changed no status and no
    colour) changes no figure of today's briefing (it counts yesterday's check-ins):
    no task for it."""
    return not detail.get("routine")


def register_hooks() -> None:
    from fangkong.briefing.models import Briefing
    from fangkong.core import demo_steps, facts, home

    facts.register("briefing", on_fact, mode=facts.TASK, wants=wants)

    home.register(
        home.Card(
            _("Daily briefing"),
            "briefing:today",
            "briefing.briefing",
            "view",
            _("Situation as of the cut-off: curve, Rt, risk map, progress, overdue work"),
            lambda user: Briefing.objects.restrict(user, "view").done().count(),
        )
    )
    # Computed after all data of the day: every other demo step first (issue #15).
    demo_steps.register("briefing", demo_step, last=True)
