"""SMS codes: at most five per number per hour, and the newest live code is the one that
counts even when two were sent at the same instant."""

import re

import pytest
from django.core.exceptions import ValidationError

from fangkong.core import clock, otp_codes
from fangkong.core.sms import OutboxGateway
from tests.public.conftest import DAY0, at

PHONE = "13905750123"


def test_five_codes_per_number_per_hour(db):
    with clock.frozen(at(DAY0, 9)):
        for _ in range(otp_codes.SENDS_PER_PHONE):
            otp_codes.send(PHONE)
        with pytest.raises(ValidationError) as refused:
            otp_codes.send(PHONE)
        assert "phone" in refused.value.message_dict
        otp_codes.send("13905750124")  # another number is not held back
    with clock.frozen(at(DAY0, 10, 1)):
        otp_codes.send(PHONE)
    assert len([m for m in OutboxGateway.outbox if m.phone == PHONE]) == 6


def test_the_newest_code_counts_when_two_share_a_timestamp(db):
    with clock.frozen(at(DAY0, 9)):
        otp_codes.send(PHONE)
        otp_codes.send(PHONE)
        newest = re.search(r"\d{6}", OutboxGateway.last_to(PHONE).text).group()
        assert otp_codes.verify(PHONE, newest) == PHONE
