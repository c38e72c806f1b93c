"""One parser per reading that arrives as text from a form, a phone or a file: a body
temperature and a client-supplied record id. Each raises a plain error; the caller words
the message for its own field, so every page keeps its wording."""

import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

ONE_DECIMAL = Decimal("0.1")


class NotANumber(ValueError):
    """The text is not a number (or not an id)."""


class OutOfRange(ValueError):
    """A number, but not a finite one between the bounds."""


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


def client_id(value: Any) -> uuid.UUID:
    """A client-supplied record id (idempotent writes from phones and offline devices):
    a UUID, or its text in any form `uuid.UUID` reads."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        raise NotANumber(value) from None
