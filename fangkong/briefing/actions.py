"""Writes of the briefing app: ask for a briefing (background job), save a rule set."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.briefing.compute import cutoff_for, rules_in_force
from fangkong.briefing.models import Briefing, BriefingRules
from fangkong.core import clock
from fangkong.core.jobs import start_job
from fangkong.core.models import Job
from fangkong.core.querysets import allows
from fangkong.geo.models import Division


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


@transaction.atomic
def request_briefing(user: Any, node: Division, day: dt.date) -> Job:
    """Queue the computation of `node`'s briefing for `day`.

    Refused before the day's cut-off (the figures would be incomplete) and for a day
    already briefed before today: a stored briefing stays as it was."""
    if not allows(user, Briefing, "add"):
        raise PermissionDenied(_("your role may not compute briefings"))
    own = getattr(user, "node", None)
    if not user.is_superuser and (own is None or not node.path.startswith(own.path)):
        raise PermissionDenied(_("this jurisdiction is outside your area"))
    cutoff = cutoff_for(day)
    if clock.now() < cutoff:
        raise _invalid(
            "day",
            _("the briefing of %(day)s can be computed after its cut-off, %(cutoff)s")
            % {"day": day, "cutoff": timezone.localtime(cutoff).strftime("%Y-%m-%d %H:%M")},
        )
    existing = Briefing.objects.filter(node=node, day=day).first()
    if existing and existing.status == "done" and day < clock.today():
        raise _invalid(
            "day", _("the briefing of %(day)s is kept as it was computed") % {"day": day}
        )
    if existing is None:
        Briefing.objects.create(node=node, day=day, cutoff_at=cutoff, rules=rules_in_force(day))
    from fangkong.briefing.tasks import compute_briefing

    job = start_job(user, "briefing", node, compute_briefing, node.pk, day.isoformat())
    Briefing.objects.filter(node=node, day=day).update(job=job)
    return job


@transaction.atomic
def save_rules(user: Any, data: dict[str, Any]) -> BriefingRules:
    if not allows(user, BriefingRules, "change"):
        raise PermissionDenied(_("only headquarters may change the briefing rules"))
    if data.get("history_days", 60) < data.get("rt_window", 7) + 7:
        raise _invalid("history_days", _("the history must be at least the Rt window plus 7 days"))
    if float(data.get("si_mean", 6.3)) <= 1:
        raise _invalid("si_mean", _("the serial interval mean must be above 1 day"))
    if float(data.get("si_sd", 4.2)) <= 0:
        raise _invalid("si_sd", _("the serial interval sd must be above 0"))
    for name in ("growth_days", "forecast_days"):
        if not 7 <= data.get(name, 14) <= 14:
            raise _invalid(name, _("between 7 and 14 days"))
    rules, _created = BriefingRules.objects.update_or_create(
        effective_from=data.pop("effective_from"), defaults=data
    )
    return rules
