"""The leader's cockpit (city, county and town headquarters): the headline figures of
the briefing with their change since yesterday, what is overdue by owner, and the
five-colour ratings of the counties and towns.

Every figure comes from the apps' briefing sections (`core.sections`, asked through
`briefing.sections`),
the change from its `rules.change_since` and the ratings from its `epi.risk_map`, for
the 24 hours ending at `at` instead of at a cut-off: the cockpit is the briefing read
live, never a second count."""

import datetime as dt
from typing import Any

from django.db.models import Case as DbCase
from django.db.models import Count, F, When
from django.db.models.functions import Substr
from django.utils import timezone

from fangkong.briefing import compute, epi, rules, sections
from fangkong.briefing.models import Briefing, RiskRules
from fangkong.briefing.present import COLOURS
from fangkong.core.sections import Window, under
from fangkong.geo.models import Division

# The headline: (name in briefing.rules.CHANGE_KEYS), in the order a leader reads them.
HEADLINE = (
    "confirmed",
    "suspected",
    "asymptomatic",
    "under_observation",
    "screening_overdue",
    "screening_open",
)


def briefing_cutoff(user: Any) -> dt.datetime | None:
    """The cut-off of the latest briefing of the user's node: what the briefing counts to,
    where the cockpit counts to now (a figure that differs between them is not a fault)."""
    latest = (
        Briefing.objects.restrict(user)
        .done()
        .filter(node_id=user.node_id)
        .order_by("-day")
        .only("cutoff_at")
        .first()
    )
    return latest.cutoff_at if latest else None


def situation(node: Division, at: dt.datetime) -> dict[str, Any]:
    """The briefing's sections for the 24 hours before `at` (cases, observation,
    screening), shaped as a briefing's data; the case rows and clusters behind the
    cases under "_rows" and "_clusters"."""
    window = Window.ending(at)
    out: dict[str, Any] = {}
    for name in ("cases", "observation", "screening"):
        answer = sections.ask(name, node.path, window)
        if answer is None:
            continue
        out[name] = answer.figures
        if name == "cases":
            out["_rows"], out["_clusters"] = list(answer.rows), list(answer.clusters)
    return out


def headline(node: Division, at: dt.datetime) -> dict[str, Any]:
    """Today's figures, yesterday's at the same hour, the change (the briefing's rule)
    and the ratings of the areas below `node`."""
    now = situation(node, at)
    before = situation(node, at - dt.timedelta(days=1))
    change = rules.change_since(now, before)
    figures = [{"name": name, **change[name]} for name in HEADLINE if name in change]
    return {
        "at": at,
        "figures": figures,
        "new_confirmed": rules.dig(now, "cases.confirmed.new"),
        "missed_checkins": rules.dig(now, "observation.not_reporting_yesterday"),
        "ratings": ratings(node, at, now.get("_rows", []), now.get("_clusters", [])),
    }


def ratings(
    node: Division, at: dt.datetime, rows: list[Any], clusters: list[Any]
) -> list[dict[str, Any]]:
    """R15 level and R16 colour of each county and town under `node` (the briefing's
    risk map as of `at`, from the cases section's rows and clusters)."""
    if not sections.has("cases"):
        return []
    day = timezone.localdate(at)
    rr = RiskRules.in_force_stored(day)
    rated = epi.risk_map(
        rows,
        clusters,
        compute._rated(node),  # noqa: SLF001 - the briefing's own list of rated areas
        day,
        colour_params=rules.five_colour_params(rr),
    )
    return [{**r, "hex": COLOURS[r["colour"]]} for r in rated]


# --- overdue, by owner ------------------------------------------------------------------


def _by_area(qs: Any, node: Division, place: Any = "path") -> dict[str, int]:
    """Counts of `qs` by the area directly below `node` holding each row (a row at the
    node itself counts at the node). Codes of one level have one length, so the area is
    a prefix of the row's path of a fixed length: one grouped query."""
    child = Division.objects.filter(parent=node).values_list("path", flat=True).first()
    if child is None:
        return {node.path: qs.count()} if qs.exists() else {}
    width = len(child)
    grouped = qs.annotate(area=Substr(place, 1, width)).values("area").annotate(n=Count("pk"))
    out: dict[str, int] = {}
    for row in grouped:
        area = row["area"] if len(row["area"]) == width else node.path
        out[area] = out.get(area, 0) + row["n"]
    return out


def villages(node: Division, at: dt.datetime) -> list[dict[str, Any]]:
    """For a town's leader, each village (community) of the town: who is under
    observation there and the screening visits still open and overdue. Villages have no
    colour of their own (R15/R16 rate counties and towns), so they are shown by figures;
    each figure counts the same rows as the town's headline."""
    if node.level != "town":
        return []
    observed: dict[str, int] = {}
    visits: dict[str, int] = {}
    late: dict[str, int] = {}
    if sections.has("observation"):
        from fangkong.observation.models import ObservationPeriod

        observed = _by_area(under(ObservationPeriod, node.path).open(), node)
    if sections.has("screening"):
        from fangkong.screening.models import ScreeningTask

        tasks = under(ScreeningTask, node.path).filter(created_at__lte=at)
        visits = _by_area(tasks.open(), node)
        late = _by_area(tasks.overdue(at), node)
    return [
        {
            "code": v.code,
            "name": v.name,
            "observed": observed.get(v.path, 0),
            "visits": visits.get(v.path, 0),
            "overdue": late.get(v.path, 0),
        }
        for v in Division.objects.filter(parent=node).order_by("code").only("code", "name", "path")
    ]


def overdue(node: Division, at: dt.datetime) -> list[dict[str, Any]]:
    """What is overdue under `node` at `at`, by owner: screening visits and directive
    receipts by the area below, decisions of meetings by their owner, case reports and
    investigations by the area where the patients live. Each kind is the briefing's
    own overdue query, so the owners' counts add up to the briefing's figure."""
    day = timezone.localdate(at)
    found: list[tuple[str, str, int, str]] = []  # (kind, owner path or user, n, url name)
    if sections.has("screening"):
        from fangkong.screening.models import ScreeningTask

        qs = under(ScreeningTask, node.path).filter(created_at__lte=at).overdue(at)
        found += [("screening", p, n, "screening:progress") for p, n in _by_area(qs, node).items()]
    if sections.has("command"):
        from fangkong.command.models import Decision, DirectiveReceipt

        qs = under(DirectiveReceipt, node.path).overdue(at)
        found += [("receipts", p, n, "command:inbox") for p, n in _by_area(qs, node).items()]
        decisions = (
            under(Decision, node.path)
            .overdue(day)
            .values("owner__display_name", "owner__username")
            .annotate(n=Count("pk"))
        )
        found += [
            (
                "decisions",
                "@" + (d["owner__display_name"] or d["owner__username"]),
                d["n"],
                "command:dashboard",
            )
            for d in decisions
        ]
    if sections.has("cases"):
        from fangkong.clinical.briefing import placed_under

        # placed where the patients live, as the briefing counts them
        cases = placed_under(node.path)
        home = DbCase(When(home_path="", then=F("path")), default=F("home_path"))
        for kind, qs in (
            ("case_reports", cases.report_overdue(at)),
            ("investigations", cases.investigation_overdue(at)),
        ):
            found += [(kind, p, n, "clinical:board") for p, n in _by_area(qs, node, home).items()]
    names = dict(
        Division.objects.filter(path__in=[o for _k, o, _n, _u in found]).values_list("path", "name")
    )
    rows = [
        {
            "kind": kind,
            "owner": owner[1:] if owner.startswith("@") else names.get(owner, owner),
            "n": n,
            "url_name": url,
        }
        for kind, owner, n, url in found
        if n
    ]
    return sorted(rows, key=lambda r: (-r["n"], r["kind"], r["owner"]))
