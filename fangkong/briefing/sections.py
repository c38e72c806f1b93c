"""The sections of a briefing read from the other apps, each only when its app is
installed (imported lazily: the apps are optional). Reads go through `.restrict` with
the system account and an explicit subtree filter: the briefing is computed for a node,
not for a viewer; viewers are scoped when they open the stored result."""

import datetime as dt
from typing import Any

from django.apps import apps
from django.db.models import Count, Q

from fangkong.briefing.epi import CaseRow


def system() -> Any:
    from fangkong.accounts.models import User

    return User(is_superuser=True, is_active=True, role="sysadmin")


def _under(model: Any, path: str) -> Any:
    return model.objects.restrict(system(), "view").filter(path__startswith=path)


def persons(path: str, since: dt.datetime, cutoff: dt.datetime) -> dict[str, int]:
    from fangkong.people.models import Person

    qs = _under(Person, path).active()
    agg = qs.aggregate(
        total=Count("pk", filter=Q(created_at__lte=cutoff)),
        new=Count("pk", filter=Q(created_at__gt=since, created_at__lte=cutoff)),
    )
    return {"total": agg["total"], "new": agg["new"]}


def has(app: str) -> bool:
    return apps.is_installed(f"fangkong.{app}")


def _field(model: Any, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def cases_placed_under(path: str) -> Any:
    """Cases whose PLACE is under `path`: where the patient lives (R15/R16 rate the place
    of the infection), not where they are treated; a case with no known home counts at
    the reporting facility's node (and is flagged)."""
    from fangkong.clinical.models import Case

    return Case.objects.restrict(system(), "view").filter(
        Q(home_path__startswith=path) | Q(home_path="", path__startswith=path)
    )


def cases(
    path: str, since: dt.datetime, cutoff: dt.datetime
) -> tuple[dict[str, Any], list[CaseRow]]:
    """Counts by class (new in the last 24 h before the cut-off, cumulative) and the rows
    of confirmed cases (not asymptomatic infections) for the curve. Report date =
    confirmation time; the onset date and
    the infection source (imported = one of the clinical app's IMPORTED_SOURCES; "unknown"
    counts as local) are read when the case model records them."""
    from fangkong.clinical.models import Case

    qs = cases_placed_under(path)
    # Confirmed cases only: asymptomatic infections are counted (and reported) apart, as in
    # the national reporting of 2020, and a diagnosis later excluded no longer counts.
    c = Q(confirmed_at__isnull=False, status="confirmed")
    agg = qs.aggregate(
        confirmed_new=Count("pk", filter=c & Q(confirmed_at__gt=since, confirmed_at__lte=cutoff)),
        confirmed=Count("pk", filter=c & Q(confirmed_at__lte=cutoff)),
        suspected_new=Count(
            "pk", filter=Q(diagnosed_at__gt=since, diagnosed_at__lte=cutoff, status="suspected")
        ),
        suspected=Count("pk", filter=Q(status="suspected", diagnosed_at__lte=cutoff)),
        asymptomatic_new=Count(
            "pk", filter=Q(status="asymptomatic", diagnosed_at__gt=since, diagnosed_at__lte=cutoff)
        ),
        asymptomatic=Count("pk", filter=Q(status="asymptomatic", diagnosed_at__lte=cutoff)),
        deaths_new=Count(
            "pk", filter=Q(outcome="died", outcome_at__gt=since, outcome_at__lte=cutoff)
        ),
        deaths=Count("pk", filter=Q(outcome="died", outcome_at__lte=cutoff)),
        discharged_new=Count(
            "pk", filter=Q(outcome="discharged", outcome_at__gt=since, outcome_at__lte=cutoff)
        ),
        discharged=Count("pk", filter=Q(outcome="discharged", outcome_at__lte=cutoff)),
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
    fields = ["confirmed_at", "path", "home_path"]
    onset = _field(Case, "onset_date")
    source = _field(Case, "source")
    fields += ["onset_date"] if onset else []
    fields += ["source"] if source else []
    imported_sources: frozenset[str] = frozenset()
    if source:
        from fangkong.clinical.choices import IMPORTED_SOURCES

        imported_sources = IMPORTED_SOURCES
    from django.utils import timezone

    rows = []
    by_source: dict[str, int] = {}
    for values in (
        qs.filter(c, confirmed_at__lte=cutoff).values_list(*fields).iterator(chunk_size=5000)
    ):
        rec = dict(zip(fields, values, strict=True))
        origin = rec.get("source", "")
        by_source[origin] = by_source.get(origin, 0) + 1
        rows.append(
            CaseRow(
                report_day=timezone.localdate(rec["confirmed_at"]),
                path=rec["home_path"] or rec["path"],
                home_known=bool(rec["home_path"]),
                imported=origin in imported_sources,
                onset_day=rec.get("onset_date"),
            )
        )
    counts["has_onset"] = onset
    counts["has_imported"] = source
    counts["sources"] = by_source if source else None
    counts["imported"] = sum(1 for r in rows if r.imported)
    counts["onset_missing"] = sum(1 for r in rows if r.onset_day is None)
    counts["home_unknown"] = sum(1 for r in rows if not r.home_known)
    return counts, rows


def clusters(path: str, cutoff: dt.datetime) -> list[tuple[str, dt.date]]:
    from django.utils import timezone

    from fangkong.clinical.models import Cluster

    return [
        (p, timezone.localdate(at))
        for p, at in _under(Cluster, path)
        .filter(detected_at__lte=cutoff)
        .values_list("path", "detected_at")
    ]


def screening(path: str, since: dt.datetime, cutoff: dt.datetime) -> dict[str, Any]:
    from fangkong.screening.models import ScreeningSubject, ScreeningTask

    tasks = _under(ScreeningTask, path).filter(created_at__lte=cutoff)
    agg = tasks.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status="done")),
        open=Count("pk", filter=Q(status="open")),
        overdue=Count("pk", filter=Q(status="open", due_at__lt=cutoff)),
        new=Count("pk", filter=Q(created_at__gt=since)),
    )
    agg["arrivals_new"] = (
        _under(ScreeningSubject, path).filter(created_at__gt=since, created_at__lte=cutoff).count()
    )
    agg["completion"] = agg["done"] / agg["total"] if agg["total"] else None
    return agg


def observation(path: str, day: dt.date, since: dt.datetime, cutoff: dt.datetime) -> dict[str, Any]:
    from fangkong.observation.models import AlertTask, CheckIn, ObservationPeriod

    periods = _under(ObservationPeriod, path)
    agg = periods.aggregate(
        open=Count("pk", filter=Q(status__in=["active", "referred"])),
        started=Count("pk", filter=Q(created_at__gt=since, created_at__lte=cutoff)),
        released=Count("pk", filter=Q(status="released")),
        referred=Count("pk", filter=Q(status="referred")),
        total=Count("pk"),
    )
    yesterday = day - dt.timedelta(days=1)
    agg["checked_in_yesterday"] = periods.reporting_on(yesterday).count()
    agg["not_reporting_yesterday"] = periods.not_reporting_on(yesterday).count()
    agg["checkins_yesterday"] = _under(CheckIn, path).filter(local_date=yesterday).count()
    agg["alerts_open"] = _under(AlertTask, path).filter(status="open").count()
    return agg


def command(path: str, day: dt.date, cutoff: dt.datetime) -> dict[str, Any]:
    from fangkong.command.models import Decision, DirectiveReceipt, ReportTemplate, Submission

    out: dict[str, Any] = {
        "decisions_overdue": _under(Decision, path).overdue(day).count(),
        "receipts_overdue": _under(DirectiveReceipt, path).overdue(cutoff).count(),
    }
    from fangkong.command import metrics

    late = []
    for t in (
        ReportTemplate.objects.restrict(system(), "view")
        .filter(Q(path__startswith=path) | Q(path__in=_ancestors(path)))
        .select_related("node")
    ):
        expected = metrics.expected_nodes(t).filter(path__startswith=path)
        prev = day - dt.timedelta(days=1)
        from fangkong.command import rules

        if not rules.is_period(t.schedule, t.starts_on, t.ends_on, prev):
            continue
        on_time = _under(Submission, path).filter(template=t, period=prev, on_time=True).count()
        n = expected.count()
        late.append(
            {
                "template": t.name,
                "period": prev.isoformat(),
                "expected": n,
                "late_or_missing": n - on_time,
            }
        )
    out["reports"] = late
    return out


def _ancestors(path: str) -> list[str]:
    from fangkong.command.querysets import ancestor_paths

    return ancestor_paths(path)


def response_level(day: dt.date) -> str | None:
    from fangkong.command.actions import level_on

    level = level_on(day)
    return level.grade if level else None


def supplies(path: str, day: dt.date) -> dict[str, Any] | None:
    """Items below their days-of-supply alert and today's price alerts (the supplies app's
    own summary for the briefing); None when that app offers none."""
    from fangkong.supplies import supply_days

    summary = getattr(supply_days, "briefing_summary", None)
    return summary(path, day) if summary is not None else None


def mobilisation(path: str, day: dt.date, cutoff: dt.datetime) -> dict[str, Any]:
    """Organisations mobilised, members registered, posts staffed, shifts, overrides (the
    mobilisation app's own figures)."""
    from fangkong.mobilisation import figures

    return figures.briefing_summary(path, day, cutoff)


def tracing(path: str, since: dt.datetime, cutoff: dt.datetime) -> dict[str, Any]:
    """Contact tracing for the daily consultation: contacts per case, the share of close
    contacts under control (confirmed into observation or screening) within 24 hours of
    being traced, contacts of contacts, and the chain figures (one query, as the tracing
    pages)."""
    from django.db.models import DurationField, ExpressionWrapper, F

    from fangkong.tracing.models import Chain, Contact, IndexCase

    cases = _under(IndexCase, path).filter(created_at__lte=cutoff).count()
    contacts = _under(Contact, path).filter(created_at__lte=cutoff)
    lag = ExpressionWrapper(F("confirmed_at") - F("created_at"), output_field=DurationField())
    agg = contacts.annotate(lag=lag).aggregate(
        total=Count("pk", filter=Q(index__isnull=False, source_contact__isnull=True)),
        close=Count("pk", filter=Q(category="close")),
        close_in_24h=Count(
            "pk",
            filter=Q(category="close", confirmed_at__lte=cutoff, lag__lte=dt.timedelta(hours=24)),
        ),
        secondary=Count("pk", filter=Q(category="secondary")),
        new=Count("pk", filter=Q(created_at__gt=since)),
    )
    chains = Chain.objects.restrict(system(), "view").filter(path__startswith=path).counts()
    return {
        "index_cases": cases,
        "contacts": agg["total"],
        "contacts_per_case": round(agg["total"] / cases, 1) if cases else None,
        "close": agg["close"],
        "close_controlled_24h": agg["close_in_24h"],
        "close_controlled_share": round(agg["close_in_24h"] / agg["close"], 3)
        if agg["close"]
        else None,
        "secondary": agg["secondary"],
        "new": agg["new"],
        "chains": chains,
    }


def healthcode(path: str, since: dt.datetime, cutoff: dt.datetime) -> dict[str, Any]:
    """Health codes for the daily consultation: red, yellow and green per county (by the
    holder's home) and the changes of colour in the 24 hours before the cut-off."""
    from fangkong.briefing.epi import _prefixes
    from fangkong.geo.models import Division
    from fangkong.healthcode.models import CodeChange, HealthCode

    counties = Division.objects.filter(
        Q(path__startswith=path) | Q(path__in=_prefixes(path)), level="county"
    ).order_by("path")
    rows = []
    for county in counties:
        scope = county.path if county.path.startswith(path) else path
        agg = _under(HealthCode, scope).aggregate(
            red=Count("pk", filter=Q(colour="red")),
            yellow=Count("pk", filter=Q(colour="yellow")),
            green=Count("pk", filter=Q(colour="green")),
        )
        rows.append({"code": county.code, "name": county.name, **agg})
    changes = _under(CodeChange, path).filter(at__gt=since, at__lte=cutoff).exclude(from_colour="")
    by_kind = changes.aggregate(
        to_red=Count("pk", filter=Q(to_colour="red")),
        to_yellow=Count("pk", filter=Q(to_colour="yellow")),
        to_green=Count("pk", filter=Q(to_colour="green")),
    )
    return {"counties": rows, "changes": by_kind}
