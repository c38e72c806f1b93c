"""The facts registry (issue #15, item 1): consumers run inline in the writer's
transaction or as one background task after the commit; unknown facts are refused."""

import pytest
from django.db import transaction

from fangkong.core import facts


@pytest.fixture
def consumer():
    calls: list[tuple[str, str, list[int], dict]] = []

    def make(name, mode, wanted=facts.FACTS):
        facts.register(
            name, lambda f, ids, d: calls.append((name, f, ids, d)), facts=wanted, mode=mode
        )

    yield make, calls
    for name in ("t-inline", "t-task", "t-only-case"):
        facts.unregister(name)


def test_inline_runs_in_the_transaction_and_task_after_commit(db, consumer):
    make, calls = consumer
    make("t-inline", facts.INLINE)
    make("t-task", facts.TASK)
    with transaction.atomic():
        facts.changed(facts.CHECKIN, [5, None, 3, 5], period=9)
        assert ("t-inline", "checkin", [3, 5], {"period": 9}) in calls
        assert not any(c[0] == "t-task" for c in calls)  # not before the commit
    # pytest-django's db fixture never commits: run what waits for the commit.
    assert not any(c[0] == "t-task" for c in calls)


def test_task_consumers_run_once_as_one_task(db, consumer, django_capture_on_commit_callbacks):
    make, calls = consumer
    make("t-task", facts.TASK)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        facts.changed(facts.ARRIVAL, [7])
    assert len(callbacks) == 1
    assert [c for c in calls if c[0] == "t-task"] == [("t-task", "arrival", [7], {})]


def test_a_consumer_hears_only_the_facts_it_asked_for(db, consumer):
    make, calls = consumer
    make("t-only-case", facts.INLINE, [facts.CASE])
    facts.changed(facts.CHECKIN, [1])
    facts.changed(facts.CASE, [1], case=4, status="confirmed")
    assert [c[1] for c in calls if c[0] == "t-only-case"] == ["case"]


def test_unknown_facts_and_modes_are_refused():
    with pytest.raises(ValueError, match="unknown fact"):
        facts.changed("weather", [1])
    with pytest.raises(ValueError, match="unknown fact"):
        facts.register("x", lambda f, i, d: None, facts=["weather"])
    with pytest.raises(ValueError, match="mode"):
        facts.register("x", lambda f, i, d: None, mode="sometimes")


def test_health_code_and_tracing_are_registered_consumers():
    names = {c.name: c for c in facts.consumers()}
    assert names["healthcode"].mode == facts.INLINE
    assert names["healthcode"].facts == frozenset(facts.FACTS)
    assert facts.CASE in names["tracing"].facts


def test_no_domain_fact_travels_by_a_save_signal():
    from django.db.models.signals import post_save

    from fangkong.clinical.models import Case
    from fangkong.observation.models import CheckIn, ObservationPeriod

    for model in (Case, CheckIn, ObservationPeriod):
        assert not post_save.has_listeners(model) or all(
            "healthcode" not in repr(r) for r in post_save._live_receivers(model)[0]
        )
