"""County risk level (R15) and five-colour rating (R16) as tables of cases."""

from dataclasses import replace
from datetime import date

import pytest

from fangkong.analytics.inputs import AnalyticsInputError
from fangkong.analytics.risk import (
    COUNTY_RISK_2020,
    FIVE_COLOUR_2020,
    Colour,
    FiveColourParams,
    Measure,
    RiskLevel,
    county_risk_level,
    five_colour_rating,
)


@pytest.mark.parametrize(
    ("days_since_last_case", "cumulative", "clusters", "level"),
    [
        (None, 0, 0, RiskLevel.LOW),  # never a case
        (14, 120, 2, RiskLevel.LOW),  # 14 quiet days outweigh the history
        (30, 3, 0, RiskLevel.LOW),
        (13, 120, 2, RiskLevel.HIGH),
        (0, 51, 1, RiskLevel.HIGH),
        (0, 50, 1, RiskLevel.MEDIUM),  # high needs more than 50
        (0, 51, 0, RiskLevel.MEDIUM),  # ... and a cluster
        (5, 3, 0, RiskLevel.MEDIUM),
    ],
)
def test_county_risk_level(days_since_last_case, cumulative, clusters, level):
    risk = county_risk_level(
        days_since_last_case=days_since_last_case,
        cumulative_confirmed=cumulative,
        clusters_in_window=clusters,
    )
    assert risk.level == level
    assert risk.reason


@pytest.mark.parametrize(
    ("level", "strategy"),
    [
        (RiskLevel.LOW, {Measure.PREVENT_IMPORT}),
        (RiskLevel.MEDIUM, {Measure.PREVENT_IMPORT, Measure.PREVENT_SPREAD}),
        (
            RiskLevel.HIGH,
            {Measure.PREVENT_SPREAD, Measure.PREVENT_EXPORT, Measure.STRICT_CONTROL},
        ),
    ],
)
def test_each_level_carries_its_strategy(level, strategy):
    inputs = {
        RiskLevel.LOW: (None, 0, 0),
        RiskLevel.MEDIUM: (1, 10, 0),
        RiskLevel.HIGH: (1, 60, 1),
    }[level]
    risk = county_risk_level(
        days_since_last_case=inputs[0], cumulative_confirmed=inputs[1], clusters_in_window=inputs[2]
    )
    assert set(risk.strategy) == strategy


def test_a_later_dated_rule_set_changes_the_thresholds():
    stricter = replace(
        COUNTY_RISK_2020, effective_from=date(2020, 3, 1), quiet_days_for_low=7, cumulative_above=20
    )
    kwargs = {"days_since_last_case": 8, "cumulative_confirmed": 30, "clusters_in_window": 1}
    assert county_risk_level(**kwargs).level == RiskLevel.MEDIUM
    assert county_risk_level(**kwargs, params=stricter).level == RiskLevel.LOW
    kwargs["days_since_last_case"] = 2
    assert county_risk_level(**kwargs, params=stricter).level == RiskLevel.HIGH


def test_county_risk_refuses_negative_counts():
    with pytest.raises(AnalyticsInputError, match="cumulative_confirmed"):
        county_risk_level(days_since_last_case=1, cumulative_confirmed=-1, clusters_in_window=0)


@pytest.mark.parametrize(
    ("cumulative", "local", "clusters", "quiet_days", "colour", "base", "eased"),
    [
        (0, 0, 0, None, Colour.GREEN, Colour.GREEN, 0),
        (1, 0, 0, 0, Colour.BLUE, Colour.BLUE, 0),  # any case is at least blue
        (25, 0, 0, 0, Colour.BLUE, Colour.BLUE, 0),  # score 0.20
        (25, 25, 0, 0, Colour.ORANGE, Colour.ORANGE, 0),  # 0.2 + 0.3 = 0.50
        (50, 25, 1, 0, Colour.ORANGE, Colour.ORANGE, 0),  # 0.4 + 0.15 + 0.1 = 0.65
        (20, 10, 1, 1, Colour.YELLOW, Colour.YELLOW, 0),  # 0.16 + 0.15 + 0.1 = 0.41
        (60, 60, 3, 2, Colour.RED, Colour.RED, 0),  # 1.0
        (60, 60, 3, 3, Colour.ORANGE, Colour.RED, 1),  # 3 days without a new case
        (60, 60, 3, 6, Colour.ORANGE, Colour.RED, 1),
        (60, 60, 3, 7, Colour.YELLOW, Colour.RED, 2),  # 7 days
        (1, 1, 0, 30, Colour.GREEN, Colour.YELLOW, 2),  # 0.008 + 0.3 = 0.308, eased twice
        (1, 0, 0, 10, Colour.GREEN, Colour.BLUE, 1),  # never below green
    ],
)
def test_five_colour_rating(cumulative, local, clusters, quiet_days, colour, base, eased):
    rating = five_colour_rating(
        cumulative_confirmed=cumulative,
        local_cases=local,
        clusters=clusters,
        days_since_last_case=quiet_days,
    )
    assert (rating.colour, rating.base_colour, rating.eased_by) == (colour, base, eased)
    assert 0.0 <= rating.score <= 1.0
    assert set(rating.components) == {"cumulative", "local_share", "clusters"}


def test_five_colour_weights_are_configurable():
    only_cumulative = replace(FIVE_COLOUR_2020, weight_local_share=0.0, weight_clusters=0.0)
    kwargs = {
        "cumulative_confirmed": 40,
        "local_cases": 0,
        "clusters": 0,
        "days_since_last_case": 0,
    }
    assert five_colour_rating(**kwargs).colour == Colour.YELLOW  # 0.32
    assert five_colour_rating(**kwargs, params=only_cumulative).colour == Colour.RED  # 0.8


def test_five_colour_easing_is_configurable():
    slow = replace(FIVE_COLOUR_2020, easing=((5, 1), (14, 3)))
    kwargs = {"cumulative_confirmed": 60, "local_cases": 60, "clusters": 3}
    assert five_colour_rating(**kwargs, days_since_last_case=4, params=slow).colour == Colour.RED
    assert five_colour_rating(**kwargs, days_since_last_case=14, params=slow).colour == Colour.BLUE


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weight_cumulative": -0.1}, "weights"),
        ({"weight_cumulative": 0, "weight_local_share": 0, "weight_clusters": 0}, "weights"),
        ({"cutoffs": (0.5, 0.25, 0.75)}, "cut-offs"),
        ({"easing": ((-1, 1),)}, "easing"),
        ({"cumulative_full": 0}, "saturation"),
    ],
)
def test_bad_five_colour_parameters_are_refused(kwargs, message):
    with pytest.raises(AnalyticsInputError, match=message):
        FiveColourParams(effective_from=date(2020, 2, 9), source="test", **kwargs)


def test_local_cases_cannot_exceed_cumulative():
    with pytest.raises(AnalyticsInputError, match="local cases"):
        five_colour_rating(
            cumulative_confirmed=3, local_cases=4, clusters=0, days_since_last_case=0
        )


def test_parameter_sets_are_dated_and_sourced():
    for params in (COUNTY_RISK_2020, FIVE_COLOUR_2020):
        assert params.effective_from.year == 2020
        assert params.source
