"""Issue #21: the check-in through a person's signed link is the busiest write. A normal
reading costs a stated number of statements (the health code judged on its stored basis,
no background task); a fever changes the code in the same request and is handed to the
background consumers."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fangkong.core import clock
from fangkong.healthcode.models import HealthCode
from fangkong.observation import links
from fangkong.observation.models import CheckIn, Referral
from tests.observation.conftest import at, cid

DAY0 = dt.date(2020, 2, 10)
pytestmark = pytest.mark.django_db
# lock the period; insert the reading with the update of the period (one statement on
# PostgreSQL); read the code; write its reasons and basis (the streak moved on)
NORMAL_STATEMENTS = 4 if connection.vendor == "postgresql" else 5


def _statements(captured) -> list[str]:
    return [
        q["sql"]
        for q in captured
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO"))
    ]


def _post(client, token, temperature):
    return client.post(
        f"/api/v1/observation/self/{token}/checkins",
        {"client_id": cid(), "temperature": temperature},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_a_normal_reading_is_cheap_and_a_fever_changes_the_code_at_once(
    client, start, django_capture_on_commit_callbacks
):
    with clock.frozen(at(DAY0, 9)):
        period = start(last_exposure=DAY0)
    token = links.make_token(period)
    pid = period.person_id
    day1 = DAY0 + dt.timedelta(days=1)
    with clock.frozen(at(day1, 7, 30)):
        assert _post(client, token, "36.5").status_code == 201  # first of the day: full
        code = HealthCode.objects.get(person_id=pid)
        assert code.basis_on == day1
    with clock.frozen(at(day1, 8)):
        with (
            CaptureQueriesContext(connection) as q,
            django_capture_on_commit_callbacks() as later,
        ):
            r = _post(client, token, "36.6")
        assert r.status_code == 201
        assert len(_statements(q.captured_queries)) <= NORMAL_STATEMENTS, _statements(
            q.captured_queries
        )
        assert later == []  # a routine reading enqueues no background task
        assert CheckIn.objects.filter(period=period).count() == 2
        assert HealthCode.objects.get(person_id=pid).reasons == ["医学观察中"]
    with clock.frozen(at(day1, 19)):
        with django_capture_on_commit_callbacks() as later:
            r = _post(client, token, "38.5")
        assert r.status_code == 201
        # the same request: the reading, the referral and the code's new reason
        code = HealthCode.objects.get(person_id=pid)
        assert code.colour == "red"
        assert any("报告发热或症状" in reason for reason in code.reasons)
        assert Referral.objects.filter(period=period).count() == 1
        assert len(later) == 1  # the briefing hears of it after the commit


def test_the_link_limit_holds_and_its_refusal_stores_nothing(client, start):
    from fangkong.observation.models import ObservationRules

    with clock.frozen(at(DAY0, 9)):
        period = start(last_exposure=DAY0)
    token = links.make_token(period)
    limit = ObservationRules.objects.order_by("-effective_from").first().link_readings_per_window
    day1 = DAY0 + dt.timedelta(days=1)
    with clock.frozen(at(day1, 8)):
        sent = [cid() for _ in range(limit)]
        for c in sent:
            r = client.post(
                f"/api/v1/observation/self/{token}/checkins",
                {"client_id": c, "temperature": "36.6"},
                content_type="application/json",
            )
            assert r.status_code == 201
        refused = _post(client, token, "36.7")
        assert refused.status_code == 422 and "temperature" in refused.text
        again = client.post(  # a resend of a stored reading is no new one
            f"/api/v1/observation/self/{token}/checkins",
            {"client_id": sent[0], "temperature": "36.6"},
            content_type="application/json",
        )
        assert again.status_code == 200
    period.refresh_from_db()
    assert CheckIn.objects.filter(period=period).count() == limit
    assert period.last_temperature is not None and str(period.last_temperature) == "36.6"
