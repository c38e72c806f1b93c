"""SMS codes: at most five per number per hour, and the newest live code is the one that
counts even when two were sent at the same instant."""

import re

import pytest
from django.core.exceptions import ValidationError

from fangkong.core import clock
from fangkong.public import actions
from fangkong.public.sms import OutboxGateway
from tests.public.conftest import DAY0, at

PHONE = "13905750123"


def test_five_codes_per_number_per_hour(db):
    with clock.frozen(at(DAY0, 9)):
        for _ in range(actions.CODES_PER_PHONE_PER_HOUR):
            actions.send_code(PHONE)
        with pytest.raises(ValidationError) as refused:
            actions.send_code(PHONE)
        assert "phone" in refused.value.message_dict
        actions.send_code("13905750124")  # another number is not held back
    with clock.frozen(at(DAY0, 10, 1)):
        actions.send_code(PHONE)
    assert len([m for m in OutboxGateway.outbox if m.phone == PHONE]) == 6


def test_the_newest_code_counts_when_two_share_a_timestamp(db):
    with clock.frozen(at(DAY0, 9)):
        actions.send_code(PHONE)
        actions.send_code(PHONE)
        newest = re.search(r"\d{6}", OutboxGateway.last_to(PHONE).text).group()
        assert actions.check_code(PHONE, newest) == PHONE
