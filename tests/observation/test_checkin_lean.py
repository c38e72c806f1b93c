"""The person's check-in through their link on the lean path (issue #21 item 1,
settings.FANGKONG_LEAN_FAST): the usual reading is answered without django-ninja's
operation, with django-ninja's answer; everything else is handed to the API's view
before anything is written, and the API answers it as before."""

import datetime as dt

import pytest
from django.test import override_settings

from fangkong.core import clock
from fangkong.observation import api as observation_api
from fangkong.observation import links
from fangkong.observation.models import CheckIn, ObservationPeriod, Referral
from tests.observation.conftest import at, cid

pytestmark = pytest.mark.django_db
DAY0 = dt.date(2020, 2, 10)
DAY1 = DAY0 + dt.timedelta(days=1)
URL = "/api/v1/observation/self/{}/checkins"
ROUTE = "/api/v1/observation/self/<token>/checkins"


@pytest.fixture
def periods(start):
    with clock.frozen(at(DAY0, 13)):
        return [start(name=f"观察{i}", last_exposure=DAY0) for i in range(3)]


@pytest.fixture
def answered(monkeypatch):
    """What the lean function answered, request by request (None: handed over)."""
    seen: list = []
    original = observation_api.checkin_lean

    def spy(request, **kwargs):
        seen.append(original(request, **kwargs))
        return seen[-1]

    monkeypatch.setattr(observation_api, "checkin_lean", spy)
    # a setting of its own: the lean handler compiles its routes and imports the spy anew
    with override_settings(FANGKONG_LEAN_FAST={ROUTE: "fangkong.observation.api.checkin_lean"}):
        yield seen


def post(client, token, data):
    return client.post(URL.format(token), data, content_type="application/json")


def ninja(client, token, data):
    """The same request through django-ninja's view (no fast route)."""
    with override_settings(FANGKONG_LEAN_FAST={}):
        return post(client, token, data)


def same(a, b):
    drop = {"id": 0, "client_id": 0, "period_id": 0}
    return {**a.json(), **drop} == {**b.json(), **drop}


def test_the_usual_reading_is_answered_lean_as_the_api_answers(client, periods, answered):
    one, two = (links.make_token(p) for p in periods[:2])
    with clock.frozen(at(DAY1, 8)):
        for extra in (
            {"temperature": "36.6"},
            {"temperature": 36.8, "symptoms": ["cough"], "other_symptom": "乏力"},
            {"temperature": "36.5", "reporter_kind": "household_head"},
        ):
            answered.clear()
            lean = post(client, one, {"client_id": cid(), **extra})
            assert answered and answered[-1] is not None, extra
            full = ninja(client, two, {"client_id": cid(), **extra})
            assert answered[1:] == []  # the second went through django-ninja
            assert lean.status_code == full.status_code == 201, (lean.content, full.content)
            assert same(lean, full), (lean.json(), full.json())
            assert lean["Content-Type"] == full["Content-Type"]
        # the same client id again: the stored reading (200), the same bytes either way
        key = cid()
        assert post(client, one, {"client_id": key, "temperature": "36.4"}).status_code == 201
        answered.clear()
        again = post(client, one, {"client_id": key, "temperature": "36.4"})
        assert answered[-1] is not None and again.status_code == 200
        assert (
            again.content == ninja(client, one, {"client_id": key, "temperature": "36.4"}).content
        )
    assert CheckIn.objects.filter(client_id=key).count() == 1


def test_a_fever_refers_on_the_lean_path_as_on_the_api(client, periods, answered):
    token = links.make_token(periods[0])
    with clock.frozen(at(DAY1, 8)):
        r = post(client, token, {"client_id": cid(), "temperature": "38.2"})
    assert answered[-1] is not None and r.status_code == 201
    assert r.json()["febrile"] and r.json()["period_status"] == "referred"
    assert Referral.objects.filter(period=periods[0]).count() == 1


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"client_id": "not-a-uuid", "temperature": "36.6"}, 422),
        ({"client_id": "{KEY}", "temperature": "36.6"}, 201),  # another spelling
        ({"temperature": "36.6"}, 422),  # no client id
        ({"client_id": "{key}", "temperature": 37}, 201),  # an integer: django-ninja's
        ({"client_id": "{key}", "temperature": "50"}, 422),  # out of range: no write
        ({"client_id": "{key}", "temperature": "36.6", "symptoms": "cough"}, 422),
        ({"client_id": "{key}", "temperature": "36.6", "reporter_kind": "staff"}, 422),
        (
            {"client_id": "{key}", "temperature": "36.6", "taken_at": "2020-02-11T07:30:00+08:00"},
            201,
        ),
    ],
)
def test_everything_else_is_handed_over_before_any_write(client, periods, answered, data, status):
    key = cid()
    spelled = {"{key}": key, "{KEY}": key.upper()}
    data = {k: spelled.get(v, v) if isinstance(v, str) else v for k, v in data.items()}
    token = links.make_token(periods[0])
    with clock.frozen(at(DAY1, 8)):
        r = post(client, token, data)
    assert answered == [None] and r.status_code == status, r.content
    stored = CheckIn.objects.filter(period=periods[0]).count()
    assert stored == (status == 201), r.content
    if status == 422:
        assert r.json()["detail"]


def test_a_refused_link_is_answered_by_the_api(client, periods, answered):
    period = periods[0]
    token = links.make_token(period)
    with clock.frozen(at(DAY1, 8)):
        assert (
            post(client, "garbage", {"client_id": cid(), "temperature": "36.6"}).status_code == 404
        )
        ObservationPeriod.objects.filter(pk=period.pk).update(link_version=period.link_version + 1)
        r = post(client, token, {"client_id": cid(), "temperature": "36.6"})
    assert answered == [None, None] and r.status_code == 410 and r.json()["detail"]
    assert not CheckIn.objects.filter(period=period).exists()


def test_a_route_no_view_answers_is_resolved_by_django(client):
    """A fast route's pattern stands only for the view Django resolves its paths to: a
    path of the pattern that no view answers stays Django's 404."""
    route = "/api/v1/observation/nowhere/<token>"
    with override_settings(FANGKONG_LEAN_FAST={route: "fangkong.observation.api.checkin_lean"}):
        for _ in range(2):
            r = client.post("/api/v1/observation/nowhere/abc", {}, content_type="application/json")
            assert r.status_code == 404
