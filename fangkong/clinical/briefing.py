"""The clinical section of the daily briefing: cases by class (new in the 24 hours
before the cut-off, cumulative), overdue reports and investigations, and — handed to
the briefing's analysis, not stored — the rows of confirmed cases and the clusters,
from which it draws the curve, Rt and the risk map. Registered in ClinicalConfig.ready."""

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from fangkong.analytics.inputs import CaseRow
from fangkong.clinical.choices import IMPORTED_SOURCES, Outcome, Status
from fangkong.clinical.models import Case, Cluster
from fangkong.clinical.querysets import CONFIRMED
from fangkong.core.querysets import system_actor
from fangkong.core.sections import Answer, Window, under


def placed_under(path: str) -> Any:
    """The cases placed under `path` (the patient's home, else the facility's node), as
    the system reads them."""
    return Case.objects.restrict(system_actor(), "view").placed_under(path)


def _in(field: str, since: dt.datetime, cutoff: dt.datetime) -> Q:
    return Q(**{f"{field}__gt": since, f"{field}__lte": cutoff})


def _upto(field: str, cutoff: dt.datetime) -> Q:
    return Q(**{f"{field}__lte": cutoff})


def _counts(qs: Any, since: dt.datetime, cutoff: dt.datetime) -> dict[str, Any]:
    suspected = Q(status=Status.SUSPECTED)
    asymptomatic = Q(status=Status.ASYMPTOMATIC)
    died, discharged = Q(outcome=Outcome.DIED), Q(outcome=Outcome.DISCHARGED)
    agg = qs.aggregate(
        confirmed_new=Count("pk", filter=CONFIRMED & _in("confirmed_at", since, cutoff)),
        confirmed=Count("pk", filter=CONFIRMED & _upto("confirmed_at", cutoff)),
        suspected_new=Count("pk", filter=_in("diagnosed_at", since, cutoff) & suspected),
        suspected=Count("pk", filter=suspected & _upto("diagnosed_at", cutoff)),
        asymptomatic_new=Count("pk", filter=asymptomatic & _in("diagnosed_at", since, cutoff)),
        asymptomatic=Count("pk", filter=asymptomatic & _upto("diagnosed_at", cutoff)),
        deaths_new=Count("pk", filter=died & _in("outcome_at", since, cutoff)),
        deaths=Count("pk", filter=died & _upto("outcome_at", cutoff)),
        discharged_new=Count("pk", filter=discharged & _in("outcome_at", since, cutoff)),
        discharged=Count("pk", filter=discharged & _upto("outcome_at", cutoff)),
        report_overdue=Count("pk", filter=Q(report_due__lt=cutoff, reported_at__isnull=True)),
        investigation_overdue=Count(
            "pk", filter=Q(investigation_due__lt=cutoff, investigated_at__isnull=True)
        ),
    )
    counts: dict[str, Any] = {
        k: {"new": agg[f"{k}_new"], "cumulative": agg[k]}
        for k in ("confirmed", "suspected", "asymptomatic", "deaths", "discharged")
    }
    counts["overdue"] = {
        "report": agg["report_overdue"],
        "investigation": agg["investigation_overdue"],
    }
    return counts


def clusters(path: str, cutoff: dt.datetime) -> list[tuple[str, dt.date]]:
    return [
        (p, timezone.localdate(at))
        for p, at in under(Cluster, path)
        .filter(detected_at__lte=cutoff)
        .values_list("path", "detected_at")
    ]


def section(path: str, window: Window) -> Answer:
    """Counts by class and the rows of confirmed cases (not asymptomatic infections) for
    the curve. Report date = confirmation time; the infection source is imported when
    one of IMPORTED_SOURCES ("unknown" counts as local)."""
    since, cutoff = window.start, window.end
    qs = placed_under(path)
    counts = _counts(qs, since, cutoff)
    fields = ["confirmed_at", "path", "home_path", "onset_date", "source"]
    rows = []
    by_source: dict[str, int] = {}
    for values in (
        qs.confirmed()
        .filter(confirmed_at__lte=cutoff)
        .values_list(*fields)
        .iterator(chunk_size=5000)
    ):
        rec = dict(zip(fields, values, strict=True))
        origin = rec["source"]
        by_source[origin] = by_source.get(origin, 0) + 1
        rows.append(
            CaseRow(
                report_day=timezone.localdate(rec["confirmed_at"]),
                path=rec["home_path"] or rec["path"],
                home_known=bool(rec["home_path"]),
                imported=origin in IMPORTED_SOURCES,
                onset_day=rec["onset_date"],
            )
        )
    counts["has_onset"] = True
    counts["has_imported"] = True
    counts["sources"] = by_source
    counts["imported"] = sum(1 for r in rows if r.imported)
    counts["onset_missing"] = sum(1 for r in rows if r.onset_day is None)
    counts["home_unknown"] = sum(1 for r in rows if not r.home_known)
    return Answer(counts, rows=rows, clusters=clusters(path, cutoff))
