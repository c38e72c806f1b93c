"""Fixtures for notices and the schedule: a clock, accounts with phones, the outbox."""

import datetime as dt

import pytest

from tests.kit import TZ, at  # noqa: F401  (their tests import them from here)

DAY0 = dt.date(2020, 2, 10)


@pytest.fixture
def run_commits(django_capture_on_commit_callbacks):
    """Run what the code defers to the commit (task enqueues) inside the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def with_phone():
    from fangkong.notify import actions

    def give(user, phone="13905751234", **extra):
        return actions.save_preferences(user, {"phone": phone, **extra})

    return give


@pytest.fixture
def outbox():
    from fangkong.core import crypto
    from fangkong.notify.models import OutboxMessage

    def messages():
        return [
            (crypto.decrypt(bytes(m.phone_enc), "notify.outbox.phone"), m.template, m.text, m.key)
            for m in OutboxMessage.objects.order_by("pk")
        ]

    return messages
