"""Reading the stored facts of many persons at once (a few set-based queries per chunk)
for the colour rules; other apps are read only when they are installed, and apps with
facts of their own (self-service declarations) add them as registered sources
(`core.facts.register_source`)."""

import datetime as dt
from collections.abc import Callable, Iterable

from django.apps import apps
from django.db import connection
from django.db.models import Max, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from fangkong.core import facts as core_facts
from fangkong.healthcode.models import Arrival, CodeOverride, DailyCheckIn
from fangkong.healthcode.rules import Facts

LOOKBACK_DAYS = 60


def _of(field: str, ids: list[int]) -> dict:
    """Filter on a list of persons. On PostgreSQL the list travels as ONE array parameter
    (`IN (SELECT unnest(%s))`): thousands of placeholders cost more than the query."""
    if connection.vendor == "postgresql":
        return {f"{field}__in": RawSQL("SELECT unnest(%s::bigint[])", [ids])}
    return {f"{field}__in": ids}


Of = Callable[[int], Facts]  # a person's facts being gathered, by person id


def facts_for(person_ids: Iterable[int], today: dt.date) -> dict[int, Facts]:
    ids = list(person_ids)
    out: dict[int, Facts] = {pid: Facts() for pid in ids}
    since = today - dt.timedelta(days=LOOKBACK_DAYS)
    spare = Facts()  # never filled: every row read belongs to a person asked for

    def of(pid: int) -> Facts:
        return out.get(pid, spare)

    _own_facts(ids, since, today, of)
    for app, read in _APP_FACTS:
        if apps.is_installed(app):
            read(ids, since, of)
    for source in core_facts.sources():  # e.g. self-declarations (issue #19)
        source.add(_of("person_id", ids), since, of)
    return out


def _note_checkin(f: Facts, day: dt.date, abnormal: bool) -> None:
    f.checkins[day] = f.checkins.get(day, False) or abnormal
    if abnormal:
        f.abnormal_on = core_facts.later(f.abnormal_on, day)


def _own_facts(ids: list[int], since: dt.date, today: dt.date, of: Of) -> None:
    """Health code's own tables: daily check-ins, arrivals, overrides in force."""
    for pid, day, abnormal in DailyCheckIn.objects.filter(
        **_of("person_id", ids), day__gte=since
    ).values_list("person_id", "day", "abnormal"):
        _note_checkin(of(pid), day, abnormal)

    for pid, level, day in Arrival.objects.filter(
        **_of("person_id", ids), arrived_on__gte=since
    ).values_list("person_id", "risk_level", "arrived_on"):
        f = of(pid)
        if level == "high":
            f.high_risk_arrival = core_facts.later(f.high_risk_arrival, day)
        else:
            f.medium_risk_arrival = core_facts.later(f.medium_risk_arrival, day)

    for pid, colour, reason, until in CodeOverride.objects.filter(
        **_of("person_id", ids), active=True
    ).values_list("person_id", "colour", "reason", "until"):
        if until is None or until >= today:
            of(pid).override = (colour, reason)


def _screening_facts(ids: list[int], since: dt.date, of: Of) -> None:
    """An arrival from a key area named on a pushed list counts as from a high-risk area."""
    from fangkong.screening.models import ScreeningSubject

    for pid, when in ScreeningSubject.objects.filter(
        **_of("person_id", ids), key_area=True, arrival_at__date__gte=since
    ).values_list("person_id", "arrival_at"):
        f = of(pid)
        f.high_risk_arrival = core_facts.later(f.high_risk_arrival, timezone.localdate(when))


def _observation_facts(ids: list[int], since: dt.date, of: Of) -> None:
    """Under observation (at home or in a site) and the observation's check-ins."""
    from fangkong.observation.models import CheckIn, ObservationPeriod

    for pid, kind in ObservationPeriod.objects.filter(
        **_of("person_id", ids), status__in=["active", "referred"]
    ).values_list("person_id", "place_kind"):
        of(pid).under_observation = True
        of(pid).centralised = of(pid).centralised or kind == "site"
    for pid, day, febrile, symptomatic in CheckIn.objects.filter(
        **_of("period__person_id", ids), local_date__gte=since
    ).values_list("period__person_id", "local_date", "febrile", "symptomatic"):
        _note_checkin(of(pid), day, febrile or symptomatic)


def _clinical_facts(ids: list[int], since: dt.date, of: Of) -> None:
    """A case in care, or discharged on a day."""
    from fangkong.clinical.models import Case

    for pid, outcome, outcome_at in Case.objects.filter(
        **_of("person_id", ids), status__in=["suspected", "confirmed", "asymptomatic"]
    ).values_list("person_id", "outcome", "outcome_at"):
        if not outcome:
            of(pid).case_in_care = True
        elif outcome == "discharged" and outcome_at is not None:
            of(pid).discharged_on = core_facts.later(
                of(pid).discharged_on, timezone.localdate(outcome_at)
            )


def _tracing_facts(ids: list[int], since: dt.date, of: Of) -> None:
    """A traced case with no clinical record (yet) is a case in care; close and possible
    contacts by their last exposure."""
    from fangkong.tracing.models import Contact, IndexCase

    for pid in IndexCase.objects.filter(**_of("person_id", ids), case_id__isnull=True).values_list(
        "person_id", flat=True
    ):
        of(pid).case_in_care = True
    rows = (
        Contact.objects.filter(**_of("person_id", ids), last_exposure__gte=since)
        .exclude(status__in=["dismissed", "became_case"])
        .values("person_id", "category")
        .annotate(last=Max("last_exposure"))
    )
    for row in rows:
        f = of(row["person_id"])
        if row["category"] == "close":
            f.close_contact_on = core_facts.later(f.close_contact_on, row["last"])
        else:
            f.possible_contact_on = core_facts.later(f.possible_contact_on, row["last"])


# The facts other apps hold, read when the app is installed.
_APP_FACTS: tuple[tuple[str, Callable[[list[int], dt.date, Of], None]], ...] = (
    ("fangkong.screening", _screening_facts),
    ("fangkong.observation", _observation_facts),
    ("fangkong.clinical", _clinical_facts),
    ("fangkong.tracing", _tracing_facts),
)


def persons_with_facts(today: dt.date) -> set[int]:
    """Everyone whose colour could be other than green (and everyone not green now)."""
    from fangkong.healthcode.models import HealthCode

    since = today - dt.timedelta(days=LOOKBACK_DAYS)
    ids: set[int] = set(
        HealthCode.objects.exclude(colour="green").values_list("person_id", flat=True)
    )
    ids |= set(DailyCheckIn.objects.filter(day__gte=since).values_list("person_id", flat=True))
    ids |= set(Arrival.objects.filter(arrived_on__gte=since).values_list("person_id", flat=True))
    ids |= set(CodeOverride.objects.filter(active=True).values_list("person_id", flat=True))
    if apps.is_installed("fangkong.observation"):
        from fangkong.observation.models import ObservationPeriod

        ids |= set(
            ObservationPeriod.objects.filter(
                Q(status__in=["active", "referred"]) | Q(planned_end__gte=since)
            ).values_list("person_id", flat=True)
        )
    if apps.is_installed("fangkong.screening"):
        from fangkong.screening.models import ScreeningSubject

        ids |= set(
            ScreeningSubject.objects.filter(key_area=True, arrival_at__date__gte=since).values_list(
                "person_id", flat=True
            )
        )
    if apps.is_installed("fangkong.clinical"):
        from fangkong.clinical.models import Case

        ids |= set(
            Case.objects.filter(status__in=["suspected", "confirmed", "asymptomatic"])
            .filter(Q(outcome="") | Q(outcome_at__date__gte=since))
            .values_list("person_id", flat=True)
        )
    if apps.is_installed("fangkong.tracing"):
        from fangkong.tracing.models import Contact, IndexCase

        ids |= set(IndexCase.objects.values_list("person_id", flat=True))
        ids |= set(
            Contact.objects.filter(last_exposure__gte=since, person__isnull=False).values_list(
                "person_id", flat=True
            )
        )
    for source in core_facts.sources():
        ids |= source.persons(since)
    return ids
