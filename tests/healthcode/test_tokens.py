"""The QR code on the personal page: signed and short-lived; forged or expired refused."""

import datetime as dt

import pytest
from django.utils import timezone

from fangkong.core import clock
from fangkong.healthcode import actions, tokens

T0 = timezone.make_aware(dt.datetime(2020, 3, 1, 9, 0))


@pytest.mark.django_db
def test_fresh_code_verifies_and_expires_after_the_rule_set_seconds(make_person):
    person = make_person()
    with clock.frozen(T0):
        token = tokens.qr_token(person.pk)
        assert actions.verify(token) == (person.pk, "green")
    with clock.frozen(T0 + dt.timedelta(seconds=119)):
        assert actions.verify(token)[0] == person.pk
    with clock.frozen(T0 + dt.timedelta(seconds=121)):
        with pytest.raises(tokens.CodeError) as err:
            actions.verify(token)
        assert err.value.kind == "expired"


@pytest.mark.django_db
def test_forged_code_is_refused(make_person):
    person = make_person()
    with clock.frozen(T0):
        token = tokens.qr_token(person.pk)
        forged = str(person.pk + 1) + token[len(str(person.pk)) :]
        for bad in (forged, token[:-2] + "xx", "hello", ""):
            with pytest.raises(tokens.CodeError) as err:
                actions.verify(bad)
            assert err.value.kind == "forged"


def test_personal_link_is_signed():
    with clock.frozen(T0):
        assert tokens.read_personal(tokens.personal_token(42)) == 42
        with pytest.raises(tokens.CodeError):
            tokens.read_personal(tokens.personal_token(42) + "x")
        issued = tokens.personal_token(42)
    with clock.frozen(T0 + dt.timedelta(days=91)), pytest.raises(tokens.CodeError) as err:
        tokens.read_personal(issued)
    assert err.value.kind == "expired"
