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


@pytest.mark.django_db
def test_a_gate_reads_colour_name_and_code_life_in_one_query(
    make_person, django_assert_num_queries
):
    """Issue #21: verification is one query (the rule set's `qr_seconds` read with the
    code); a forged code is refused before any query; the life is the set in force."""
    from fangkong.healthcode.models import CodeRules

    person = make_person()
    CodeRules.objects.create(effective_from=T0.date() - dt.timedelta(days=9), qr_seconds=600)
    CodeRules.objects.create(effective_from=T0.date(), qr_seconds=30)
    CodeRules.objects.create(effective_from=T0.date() + dt.timedelta(days=1), qr_seconds=900)
    with clock.frozen(T0):
        actions.recompute_person(person.pk)
        token = tokens.qr_token(person.pk)
        with django_assert_num_queries(1):
            assert actions.verify_named(token) == (person.pk, "green", person.name)
        with django_assert_num_queries(0), pytest.raises(tokens.CodeError) as err:
            actions.verify_named(token[:-2] + "xx")
        assert err.value.kind == "forged"
    with clock.frozen(T0 + dt.timedelta(seconds=31)), pytest.raises(tokens.CodeError) as err:
        actions.verify_named(token)  # 30 s by the set in force today, not 600 or 900
    assert err.value.kind == "expired"
