"""Business rules of medical observation (R2–R6), as plain functions over plain values.

`r` is anything with the rule-set attributes (an `ObservationRules` row, or a plain
object in tests): days, morning_start/_end, evening_start/_end, fever_threshold,
min_temperature, max_temperature, referral_symptoms, negative_test_required.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from fangkong.core import readings
from fangkong.observation.choices import Symptom, Window


class InputError(ValueError):
    """Bad input, named by field; the message is shown to the reporter."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


def planned_end(last_exposure: dt.date, r: Any) -> dt.date:
    """R2: observation ends `days` days after the last exposure (or arrival)."""
    return last_exposure + dt.timedelta(days=int(r.days))


def moved_exposure(current: dt.date, new: dt.date) -> dt.date:
    """R2: a new exposure moves the end only forward; an older one changes nothing."""
    return max(current, new)


def window_of(local_time: dt.time, r: Any) -> tuple[str, bool]:
    """(window, on_time) for a reading taken at `local_time` (R3). Readings before the
    evening window opens count for the morning, later ones for the evening."""
    if local_time < r.evening_start:
        return Window.MORNING.value, r.morning_start <= local_time < r.morning_end
    return Window.EVENING.value, local_time < r.evening_end


def window_close(day: dt.date, window: str, r: Any) -> dt.time:
    return r.morning_end if window == Window.MORNING else r.evening_end


def due_window(local_now: dt.datetime, r: Any) -> tuple[dt.date, str]:
    """The last window that has closed at `local_now`: the one a sweep checks."""
    t = local_now.time()
    if t >= r.evening_end:
        return local_now.date(), Window.EVENING.value
    if t >= r.morning_end:
        return local_now.date(), Window.MORNING.value
    return local_now.date() - dt.timedelta(days=1), Window.EVENING.value


def parse_temperature(value: Any, r: Any) -> Decimal:
    """R4: a reading in °C with one decimal; outside the valid range is an input error."""
    low, high = Decimal(r.min_temperature), Decimal(r.max_temperature)
    try:
        return readings.temperature(value, low, high, commas="，,")
    except readings.NotANumber:
        raise InputError("temperature", _("the temperature must be a number in °C")) from None
    except readings.OutOfRange:
        raise InputError(
            "temperature",
            _("the temperature must be between %(low)s and %(high)s °C; check the thermometer")
            % {"low": low, "high": high},
        ) from None


def clean_symptoms(values: Any) -> list[str]:
    try:
        return readings.choices(values, set(Symptom.values))
    except readings.Unlisted as exc:
        raise InputError("symptoms", _("unknown symptom: %s") % exc.args[0]) from None


def is_febrile(temperature: Decimal, r: Any) -> bool:
    """R4: ≥ the threshold (37.3 °C by default) is fever."""
    return temperature >= Decimal(r.fever_threshold)


def needs_referral(temperature: Decimal, symptoms: list[str], r: Any) -> bool:
    """R5: fever or a referral symptom sends the person to a fever clinic."""
    return is_febrile(temperature, r) or any(s in r.referral_symptoms for s in symptoms)


def release_refusal(
    *,
    today: dt.date,
    planned_end: dt.date,
    status: str,
    symptomatic: bool,
    negative_test_on: dt.date | None,
    r: Any,
) -> str | None:
    """R6: why the period may not be released today, or None when it may."""
    if status != "active":
        return _("only a period under observation can be released")
    if today < planned_end:
        return _("the observation ends on %s") % planned_end.isoformat()
    if symptomatic:
        return _("the last check-in reported symptoms or fever")
    if r.negative_test_required:
        if negative_test_on is None:
            return _("a negative test at release is required")
        if negative_test_on > today or (planned_end - negative_test_on).days > 2:
            return _("the negative test must be taken in the last two days of the observation")
    return None
