"""Drafting a bulletin from the platform's figures, and the privacy check that every
bulletin text passes before it is saved or published.

Figures come from the clinical app when it is installed (confirmed cases by district,
new on the day and cumulative; places of activity as the town and community of the
cases' residence — never names, IDs or addresses); otherwise headquarters enter them."""

import datetime as dt
from collections import Counter
from typing import Any

from django.apps import apps
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fangkong.core import crypto, private_values
from fangkong.geo.models import Division
from fangkong.people import identity


def districts_of(node: Division) -> list[Division]:
    """The reporting units of a bulletin: the counties of a city, else the node's
    children."""
    return list(Division.objects.filter(parent=node).order_by("code"))


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def figures_from_cases(node: Division, day: dt.date) -> tuple[list[dict], list[str]]:
    """New and cumulative confirmed cases per district, and coarse places."""
    from fangkong.clinical.models import Case

    _start, end = _day_bounds(day)
    rows = Case.objects.filter(
        confirmed_at__isnull=False, confirmed_at__lt=end, person__path__startswith=node.path
    ).values_list("person__path", "confirmed_at")
    depth = node.path.count("/")
    new: Counter[str] = Counter()
    total: Counter[str] = Counter()
    place_codes: list[tuple[str, str]] = []
    for path, confirmed_at in rows:
        codes = [c for c in path.split("/") if c]
        unit = codes[depth] if len(codes) > depth else codes[-1]
        total[unit] += 1
        if timezone.localdate(confirmed_at) == day:
            new[unit] += 1
            if len(codes) > depth + 2:
                place_codes.append((codes[depth + 1], codes[depth + 2]))
            elif len(codes) > depth + 1:
                place_codes.append((codes[depth + 1], ""))
    figures = [
        {"code": d.code, "name": d.name, "new": new[d.code], "total": total[d.code]}
        for d in districts_of(node)
    ]
    names = dict(
        Division.objects.filter(
            code__in={c for pair in place_codes for c in pair if c}
        ).values_list("code", "name")
    )
    places = sorted({f"{names.get(t, '')}{names.get(v, '')}" for t, v in place_codes})
    return figures, places


def figures_from_briefings(node: Division, day: dt.date) -> dict[str, tuple[int, int]]:
    """Confirmed cases (new, cumulative) of each district from its finished daily
    briefing of the day, where the briefing app computed one."""
    from fangkong.briefing.models import Briefing

    out: dict[str, tuple[int, int]] = {}
    done = Briefing.objects.filter(node__parent=node, day=day, status="done")
    for code, data in done.values_list("node__code", "data"):
        confirmed = (data or {}).get("cases", {}).get("confirmed")
        if confirmed:
            out[code] = (int(confirmed["new"]), int(confirmed["cumulative"]))
    return out


def draft_figures(node: Division, day: dt.date) -> tuple[list[dict], list[str]] | None:
    """Figures from the platform (the districts' briefings first, the cases for the
    rest and for the places), or None when no source app is installed."""
    briefed = figures_from_briefings(node, day) if apps.is_installed("fangkong.briefing") else {}
    if apps.is_installed("fangkong.clinical"):
        figures, places = figures_from_cases(node, day)
    elif briefed:
        figures = [
            {"code": d.code, "name": d.name, "new": 0, "total": 0} for d in districts_of(node)
        ]
        places = []
    else:
        return None
    for f in figures:
        if f["code"] in briefed:
            f["new"], f["total"] = briefed[f["code"]]
    return figures, places


def compose_text(node_name: str, day: dt.date, figures: list[dict], places: list[str]) -> str:
    """The bulletin text, always in Chinese: it is written for the public."""
    new = sum(int(f["new"]) for f in figures)
    total = sum(int(f["total"]) for f in figures)
    with translation.override("zh-hans"):
        lines = [
            _(
                "From 0:00 to 24:00 on %(month)d/%(day)d, %(node)s reported %(new)d new "
                "confirmed cases, %(total)d confirmed cases in total."
            )
            % {"month": day.month, "day": day.day, "node": node_name, "new": new, "total": total}
        ]
        for f in figures:
            if f["new"] or f["total"]:
                lines.append(
                    _("%(name)s: %(new)d new, %(total)d in total.")
                    % {"name": f["name"], "new": f["new"], "total": f["total"]}
                )
        if places:
            lines.append(
                _("Areas where the new cases were active: %(places)s.")
                % {"places": "、".join(places)}
            )
        lines.append(
            _(
                "Please protect yourself, go out less and avoid gatherings; with fever or a "
                "cough, go to a fever clinic at once."
            )
        )
    return "\n".join(lines)


def compose_title(node_name: str, day: dt.date) -> str:
    with translation.override("zh-hans"):
        return _("%(node)s epidemic bulletin (%(month)d/%(day)d)") % {
            "node": node_name,
            "month": day.month,
            "day": day.day,
        }


def personal_data_in(text: str, node: Division | None = None) -> list[str]:
    """Reasons why a text may not be published: resident IDs or mobile numbers of the
    registry (checked by blind index), any ID- or phone-shaped value at all, and names
    of registered persons living in the places the text mentions. Whether a number
    belongs to a registered person is told for persons within `node` only (the
    bulletin's area, inside the drafter's jurisdiction): elsewhere it is just a value
    shaped like one, so a draft cannot probe the city's registry."""
    from fangkong.people.models import Person

    found: list[str] = []
    ids = private_values.id_shaped(text)
    phones = private_values.phone_shaped(text)
    registry = Person.objects.all()
    if node is not None:
        registry = registry.under(node.path)
    if ids:
        known = registry.filter(
            id_number_index__in=[
                crypto.blind_index(identity.normalise_id(i), "person.id_number") for i in ids
            ]
        ).exists()
        found.append(
            _("a resident ID of a registered person")
            if known
            else _("a value shaped like a resident ID")
        )
    if phones:
        known = registry.filter(
            phone_index__in=[crypto.blind_index(p, "person.phone") for p in phones]
        ).exists()
        found.append(
            _("a phone number of a registered person")
            if known
            else _("a value shaped like a phone number")
        )
    found += [
        _("the name of a registered person: %(name)s") % {"name": n}
        for n in names_of_places(text, node)
    ]
    return found


def names_of_places(text: str, node: Division | None) -> list[str]:
    """Names of registry persons who live in a division named in the text (or whose
    case is in the bulletin's area), found in the text."""
    from fangkong.people.models import Person

    scope = Division.objects.all()
    if node is not None:
        scope = scope.under(node.path)
    mentioned = [
        p
        for name, p in scope.exclude(level="grid").values_list("name", "path")
        if len(name) >= 2 and name in text
    ]
    names: set[str] = set()
    for path in _outermost(mentioned)[:50]:
        names |= set(Person.objects.under(path).values_list("name", flat=True)[:20000])
    if apps.is_installed("fangkong.clinical") and node is not None:
        from fangkong.clinical.models import Case

        names |= set(
            Case.objects.filter(person__path__startswith=node.path).values_list(
                "person__name", flat=True
            )[:20000]
        )
    return private_values.names_in(text, names)


def _outermost(paths: list[str]) -> list[str]:
    """Keep the deepest mentioned divisions: a text naming a community also names its
    town, and the community is the tighter scope."""
    paths = sorted(set(paths), key=len, reverse=True)
    keep: list[str] = []
    for p in paths:
        if not any(k.startswith(p) for k in keep):
            keep.append(p)
    return keep


def figures_from_form(data: Any) -> list[dict]:
    return [
        {"code": d["code"], "name": d["name"], "new": int(d["new"]), "total": int(d["total"])}
        for d in data
    ]
