"""R11 and R12 as a table: facts in, colour out."""

import datetime as dt

import pytest

from fangkong.healthcode.models import CodeRules
from fangkong.healthcode.rules import Facts, derive, normal_streak

# The published defaults: red for 14 days after discharge, a high-risk stay, a possible
# contact…; green again after 14 normal check-ins from red, 7 from yellow.
R = CodeRules()
TODAY = dt.date(2020, 3, 20)


def days_back(n: int, abnormal_on: int | None = None) -> dict[dt.date, bool]:
    """Check-ins on the last n days (today included); one abnormal n days ago if given."""
    out = {TODAY - dt.timedelta(days=i): False for i in range(n)}
    if abnormal_on is not None:
        out[TODAY - dt.timedelta(days=abnormal_on)] = True
    return out


def ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


TABLE = [
    ("nobody", Facts(), "green"),
    ("case in care", Facts(case_in_care=True), "red"),
    ("discharged 5 days ago", Facts(discharged_on=ago(5)), "red"),
    ("discharged 14 days ago", Facts(discharged_on=ago(14)), "green"),
    ("under observation", Facts(under_observation=True), "red"),
    ("centralised", Facts(under_observation=True, centralised=True), "red"),
    ("close contact 3 days ago", Facts(close_contact_on=ago(3), checkins=days_back(3)), "red"),
    (
        "close contact, 14 days and 14 check-ins",
        Facts(close_contact_on=ago(14), checkins=days_back(14)),
        "green",
    ),
    (
        "close contact, 20 days but 13 check-ins",
        Facts(close_contact_on=ago(20), checkins=days_back(13)),
        "red",
    ),
    ("high-risk arrival 2 days ago", Facts(high_risk_arrival=ago(2)), "red"),
    ("medium-risk arrival 2 days ago", Facts(medium_risk_arrival=ago(2)), "yellow"),
    (
        "medium-risk arrival, 7 normal check-ins",
        Facts(medium_risk_arrival=ago(7), checkins=days_back(7)),
        "green",
    ),
    ("medium-risk arrival 20 days ago", Facts(medium_risk_arrival=ago(20)), "green"),
    ("fever 1 day ago", Facts(abnormal_on=ago(1), checkins=days_back(2, abnormal_on=1)), "yellow"),
    (
        "fever 7 days ago then 7 normal",
        Facts(abnormal_on=ago(7), checkins=days_back(8, abnormal_on=7)),
        "green",
    ),
    ("possible contact 2 days ago", Facts(possible_contact_on=ago(2)), "yellow"),
    ("red beats yellow", Facts(case_in_care=True, medium_risk_arrival=ago(1)), "red"),
    (
        "override wins",
        Facts(case_in_care=True, override=("green", "misidentified person")),
        "green",
    ),
]


@pytest.mark.parametrize(("label", "facts", "colour"), TABLE, ids=[t[0] for t in TABLE])
def test_colour_rules(label, facts, colour):
    got, reasons = derive(facts, R, TODAY)
    assert got == colour
    assert bool(reasons) == (colour != "green" or facts.override is not None)


def test_abnormal_checkin_restarts_the_count():
    checkins = days_back(10, abnormal_on=3)
    assert normal_streak(checkins, ago(30), TODAY) == 3


def test_streak_allows_today_not_yet_reported():
    checkins = {ago(i): False for i in range(1, 8)}
    assert normal_streak(checkins, ago(30), TODAY) == 7
