"""The published defaults of the notice rules and their validation (plain values).

Each kind names who receives it (fixed by the kind, see docs/architecture.md), when
(`minutes`: before the deadline or window close; `after`: minutes past the deadline for a
reminder or escalation) and by which channels. Headquarters stores a dated `NoticeRules`
row to change them from a date on."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CHANNELS = ("inbox", "sms", "email")

DEFAULT_RULES: dict[str, dict[str, Any]] = {
    # persons under observation, before each window closes, with their personal link
    "checkin_reminder": {"minutes": 60, "channels": ["sms"]},
    # grid workers / village staff: a digest after each sweep
    "missed_checkins": {"channels": ["inbox", "sms"]},
    # grid workers: one digest of today's door-to-door visits, at this time
    "visits_today": {"at": "08:00", "channels": ["inbox", "sms"]},
    # grid workers: a visit whose clock breaches within `minutes`
    "visit_breach": {"minutes": 120, "channels": ["inbox", "sms"]},
    # doctors: a report clock (2 h / 24 h) `minutes` before breach; then the head
    "report_clock": {"minutes": 30, "channels": ["inbox", "sms"], "urgent": True},
    "report_clock_breached": {"channels": ["inbox", "sms"], "urgent": True},
    # every addressed node: the directive at once
    "directive": {"channels": ["inbox", "sms"]},
    # the silent ones `minutes` before the deadline, then their parent node after it
    "directive_reminder": {"minutes": 120, "channels": ["inbox", "sms"]},
    "directive_escalated": {"after": 0, "channels": ["inbox", "sms"]},
    # owners before (`minutes`) and at their deadlines
    "rectification": {"minutes": 1440, "channels": ["inbox", "sms"]},
    "question": {"minutes": 60, "channels": ["inbox"]},
    "care": {"minutes": 240, "channels": ["inbox", "sms"]},
    "report_upward": {"minutes": 120, "channels": ["inbox"]},
    # headquarters
    "supply_low": {"channels": ["inbox", "email"]},
    "price_alert": {"channels": ["inbox", "email"]},
}


# Kinds whose rule the platform fixes (not in the dated rule set): a one-time code goes
# by SMS at once, quiet hours or not, or the visitor at the form never gets it.
FIXED_RULES: dict[str, dict[str, Any]] = {
    "phone_code": {"channels": ["sms"], "urgent": True},
}


def validate_rules(data: Any) -> dict[str, dict[str, Any]]:
    """The rules as given, checked: a known kind, known channels, whole minutes."""
    if not isinstance(data, dict):
        raise ValidationError({"rules": _("the rules must be an object keyed by kind")})
    out: dict[str, dict[str, Any]] = {}
    for kind, rule in data.items():
        field = f"rules.{kind}"
        if kind not in DEFAULT_RULES:
            raise ValidationError({field: _("unknown kind of notice")})
        if not isinstance(rule, dict):
            raise ValidationError({field: _("each rule must be an object")})
        out[kind] = {name: _setting(f"{field}.{name}", name, value) for name, value in rule.items()}
    return out


def _setting(field: str, name: str, value: Any) -> Any:
    """One setting of a rule, checked (`field` names it in the error)."""
    if name == "channels":
        if not isinstance(value, list) or any(c not in CHANNELS for c in value):
            raise ValidationError({field: _("channels must be among inbox, sms, email")})
        return list(dict.fromkeys(value))
    if name in ("minutes", "after"):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10080:
            raise ValidationError({field: _("a whole number of minutes from 0 to 10080")})
        return value
    if name == "at":
        try:
            dt.time.fromisoformat(str(value))
        except ValueError:
            raise ValidationError({field: _("a time of day like 08:00")}) from None
        return str(value)
    if name == "urgent":
        return bool(value)
    raise ValidationError({field: _("unknown setting")})
