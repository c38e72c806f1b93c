"""The checks every mobilisation form shares: a bounded text, a listed choice, a whole
number in a range, the account to record and the deployment's time zone."""

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.core.access import invalid


def text(value: Any, field: str, max_len: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise invalid(field, _("This field is required."))
    if len(value) > max_len:
        raise invalid(field, _("At most %(n)s characters.") % {"n": max_len})
    return value


def choice(value: Any, field: str, choices: Any) -> str:
    if value not in choices.values:
        raise invalid(field, _("Choose one of the listed values."))
    return str(value)


def whole_number(value: Any, field: str, low: int, high: int) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise invalid(field, _("Enter a whole number.")) from None
    if not low <= n <= high:
        raise invalid(
            field, _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}
        )
    return n


def tz() -> dt.tzinfo:
    return timezone.get_default_timezone()
