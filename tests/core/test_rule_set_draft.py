"""`DatedRuleSet.draft` and `save_by`: the one place a rule-set action opens a new dated
set, with the kernel's refusals, and stores it with its author."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from fangkong.care.models import CareRules
from fangkong.core import clock
from tests.kit import at


def _refusal(**kwargs):  # type: ignore[no-untyped-def]
    """The refusal under `effective_from`, in Chinese: the kernel's catalogue has it."""
    with pytest.raises(ValidationError) as refused:
        CareRules.draft(**kwargs)
    with translation.override("zh-hans"):
        return refused.value.message_dict["effective_from"]


@pytest.mark.django_db
def test_a_day_is_required_and_a_taken_day_refused(make_user):
    with clock.frozen(at(dt.date(2020, 2, 10))):
        assert _refusal(day=None) == ["必须填写生效日期"]
        assert _refusal(day=dt.date(2020, 2, 9), from_today=True) == ["新规则只能从今天或以后生效"]
        fresh = CareRules.draft(dt.date(2020, 2, 9))  # a past day is allowed unless from_today
        assert fresh.pk is None and fresh.effective_from == dt.date(2020, 2, 9)
        author = make_user("city_hq", "3306")
        stored = CareRules.draft(dt.date(2020, 2, 12)).save_by(author, solve_days=5)
        assert stored.pk and stored.created_by == author and stored.solve_days == 5
        assert _refusal(day=dt.date(2020, 2, 12)) == ["这一天已有生效的规则"]


@pytest.mark.django_db
def test_amend_future_returns_a_set_not_yet_in_force_and_refuses_one_in_force(make_user):
    author = make_user("city_hq", "3306")
    with clock.frozen(at(dt.date(2020, 2, 10))):
        future = CareRules.draft(dt.date(2020, 2, 12)).save_by(author)
        assert CareRules.draft(dt.date(2020, 2, 12), amend_future=True).pk == future.pk
    with clock.frozen(at(dt.date(2020, 2, 12))):
        assert _refusal(day=dt.date(2020, 2, 12), amend_future=True) == [
            "该日期已生效的规则不能改写"
        ]


@pytest.mark.django_db
def test_the_system_actor_is_no_author(system_user):
    with clock.frozen(at(dt.date(2020, 2, 10))):
        stored = CareRules.draft(dt.date(2020, 2, 10)).save_by(system_user)
    assert stored.pk and stored.created_by is None
