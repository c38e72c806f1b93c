"""Business rules of the public side, as plain functions over plain values."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class R17Check:
    ok: bool
    reasons: tuple[str, ...]


def r17_submission(
    employees: int, declared: int, resume_date: dt.date, today: dt.date, days_before: int
) -> R17Check:
    """R17: submit only with every listed employee declared, at least `days_before`
    days ahead of the resume date."""
    reasons = []
    if employees == 0:
        reasons.append(_("the employee list is empty"))
    elif declared < employees:
        reasons.append(
            _("%(missing)d of %(total)d employees have not declared their health")
            % {"missing": employees - declared, "total": employees}
        )
    if (resume_date - today).days < days_before:
        reasons.append(
            _("the application must reach us at least %(days)d days before the resume date")
            % {"days": days_before}
        )
    return R17Check(not reasons, tuple(reasons))


def approval_level(employees: int, town_max: int, county_max: int) -> str:
    """R17: the level that approves, by company size."""
    if employees <= town_max:
        return "town"
    if employees <= county_max:
        return "county"
    return "city"


LEVEL_RANK = {"city": 1, "county": 2, "town": 3, "village": 4, "grid": 5}


def may_approve_at(user_level: str | None, required: str) -> bool:
    """An approver at the required level or above it."""
    if user_level is None:
        return True
    return LEVEL_RANK.get(user_level, 9) <= LEVEL_RANK[required]


def escalation_due(due_at: dt.datetime, answer_hours: int) -> dt.datetime:
    """After escalation the level above gets a fresh time limit."""
    return due_at + dt.timedelta(hours=answer_hours)


def satisfaction_valid(value: int) -> bool:
    return 1 <= value <= 5


def school_ready(checked: list[str], all_items: list[str], staff: int, declared: int) -> list[str]:
    """What still stops a school plan's approval."""
    missing = [i for i in all_items if i not in checked]
    out = [_("checklist item open: %(item)s") % {"item": i} for i in missing]
    if declared < staff:
        out.append(_("%(n)d staff have not declared their health") % {"n": staff - declared})
    return out
