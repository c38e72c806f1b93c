"""Shared by the health-code API tests: a county headquarters and the clock at the gate's
morning (opted into with `pytestmark = pytest.mark.usefixtures("gate_morning")`)."""

import datetime as dt

import pytest
from django.utils import timezone

from fangkong.core import clock
from tests.conftest import YUECHENG

T = timezone.make_aware(dt.datetime(2020, 3, 5, 9))


@pytest.fixture
def gate_morning():
    with clock.frozen(T):
        yield


@pytest.fixture
def hq(make_user):
    return make_user("county_hq", YUECHENG)
