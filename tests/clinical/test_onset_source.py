"""Symptom onset and infection source of a case: validation (field named), the page,
the API, and the confirmation that may not precede the onset."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from fangkong.clinical import investigation
from fangkong.clinical.actions import cases
from fangkong.clinical.choices import IMPORTED_SOURCES
from fangkong.core import clock
from tests.clinical.conftest import DAY0, NOW, at, positive
from tests.clinical.test_api import API, auth, post
from tests.reportcards import report_by_card

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def _confirmed(suspected, doctor, when=None):
    case = suspected()
    positive(doctor, case)
    return cases.classify(
        doctor, case, "confirmed", severity="mild", reason="核酸阳性", diagnosed_at=when
    )


def _refused(user, case, field, **data):
    with pytest.raises(ValidationError) as exc:
        investigation.set_onset_source(user, case, **{"source": "local", **data})
    assert field in exc.value.message_dict
    return " ".join(exc.value.message_dict[field])


def test_onset_and_source_are_recorded_and_mapped_to_imported(suspected, doctor):
    case = _confirmed(suspected, doctor)
    investigation.set_onset_source(
        doctor, case, onset_date="2020-01-30", source="outside_province", source_note="湖北省武汉市"
    )
    case.refresh_from_db()
    assert case.onset_date == dt.date(2020, 1, 30) and case.imported
    assert case.source_note == "湖北省武汉市"
    investigation.set_onset_source(doctor, case, onset_date=None, source="unknown")
    case.refresh_from_db()
    assert case.onset_date is None and not case.imported  # unknown counts as local
    assert IMPORTED_SOURCES == {"outside_province", "other_city"}


def test_bad_onset_dates_and_sources_are_refused_naming_the_field(suspected, doctor):
    with clock.frozen(at(DAY0, 9)):
        case = _confirmed(suspected, doctor)
        report_by_card(doctor, case)
    case.refresh_from_db()
    with clock.frozen(at(DAY0 + dt.timedelta(days=3), 9)):
        msg = _refused(doctor, case, "onset_date", onset_date=DAY0 + dt.timedelta(days=2))
        assert "confirmation" in msg and str(DAY0) in msg
    assert "future" in _refused(doctor, case, "onset_date", onset_date=DAY0 + dt.timedelta(days=1))
    assert "30 days" in _refused(doctor, case, "onset_date", onset_date=dt.date(2019, 12, 1))
    assert "YYYY-MM-DD" in _refused(doctor, case, "onset_date", onset_date="2020-02-31")
    _refused(doctor, case, "source", source="abroad")
    _refused(doctor, case, "source_note", source="local", source_note="武汉")
    _refused(doctor, case, "source_note", source="other_city", source_note="x" * 121)
    case.refresh_from_db()
    assert case.onset_date is None and case.source == "unknown"


def test_the_report_date_bounds_the_onset_too(suspected, doctor):
    with clock.frozen(at(DAY0, 9)):
        case = suspected()
    with clock.frozen(at(DAY0, 10)):
        report_by_card(doctor, case)  # the report date is the card's acknowledgement
    assert case.reported_at == at(DAY0, 10)
    with clock.frozen(at(DAY0 + dt.timedelta(days=2), 9)):
        msg = _refused(doctor, case, "onset_date", onset_date=DAY0 + dt.timedelta(days=1))
    assert "report" in msg and str(DAY0) in msg


def test_a_confirmation_before_the_onset_is_refused(suspected, doctor):
    case = suspected()
    positive(doctor, case)
    investigation.set_onset_source(doctor, case, onset_date=DAY0, source="local")
    with pytest.raises(ValidationError) as exc:
        cases.classify(
            doctor,
            case,
            "confirmed",
            severity="mild",
            reason="核酸阳性",
            diagnosed_at=at(DAY0 - dt.timedelta(days=1), 9),
        )
    assert "diagnosed_at" in exc.value.message_dict
    case.refresh_from_db()
    assert case.confirmed_at is None and case.status == "suspected"


def test_page_shows_and_edits_onset_and_source(client, suspected, doctor, grid_worker):
    case = _confirmed(suspected, doctor)
    client.force_login(doctor)
    url = f"/clinical/cases/{case.pk}/"
    body = client.get(url).content.decode()
    assert 'id="onset-source"' in body and 'name="onset_date"' in body
    r = client.post(
        url + "onset/",
        {"onset_date": "2020-01-31", "source": "other_city", "source_note": "杭州市"},
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.onset_date == dt.date(2020, 1, 31) and case.source == "other_city"
    assert "杭州市" in client.get(url).content.decode()
    r = client.post(url + "onset/", {"onset_date": "2020-03-01", "source": "local"}, follow=True)
    case.refresh_from_db()
    assert case.onset_date == dt.date(2020, 1, 31)  # refused, message shown
    assert r.status_code == 200


def test_api_reads_and_writes_onset_and_source(client, suspected, doctor, zhuji_doctor):
    case = _confirmed(suspected, doctor)
    h = auth(doctor)
    url = f"{API}/cases/{case.pk}/onset-source"
    r = post(client, url, {"onset_date": "2020-01-29", "source": "outside_province"}, h)
    assert r.status_code == 200, r.content
    assert r.json()["onset_date"] == "2020-01-29" and r.json()["imported"] is True
    got = client.get(f"{API}/cases/{case.pk}", **h).json()
    assert got["source"] == "outside_province" and got["source_note"] == ""
    for body, field in [
        ({"onset_date": "2020-02-05", "source": "local"}, "onset_date"),
        ({"onset_date": "0001-01-01", "source": "local"}, "onset_date"),
        ({"source": "mars"}, "source"),
        ({"source": "local", "source_note": "y"}, "source_note"),
    ]:
        r = post(client, url, body, h)
        assert r.status_code == 422 and field in r.content.decode(), body
    r = post(client, url, {"onset_date": "not a date", "source": "local"}, h)
    assert r.status_code == 422
    r = post(client, url, {"source": "local"}, auth(zhuji_doctor))
    assert r.status_code == 404


def test_an_asymptomatic_infection_confirmed_later_takes_its_onset(suspected, doctor):
    """Found by screening (lab-confirmed, no symptoms), symptoms two days later, then
    confirmed: the onset is after the first lab confirmation and is accepted."""
    case = suspected()
    positive(doctor, case)
    first = at(DAY0 - dt.timedelta(days=3), 9)
    case = cases.classify(doctor, case, "asymptomatic", reason="筛查阳性", diagnosed_at=first)
    _refused(doctor, case, "onset_date", onset_date=DAY0 - dt.timedelta(days=1))
    case = cases.classify(
        doctor, case, "confirmed", severity="mild", reason="出现症状", diagnosed_at=NOW
    )
    investigation.set_onset_source(
        doctor, case, onset_date=DAY0 - dt.timedelta(days=1), source="local"
    )
    case.refresh_from_db()
    assert case.confirmed_at == first and case.onset_date == DAY0 - dt.timedelta(days=1)
