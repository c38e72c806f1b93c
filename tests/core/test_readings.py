"""The one temperature parser and the one client-id parser (core.readings), with the
options its four callers use; the one parser of a pick of listed choices."""

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


def test_a_moment_without_an_offset_is_shaoxing_time():
    """Gate devices, phones and partner cities write "2020-02-10 09:30": half past nine
    in Shaoxing (UTC+8), whatever zone the request happened to activate."""
    import datetime as dt

    from django.utils import timezone

    utc = dt.UTC
    with timezone.override("UTC"):  # an activated zone does not change the reading
        seen = readings.moment("2020-02-10 09:30")
    assert seen == dt.datetime(2020, 2, 10, 1, 30, tzinfo=utc)
    assert readings.moment("2020-02-10T09:30:00+00:00") == dt.datetime(
        2020, 2, 10, 9, 30, tzinfo=utc
    )
    assert readings.moment(dt.datetime(2020, 2, 10, 9, 30)).utcoffset() == dt.timedelta(hours=8)
    assert readings.moment("2020-02-10", day_at=dt.time(18)) == dt.datetime(
        2020, 2, 10, 10, 0, tzinfo=utc
    )
    for bad in ("2020-02-10", "明天", "", None, 37):
        with pytest.raises(readings.NotANumber):
            readings.moment(bad)


def test_choices_picked_once_in_order_from_a_list_or_text():
    allowed = ["cough", "fatigue", "fever"]
    assert readings.choices(None, allowed) == []
    assert readings.choices("", allowed) == []
    assert readings.choices("cough, ,fever,cough", allowed) == ["cough", "fever"]
    assert readings.choices([" fatigue", "cough", "fatigue"], allowed) == ["fatigue", "cough"]
    with pytest.raises(readings.Unlisted) as refused:
        readings.choices("cough, sneezing ,headache", allowed)
    assert refused.value.args[0] == "sneezing"  # the first one, stripped


def test_client_id_and_reported_temperature_refuse_under_their_field():
    """The check-in, the scan and the resident's daily report word these refusals alike."""
    from django.core.exceptions import ValidationError
    from django.utils import translation

    known = uuid.uuid4()
    assert readings.client_id_field(str(known)) == known
    assert readings.reported_temperature("43.04") == Decimal("43.0")
    with translation.override("en"):
        for call, value, refusal in [
            (
                readings.client_id_field,
                "not-a-uuid",
                {"client_id": ["the client id must be a UUID"]},
            ),
            (readings.reported_temperature, "36,8", {"temperature": ["not a number"]}),
            (
                readings.reported_temperature,
                "43.1",
                {"temperature": ["a body temperature is between 34 and 43 °C"]},
            ),
        ]:
            with pytest.raises(ValidationError) as refused:
                call(value)
            assert refused.value.message_dict == refusal
