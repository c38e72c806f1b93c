"""Writes of the briefing app: ask for a briefing (background job), save a rule set."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.briefing.compute import cutoff_for, rules_in_force
from fangkong.briefing.models import Briefing, BriefingRules, RiskRules
from fangkong.core import clock
from fangkong.core.access import invalid, require
from fangkong.core.jobs import start_job
from fangkong.core.models import Job
from fangkong.geo.models import Division


@transaction.atomic
def request_briefing(user: Any, node: Division, day: dt.date) -> Job:
    """Queue the computation of `node`'s briefing for `day`.

    Refused before the day's cut-off (the figures would be incomplete) and for a day
    already briefed before today: a stored briefing stays as it was."""
    require(user, "add", Briefing, message=_("your role may not compute briefings"))
    require(user, "add", node=node, message=_("this jurisdiction is outside your area"))
    cutoff = cutoff_for(day)
    if clock.now() < cutoff:
        raise invalid(
            "day",
            _("the briefing of %(day)s can be computed after its cut-off, %(cutoff)s")
            % {"day": day, "cutoff": timezone.localtime(cutoff).strftime("%Y-%m-%d %H:%M")},
        )
    existing = Briefing.objects.filter(node=node, day=day).first()
    if existing and existing.status == "done" and day < clock.today():
        raise invalid("day", _("the briefing of %(day)s is kept as it was computed") % {"day": day})
    if existing is None:
        Briefing.objects.create(node=node, day=day, cutoff_at=cutoff, rules=rules_in_force(day))
    from fangkong.briefing.tasks import compute_briefing

    job = start_job(user, "briefing", node, compute_briefing, node.pk, day.isoformat())
    Briefing.objects.filter(node=node, day=day).update(job=job)
    return job


@transaction.atomic
def save_rules(user: Any, data: dict[str, Any]) -> BriefingRules:
    """Add a briefing rule set from its effective date on. A set already in force is
    history (stored briefings were computed by it) and is not rewritten: a new set from a
    later date replaces it; a set not yet in force may still be amended."""
    require(
        user, "change", BriefingRules, message=_("only headquarters may change the briefing rules")
    )
    if data.get("history_days", 60) < data.get("rt_window", 7) + 7:
        raise invalid("history_days", _("the history must be at least the Rt window plus 7 days"))
    if float(data.get("si_mean", 6.3)) <= 1:
        raise invalid("si_mean", _("the serial interval mean must be above 1 day"))
    if float(data.get("si_sd", 4.2)) <= 0:
        raise invalid("si_sd", _("the serial interval sd must be above 0"))
    for name in ("growth_days", "forecast_days"):
        if not 7 <= data.get(name, 14) <= 14:
            raise invalid(name, _("between 7 and 14 days"))
    values = {k: v for k, v in data.items() if k != "effective_from"}
    rules = BriefingRules.draft(data.get("effective_from"), amend_future=True)
    return rules.save_by(user, **values)


RISK_FIELDS = (
    "weight_cumulative",
    "weight_local_share",
    "weight_clusters",
    "cumulative_full",
    "clusters_full",
    "cut_yellow",
    "cut_orange",
    "cut_red",
    "ease_one_days",
    "ease_two_days",
    "count_days",
    "medium_max",
    "high_min",
)


@transaction.atomic
def save_risk_rules(user: Any, data: dict[str, Any]) -> RiskRules:
    """Headquarters saves an R16 rule set from a date. Refused, naming the field, when
    the set is inconsistent or would rate a high-risk county (R15) below a medium one,
    and under `effective_from` when a set from that date is already in force (history,
    never rewritten, like the briefing rules)."""
    from fangkong.analytics import risk
    from fangkong.analytics.inputs import AnalyticsInputError
    from fangkong.briefing import rules

    require(
        user,
        "change",
        RiskRules,
        message=_("only city headquarters may change the five-colour map rules"),
    )
    # a set in force is history (stored maps were rated by it): refused under
    # `effective_from`; a set not yet in force may still be amended
    found = RiskRules.draft(data.get("effective_from"), amend_future=True)
    for name in RISK_FIELDS:
        if data.get(name) is not None:
            setattr(found, name, data[name])
    found.note = str(data.get("note") or found.note)[:200]
    for weight in ("weight_cumulative", "weight_local_share", "weight_clusters"):
        if not 0 <= float(getattr(found, weight)) <= 1:
            raise invalid(weight, _("a weight is between 0 and 1"))
    for cut in ("cut_yellow", "cut_orange", "cut_red"):
        if not 0 <= float(getattr(found, cut)) <= 1:
            raise invalid(cut, _("a cut-off is a score between 0 and 1"))
    if not found.cut_yellow <= found.cut_orange <= found.cut_red:
        raise invalid("cut_orange", _("the cut-offs must rise: yellow ≤ orange ≤ red"))
    if found.ease_one_days > found.ease_two_days:
        raise invalid("ease_two_days", _("the second easing step comes after the first"))
    try:
        params = rules.five_colour_params(found)
    except AnalyticsInputError as exc:
        raise invalid("weight_cumulative", str(exc)) from None
    broken = risk.ordering_violations(params)
    if broken:
        medium, high = broken[0]
        raise invalid(
            "high_min",
            _(
                "these rules rate a high-risk county (%(high)s) below a medium-risk one "
                "(%(medium)s): raise the high-risk band or lower the medium one"
            )
            % {"high": high, "medium": medium},
        )
    return found.save_by(user)
