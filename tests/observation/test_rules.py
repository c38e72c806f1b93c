import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from fangkong.observation import rules

R = SimpleNamespace(
    days=14,
    morning_start=dt.time(6),
    morning_end=dt.time(12),
    evening_start=dt.time(16),
    evening_end=dt.time(22),
    fever_threshold=Decimal("37.3"),
    min_temperature=Decimal("34.0"),
    max_temperature=Decimal("43.0"),
    referral_symptoms=["fever", "cough", "shortness_of_breath", "diarrhoea"],
    negative_test_required=False,
)


def test_planned_end_is_fourteen_days_after_last_exposure():
    assert rules.planned_end(dt.date(2020, 2, 1), R) == dt.date(2020, 2, 15)


def test_a_new_exposure_moves_the_end_only_forward():
    assert rules.moved_exposure(dt.date(2020, 2, 5), dt.date(2020, 2, 7)) == dt.date(2020, 2, 7)
    assert rules.moved_exposure(dt.date(2020, 2, 5), dt.date(2020, 2, 3)) == dt.date(2020, 2, 5)


@pytest.mark.parametrize(
    "value,expected",
    [
        ("36.5", Decimal("36.5")),
        ("37,3", Decimal("37.3")),
        (34, Decimal("34.0")),
        ("43.0", Decimal("43.0")),
    ],
)
def test_valid_temperatures_are_parsed(value, expected):
    assert rules.parse_temperature(value, R) == expected


@pytest.mark.parametrize("value", ["33.9", "43.1", "-1", "abc", "", "nan", "inf"])
def test_temperatures_outside_the_range_are_refused_with_the_range(value):
    with pytest.raises(rules.InputError) as exc:
        rules.parse_temperature(value, R)
    assert exc.value.field == "temperature"
    if value not in ("abc", ""):
        assert "34.0" in str(exc.value) and "43.0" in str(exc.value)


def test_fever_threshold_is_inclusive():
    assert rules.is_febrile(Decimal("37.3"), R)
    assert not rules.is_febrile(Decimal("37.2"), R)


def test_referral_on_fever_or_a_listed_symptom_only():
    assert rules.needs_referral(Decimal("37.5"), [], R)
    assert rules.needs_referral(Decimal("36.5"), ["cough"], R)
    assert not rules.needs_referral(Decimal("36.5"), ["fatigue"], R)


def test_unknown_symptom_is_an_input_error():
    with pytest.raises(rules.InputError):
        rules.clean_symptoms(["sneezing"])
    assert rules.clean_symptoms("cough,cough,fatigue") == ["cough", "fatigue"]


def test_windows():
    assert rules.window_of(dt.time(7), R) == ("morning", True)
    assert rules.window_of(dt.time(13), R) == ("morning", False)
    assert rules.window_of(dt.time(19), R) == ("evening", True)
    assert rules.window_of(dt.time(23), R) == ("evening", False)


def test_due_window_is_the_last_closed_one():
    d = dt.date(2020, 2, 10)
    assert rules.due_window(dt.datetime.combine(d, dt.time(12, 30)), R) == (d, "morning")
    assert rules.due_window(dt.datetime.combine(d, dt.time(22, 30)), R) == (d, "evening")
    assert rules.due_window(dt.datetime.combine(d, dt.time(8)), R) == (
        d - dt.timedelta(days=1),
        "evening",
    )


def test_release_refusals():
    end = dt.date(2020, 2, 15)
    kw = dict(planned_end=end, status="active", symptomatic=False, negative_test_on=None, r=R)
    assert rules.release_refusal(today=end, **kw) is None
    assert "2020-02-15" in rules.release_refusal(today=end - dt.timedelta(days=1), **kw)
    assert rules.release_refusal(today=end, **{**kw, "symptomatic": True})
    assert rules.release_refusal(today=end, **{**kw, "status": "referred"})
    strict = SimpleNamespace(**{**vars(R), "negative_test_required": True})
    assert rules.release_refusal(today=end, **{**kw, "r": strict})
    assert rules.release_refusal(today=end, **{**kw, "r": strict, "negative_test_on": end}) is None
