"""Contacts through the actions: R1 by the rule in force, confirmation into observation
or screening, secondary contacts, bad input."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from fangkong.tracing import actions
from fangkong.tracing.models import Contact

D = dt.date


@pytest.fixture
def on_day(frozen_on):
    frozen_on(D(2020, 3, 5))


def test_r1_is_the_protocol_in_force_on_the_assessment_day(db, cdc, index_case, frozen_on):
    """Issue #15: an exposure on 02-20 to a case with onset on 02-21 is not close when
    assessed on 02-20 (2nd ed.: from the onset) but close when assessed on 02-25 (5th ed.:
    from 2 days before the onset), although the exposure predates the 5th edition."""
    frozen_on(D(2020, 2, 20))
    case = index_case(onset=D(2020, 2, 21), isolated=D(2020, 2, 22))
    exposure = {"setting": "workplace", "first_exposure": D(2020, 2, 20), "proximity_m": "0.5"}
    early = actions.add_contact(cdc, case, {"name": "甲", **exposure})
    assert early.category == "general" and early.rules.effective_from == D(2019, 12, 1)
    frozen_on(D(2020, 2, 25))
    later = actions.add_contact(cdc, case, {"name": "乙", **exposure})
    assert later.category == "close" and later.rules.effective_from == D(2020, 2, 21)


def test_asymptomatic_source_before_the_5th_edition_gets_the_true_reason(
    db, cdc, index_case, frozen_on
):
    frozen_on(D(2020, 2, 15))
    case = index_case(
        onset=None, specimen_date=D(2020, 2, 14), isolated=D(2020, 2, 14), asymptomatic=True
    )
    c = actions.add_contact(
        cdc,
        case,
        {"name": "丙", "setting": "household", "first_exposure": D(2020, 2, 13)},
    )
    assert c.category == "general"
    assert "onset only" in c.reason and "no onset or specimen" not in c.reason


def test_confirming_a_close_contact_starts_observation(db, cdc, index_case, make_person, on_day):
    from fangkong.observation.models import ObservationPeriod

    person = make_person("密接丙")
    c = actions.add_contact(
        cdc,
        index_case(),
        {
            "person": person,
            "setting": "household",
            "first_exposure": D(2020, 3, 1),
            "last_exposure": D(2020, 3, 2),
        },
    )
    actions.confirm_contact(cdc, c)
    c.refresh_from_db()
    period = ObservationPeriod.objects.get(pk=c.observation_period_id)
    assert period.person == person and period.reason == "close_contact"
    assert period.last_exposure == D(2020, 3, 2)


def test_unregistered_close_contact_becomes_a_screening_task(db, cdc, index_case, on_day):
    from fangkong.screening.models import ExceptionItem, ScreeningTask

    data = {
        "name": "王五",
        "address": "越城区塔山街道府山横街1号",
        "setting": "social",
        "proximity_m": "0.5",
        "first_exposure": D(2020, 3, 2),
    }
    c = actions.add_contact(cdc, index_case(), {**data, "phone": "13905751234"})
    assert c.phone_masked.endswith("1234") and b"1390575" not in bytes(c.phone_enc)
    actions.confirm_contact(cdc, c)
    c.refresh_from_db()
    assert c.status == "confirmed" and c.screening_row.startswith("row:")
    # a door-to-door task, or (address not matched to a grid) the exception queue that
    # assigns one: either way the screening app now owns the search
    assert (
        ScreeningTask.objects.filter(subject__name="王五").exists()
        or ExceptionItem.objects.filter(subject__name="王五").exists()
    )
    # an address alone is refused by the screening list: a clear message, nothing confirmed
    bare = actions.add_contact(cdc, c.index, {**data, "name": "赵六"})
    with pytest.raises(ValidationError) as err:
        actions.confirm_contact(cdc, bare)
    assert "screening refused" in " ".join(err.value.messages)
    bare.refresh_from_db()
    assert bare.status == "pending"


def test_secondary_contact_is_tracked(db, cdc, index_case, make_person, on_day):
    first = actions.add_contact(
        cdc,
        index_case(),
        {"person": make_person("一"), "setting": "household", "first_exposure": D(2020, 3, 2)},
    )
    second = actions.add_contact(
        cdc,
        None,
        {"person": make_person("二"), "setting": "workplace", "first_exposure": D(2020, 3, 3)},
        source_contact=first,
    )
    assert second.category == "secondary" and second.index == first.index
    assert list(first.secondary.all()) == [second]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"first_exposure": D(2020, 3, 2), "last_exposure": D(2020, 3, 1)}, "last_exposure"),
        ({"first_exposure": D(2020, 3, 4)}, "first_exposure"),  # after isolation on 3-3
        ({"first_exposure": D(2020, 3, 2), "setting": "transport"}, "transport_no"),
        ({"first_exposure": D(2020, 3, 9)}, "last_exposure"),  # in the future
    ],
)
def test_bad_contacts_are_refused(db, cdc, index_case, on_day, data, field):
    with pytest.raises(ValidationError) as err:
        actions.add_contact(cdc, index_case(), {"name": "某", "setting": "household", **data})
    assert field in err.value.message_dict
    assert Contact.objects.count() == 0


def test_transport_contact_keeps_number_and_seat(db, cdc, index_case, on_day):
    c = actions.add_contact(
        cdc,
        index_case(),
        {
            "name": "乘客",
            "setting": "transport",
            "transport_kind": "train",
            "transport_no": "G7501",
            "seat": "05A",
            "proximity_m": "0.9",
            "first_exposure": D(2020, 3, 2),
        },
    )
    assert (c.transport_no, c.seat, c.category) == ("G7501", "05A", "close")


def test_field_worker_may_not_add_contacts(db, make_user, index_case, on_day):
    from tests.conftest import GRID_A

    with pytest.raises(PermissionError):
        actions.add_contact(
            make_user("grid_worker", GRID_A),
            index_case(),
            {"name": "某", "setting": "household", "first_exposure": D(2020, 3, 2)},
        )
