"""Fixtures for command tests: headquarters at each level, a clock, an API token."""

import datetime as dt

import pytest

from tests import kit
from tests.kit import TZ, at  # noqa: F401  (their tests import them from here)

DAY0 = dt.date(2020, 2, 10)


@pytest.fixture
def directive(county_hq):
    """Yuecheng HQ to every town and village of Yuecheng on DAY0 09:00, due DAY0+2 18:00."""
    from fangkong.core import clock

    with clock.frozen(at(DAY0, 9)):
        return kit.directive(
            title="排查通知",
            by=county_hq,
            deadline=at(DAY0 + dt.timedelta(days=2), 18),
            levels=("town", "village"),
            feedback_required=True,
        )


@pytest.fixture
def template(county_hq, node):
    """A daily report from every town of Yuecheng, due 17:00, locked 24 h later."""
    from fangkong.command import actions
    from fangkong.core import clock

    with clock.frozen(at(DAY0 - dt.timedelta(days=1), 9)):
        return actions.create_report_template(
            county_hq,
            node("330602"),
            name="每日报告",
            level="town",
            deadline_time=dt.time(17),
            fields=["排查人数", "隔离人数"],
            starts_on=DAY0,
        )
