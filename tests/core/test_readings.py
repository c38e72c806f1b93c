"""The one temperature parser and the one client-id parser (core.readings), with the
options its four callers use."""

import uuid
from decimal import Decimal

import pytest

from fangkong.core import readings

LOW, HIGH = Decimal("34"), Decimal("43")


@pytest.mark.parametrize(
    ("text", "commas", "expected"),
    [
        ("37.26", ",", Decimal("37.3")),
        (" 36,8 ", ",", Decimal("36.8")),
        ("36，8", "，,", Decimal("36.8")),
        (37, ",", Decimal("37.0")),
        (36.55, "", Decimal("36.6")),
    ],
)
def test_temperature_reads_one_decimal(text, commas, expected):
    assert readings.temperature(text, LOW, HIGH, commas=commas) == expected


@pytest.mark.parametrize("text", ["", "abc", "36，8", None, "37,5"])
def test_temperature_not_a_number(text):
    with pytest.raises(readings.NotANumber):
        readings.temperature(text, LOW, HIGH, commas="")


@pytest.mark.parametrize("text", ["33.9", "43.1", "NaN", "Infinity", "1e9"])
def test_temperature_out_of_range(text):
    with pytest.raises(readings.OutOfRange):
        readings.temperature(text, LOW, HIGH)


def test_round_first_checks_the_rounded_reading():
    assert readings.temperature("43.04", LOW, HIGH, round_first=True) == Decimal("43.0")
    with pytest.raises(readings.OutOfRange):
        readings.temperature("43.04", LOW, HIGH)
    with pytest.raises(readings.OutOfRange):  # NaN is refused, not an error of the server
        readings.temperature("NaN", LOW, HIGH, round_first=True)


def test_client_id():
    known = uuid.uuid4()
    assert readings.client_id(known) is known
    assert readings.client_id(str(known).upper()) == known
    assert readings.client_id(known.hex) == known
    for bad in ("", "not-a-uuid", None, 42):
        with pytest.raises(readings.NotANumber):
            readings.client_id(bad)
