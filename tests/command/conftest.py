"""Fixtures for command tests: headquarters at each level, a clock, an API token."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

TZ = ZoneInfo("Asia/Shanghai")
DAY0 = dt.date(2020, 2, 10)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


@pytest.fixture
def county_hq(make_user):
    return make_user("county_hq", "330602")


@pytest.fixture
def zhuji_hq(make_user):
    return make_user("county_hq", "330681")


@pytest.fixture
def village_staff(make_user):
    from tests.conftest import HUAYUAN

    return make_user("village_staff", HUAYUAN)


@pytest.fixture
def login(client):
    def do(user):
        client.force_login(user)
        return client

    return do


@pytest.fixture
def auth(client):
    from fangkong.accounts.models import ApiToken
    from fangkong.core import clock

    def make(user):
        raw = ApiToken.new_raw()
        ApiToken.objects.create(
            user=user, digest=ApiToken.hash(raw), expires_at=clock.now() + dt.timedelta(days=3650)
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return make


@pytest.fixture
def directive(county_hq, node):
    """Yuecheng HQ to every town and village of Yuecheng on DAY0 09:00, due DAY0+2 18:00."""
    from fangkong.command import actions
    from fangkong.core import clock

    with clock.frozen(at(DAY0, 9)):
        return actions.issue_directive(
            county_hq,
            node("330602"),
            title="排查通知",
            text="请完成排查",
            owner=county_hq,
            deadline=at(DAY0 + dt.timedelta(days=2), 18),
            levels=["town", "village"],
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
