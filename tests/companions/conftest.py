"""Shared inputs of the companion tests: a small synthetic city, generated once."""

import pytest

from fangkong.analytics.companions import simulate


@pytest.fixture(scope="session")
def small_city(tmp_path_factory):
    """2,000 persons over 6 days: big enough for an outbreak, small enough for Spark."""
    root = tmp_path_factory.mktemp("city")
    summary = simulate.simulate(
        root, simulate.CityParams(persons=2_000, days=6, seed=7, index_cases=6)
    )
    return root, summary


@pytest.fixture(scope="session")
def city(tmp_path_factory):
    """10,000 persons over 14 days: the recall test's city."""
    root = tmp_path_factory.mktemp("city10k")
    summary = simulate.simulate(root, simulate.CityParams(persons=10_000, days=14, seed=3))
    return root, summary
