"""A replayed 14-day story: close contact → red → daily check-ins → green (R11, R12)."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from fangkong.core import clock
from fangkong.healthcode import actions
from fangkong.healthcode.facts import persons_with_facts
from fangkong.healthcode.models import CodeChange, HealthCode
from tests.conftest import YUECHENG

DAY0 = dt.date(2020, 3, 2)


def at(day: dt.date, hour: int = 8) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


@pytest.mark.django_db
def test_close_contact_turns_red_and_back_to_green_after_14_normal_days(
    make_person, make_user, django_capture_on_commit_callbacks
):
    from fangkong.observation.actions import release
    from fangkong.observation.models import ObservationPeriod
    from fangkong.tracing import actions as tracing

    cdc = make_user("cdc", YUECHENG)
    case_person, contact_person = make_person("病例"), make_person("密接")
    with clock.frozen(at(DAY0)):
        actions.recompute_persons([contact_person.pk])
        assert actions.colour_of(contact_person.pk) == "green"
        with django_capture_on_commit_callbacks(execute=True):
            index = tracing.open_index_case(
                cdc, case_person, {"onset_date": DAY0 - dt.timedelta(days=1), "isolated_on": DAY0}
            )
            contact = tracing.add_contact(
                cdc,
                index,
                {
                    "person": contact_person,
                    "setting": "household",
                    "first_exposure": DAY0 - dt.timedelta(days=3),
                    "last_exposure": DAY0,
                },
            )
            tracing.confirm_contact(cdc, contact)
        code = HealthCode.objects.get(person=contact_person)
        assert code.colour == "red"
        assert any("医学观察" in r for r in code.reasons)  # stored in Chinese
    period = ObservationPeriod.objects.get(person=contact_person)
    for n in range(1, 15):
        day = DAY0 + dt.timedelta(days=n)
        with clock.frozen(at(day)):
            actions.daily_checkin(contact_person, client_id=uuid.uuid4(), temperature="36.6")
            actions.recompute_all()
            colour = HealthCode.objects.get(person=contact_person).colour
            assert colour == "red", f"day {n}"
    with clock.frozen(at(DAY0 + dt.timedelta(days=14), 10)):
        period.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            release(cdc, period)
        code = HealthCode.objects.get(person=contact_person)
        assert code.colour == "green", code.reasons
    history = list(CodeChange.objects.filter(person=contact_person).order_by("at", "pk"))
    assert [h.to_colour for h in history] == ["green", "red", "green"]


@pytest.mark.django_db
def test_fever_checkin_turns_yellow_and_seven_normal_days_bring_green(make_person):
    person = make_person()
    with clock.frozen(at(DAY0)):
        actions.daily_checkin(person, client_id=uuid.uuid4(), temperature="38.1")
        assert actions.recompute_person(person.pk) == "yellow"
    for n in range(1, 8):
        with clock.frozen(at(DAY0 + dt.timedelta(days=n))):
            actions.daily_checkin(person, client_id=uuid.uuid4(), temperature="36.5")
            expected = "green" if n == 7 else "yellow"
            assert actions.recompute_person(person.pk) == expected


@pytest.mark.django_db
def test_checkin_is_idempotent_and_validated(make_person):
    from django.core.exceptions import ValidationError

    person = make_person()
    cid = uuid.uuid4()
    with clock.frozen(at(DAY0)):
        first, created = actions.daily_checkin(person, client_id=cid, temperature="36.5")
        again, created_again = actions.daily_checkin(person, client_id=cid, temperature="39")
        assert created and not created_again and again.pk == first.pk
        with pytest.raises(ValidationError):
            actions.daily_checkin(person, client_id=uuid.uuid4(), temperature="50")


@pytest.mark.django_db
def test_batch_gives_green_to_everyone_without_facts(make_person):
    people = [make_person(f"人{i}") for i in range(3)]
    with clock.frozen(at(DAY0)):
        result = actions.recompute_all()
    assert result["new_green"] >= 3
    assert set(HealthCode.objects.filter(person__in=people).values_list("colour", flat=True)) == {
        "green"
    }


@pytest.mark.django_db
def test_key_area_arrival_on_a_pushed_list_is_red(make_person):
    from fangkong.screening.models import ScreeningSubject

    person = make_person("返乡人")
    with clock.frozen(at(DAY0)):
        ScreeningSubject.objects.create(  # as the screening import stores it
            person=person,
            name=person.name,
            node=person.node,
            path=person.path,
            key_area=True,
            arrival_at=at(DAY0 - dt.timedelta(days=2)),
            placement="registry",
        )
        assert actions.recompute_person(person.pk) == "red"
        assert person.pk in persons_with_facts(DAY0)
