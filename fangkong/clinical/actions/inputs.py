"""The readings clinical forms share: a time (never in the future), a body
temperature, a list of listed choices; bad input raises ValidationError naming the field."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from fangkong.core import clock, readings
from fangkong.core.access import invalid


def parse_time(value: Any, field: str) -> dt.datetime:
    """An aware datetime from input (now when empty); never in the future (a few
    minutes of clock skew allowed)."""
    found = optional_time(value, field)
    return clock.now() if found is None else found


def optional_time(value: Any, field: str) -> dt.datetime | None:
    if value in (None, ""):
        return None
    try:
        value = readings.moment(value)
    except readings.NotANumber:
        raise invalid(field, _("not a date and time (ISO 8601)")) from None
    if value > clock.now() + dt.timedelta(minutes=5):
        raise invalid(field, _("the time cannot be in the future"))
    return value


def parse_temperature(value: Any, field: str = "temperature") -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return readings.temperature(value, Decimal("34"), Decimal("43"))
    except readings.NotANumber:
        raise invalid(field, _("the temperature must be a number in °C")) from None
    except readings.OutOfRange:
        raise invalid(field, _("the temperature must be between 34 and 43 °C")) from None


def listed_choices(values: Any, allowed: list[str], field: str) -> list[str]:
    try:
        return readings.choices(values, allowed)
    except readings.Unlisted as exc:
        raise invalid(field, _("unknown value: %s") % exc.args[0]) from None
