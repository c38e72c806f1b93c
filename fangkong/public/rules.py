"""Business rules of the public side, as plain functions over plain values."""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

# Values shaped like a resident ID (18 characters, last may be X) or a mainland mobile
# number, not embedded in a longer run of digits.
ID_SHAPED = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:19|20)\d{2}\d{7}[\dXx](?![0-9A-Za-z])")
PHONE_SHAPED = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)")


# Disguises seen in published text (issue #16, M4): full-width digits (NFKC folds them),
# zero-width and other invisible format characters (Unicode category Cf), Chinese numerals,
# and separators typed between the digits (spaces, dots, hyphens, underscores, slashes,
# middle dots). The check looks at the text as typed and at a compacted copy.
CHINESE_DIGITS = str.maketrans("〇零一二三四五六七八九壹贰叁肆伍陆柒捌玖", "00123456789123456789")
BETWEEN_DIGITS = re.compile(r"(?<=[0-9])[\s.\-_/·•]+(?=[0-9Xx])")


def normalised_for_check(text: str) -> str:
    """The text with look-alike digits folded and invisible characters removed."""
    folded = unicodedata.normalize("NFKC", text or "")
    visible = "".join(c for c in folded if unicodedata.category(c) != "Cf")
    return visible.translate(CHINESE_DIGITS)


def _variants(text: str) -> list[str]:
    plain = normalised_for_check(text)
    compact = BETWEEN_DIGITS.sub("", plain)
    return [plain] if compact == plain else [plain, compact]


def id_shaped(text: str) -> list[str]:
    found = [m.group(0).upper() for v in _variants(text) for m in ID_SHAPED.finditer(v)]
    return list(dict.fromkeys(found))


def phone_shaped(text: str) -> list[str]:
    out = []
    for v in _variants(text):
        for m in PHONE_SHAPED.finditer(v):
            digits = re.sub(r"\D", "", m.group(0))
            out.append(digits[-11:])
    return list(dict.fromkeys(out))


def names_in(text: str, names: set[str]) -> list[str]:
    """Registry names (two characters or more) that occur in the text."""
    return sorted(n for n in names if len(n) >= 2 and n in (text or ""))


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
