"""One parser per reading that arrives as text from a form, a phone or a file: a body
temperature, a client-supplied record id, a moment (a date and time) and a pick of listed
choices. Each raises a plain error; the caller words the message for its own field, so
every page keeps its wording. Two readings are worded alike wherever a write takes them
(a check-in, a scan, a resident's daily report), so they refuse under their field here:
`client_id_field` and `reported_temperature`."""

import datetime as dt
import re
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.core.access import invalid

ONE_DECIMAL = Decimal("0.1")


class NotANumber(ValueError):
    """The text is not a number (or not an id)."""


class OutOfRange(ValueError):
    """A number, but not a finite one between the bounds."""


class Unlisted(ValueError):
    """A value that is not one of the choices (`args[0]`: the value, stripped)."""


def temperature(
    value: Any, low: Decimal, high: Decimal, *, commas: str = ",", round_first: bool = False
) -> Decimal:
    """A body temperature in °C, with one decimal.

    `commas` are read as the decimal point (a phone keyboard's "," or the full-width
    "，"). The bounds are checked on the reading as typed, or on the rounded reading
    with `round_first` (the gate's and the resident's daily report: 43.04 is 43.0)."""
    text = str(value).strip()
    for comma in commas:
        text = text.replace(comma, ".")
    try:
        reading = Decimal(text)
        if round_first:
            reading = reading.quantize(ONE_DECIMAL)
    except (InvalidOperation, ValueError):
        raise NotANumber(value) from None
    if not reading.is_finite() or not low <= reading <= high:
        raise OutOfRange(value)
    return reading.quantize(ONE_DECIMAL)


# A client id as clients write it (lower-case, hyphenated): the hot paths take it as it
# is and leave any other spelling to `client_id`.
UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def client_id(value: Any) -> uuid.UUID:
    """A client-supplied record id (idempotent writes from phones and offline devices):
    a UUID, or its text in any form `uuid.UUID` reads."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        raise NotANumber(value) from None


def client_id_field(value: Any) -> uuid.UUID:
    """`client_id` for a write that carries its own id, refused under "client_id"."""
    try:
        return client_id(value)
    except NotANumber:
        raise invalid("client_id", _("the client id must be a UUID")) from None


def reported_temperature(value: Any) -> Decimal:
    """A temperature taken at a venue's gate or reported by a resident for the day:
    34–43 °C, checked once rounded, no decimal comma; refused under "temperature"."""
    try:
        return temperature(value, Decimal("34.0"), Decimal("43.0"), commas="", round_first=True)
    except NotANumber:
        raise invalid("temperature", _("not a number")) from None
    except OutOfRange:
        raise invalid("temperature", _("a body temperature is between 34 and 43 °C")) from None


def moment(value: Any, *, day_at: dt.time | None = None) -> dt.datetime:
    """A date and time from ISO 8601 text (or a datetime), always aware. A time written
    without an offset is the deployment's local time (Asia/Shanghai: TIME_ZONE), never
    UTC — "2020-02-10 09:30" from a gate device means half past nine in Shaoxing. With
    `day_at`, a bare date is read as that time of the day; otherwise a date alone is not
    a moment."""
    if isinstance(value, str):
        text = value.strip()
        try:  # a bare date first: fromisoformat would read it as midnight
            value = dt.date.fromisoformat(text) if len(text) <= 10 else None
        except ValueError:
            value = None
        if value is None:
            try:
                value = dt.datetime.fromisoformat(text)
            except ValueError:
                raise NotANumber(text) from None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        if day_at is None:
            raise NotANumber(value)
        value = dt.datetime.combine(value, day_at)
    if not isinstance(value, dt.datetime):
        raise NotANumber(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    return value


def choices(values: Any, allowed: Any) -> list[str]:
    """The values picked from `allowed`, each once, in the order given: a list, or text
    separated by commas (its blank parts left out). The first value not in `allowed`
    raises `Unlisted`; nothing picked is an empty list."""
    if not values:
        return []
    if isinstance(values, str):
        values = [v for v in values.split(",") if v.strip()]
    out: list[str] = []
    for v in values:
        v = str(v).strip()
        if v not in allowed:
            raise Unlisted(v)
        if v not in out:
            out.append(v)
    return out
