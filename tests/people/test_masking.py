"""Masks that hold (issue #16, H1): an attacker with an account that may not reveal
tries to rebuild resident IDs from everything it can read — list pages, detail and edit
pages, API list and detail, the Excel export — and succeeds for no one."""

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from stdnum.cn import ric

from fangkong.core import clock
from fangkong.people import rules
from tests.api.test_auth_and_persons import token_for
from tests.conftest import GRID_A, GRID_B
from tests.idnumbers import rid

TODAY = dt.date(2020, 1, 5)  # early January: a newborn's window of possible dates is short
NOW = dt.datetime(2020, 1, 5, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
BIRTHS = [
    ("330602", "1936-02-29", 11),  # elderly, leap day
    ("330621", "1990-03-01", 452),  # abolished county code (绍兴县), kept for life
    ("330602", "1985-12-31", 7),
    ("330602", "2019-12-30", 33),  # last year: under 2
    ("330602", "2020-01-02", 981),  # born three days ago
    ("330681", "1962-07-15", 500),
]

DATE_SHAPES = (
    r"(\d{4})-(\d{1,2})-(\d{1,2})",
    r"(\d{4})/(\d{1,2})/(\d{1,2})",
    r"(\d{4})年(\d{1,2})月(\d{1,2})日",
    r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)",
)


def dates_in(text: str) -> set[dt.date]:
    found = set()
    for shape in DATE_SHAPES:
        for y, m, d in re.findall(shape, text):
            try:
                found.add(dt.date(int(y), int(m), int(d)))
            except ValueError:
                pass
    return found


def years_from_age(age: int | None, today: dt.date) -> range:
    if age is None:
        return range(1880, today.year + 1)
    if age == rules.UNDER_TWO:
        return range(today.year - 1, today.year + 1)
    return range(today.year - age, today.year - age + 1)


def candidates(masked: str, years: range, today: dt.date) -> list[str]:
    """Every valid ID that fits the mask, a birth in one of `years`, and no later than today."""
    region, seq, check = masked[:6], masked[-4:-1], masked[-1]
    out = []
    for year in years:
        day = dt.date(year, 1, 1)
        while day.year == year and day <= today:
            base = f"{region}{day:%Y%m%d}{seq}"
            if ric.calc_check_digit(base + "0") == check:
                out.append(base + check)
            day += dt.timedelta(days=1)
    return out


def rebuilt(number: str, masked: str, age: int | None, material: str, today: dt.date) -> bool:
    """The attack: the full number in sight, the birth date in sight in any common form,
    or too few candidates left by the mask and the age shown."""
    if number in material:
        return True
    birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    if birth in dates_in(material):
        return True
    left = candidates(masked, years_from_age(age, today), today)
    return number in left and len(left) <= 3


@pytest.fixture
def persons(make_person):
    with clock.frozen(NOW):
        made = []
        for i, (region, birth, seq) in enumerate(BIRTHS):
            number = rid(region, birth, seq)
            node = GRID_A if i % 2 == 0 else GRID_B
            made.append((make_person(f"居民{i}", node_code=node, id_number=number), number))
        return made


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("sysadmin", "330602"),  # view, change, merge and export; no reveal
        # organisation and supplies read no resident registry at all (tests/core/test_restrict.py)
        ("discipline", "330602"),
        ("village_staff", "330602001004"),  # may reveal, but has not
        ("grid_worker", GRID_A),
    ],
)
def test_no_id_is_rebuilt_from_what_an_account_reads(client, make_user, persons, role, code):
    user = make_user(role, code)
    client.force_login(user)
    api = token_for(client, user)
    with clock.frozen(NOW):
        material = [client.get(reverse("people:list")).content.decode()]
        export = client.get(reverse("people:export"))
        if export.status_code == 200:
            rows = load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)
            material.append(repr(list(rows)))
        listed = client.get("/api/v1/persons/", {"size": 500}, **api).json()["items"]
        material.append(repr(listed))
        ages = {}
        for person, _number in persons:
            for name in ("people:detail", "people:edit"):
                page = client.get(reverse(name, args=[person.pk]))
                material.append(page.content.decode())
            one = client.get(f"/api/v1/persons/{person.pk}", **api)
            if one.status_code == 200:
                material.append(repr(one.json()))
                ages[person.pk] = one.json()["age"]
    text = "\n".join(material)
    seen = [(p, n) for p, n in persons if p.pk in ages]
    assert seen and {p["id"] for p in listed} >= {p.pk for p, _n in seen}
    broken = [n for p, n in seen if rebuilt(n, p.id_masked, ages[p.pk], text, TODAY)]
    assert broken == []


def test_a_person_without_resident_id_keeps_the_birth_date(client, make_user, make_person):
    person = make_person("无证人", node_code=GRID_A, birth_date="1950-05-05")
    client.force_login(make_user("sysadmin", "330602"))
    html = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "1950-05-05" in html


@settings(max_examples=300, deadline=None)
@given(
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2030, 12, 31)),
    later=st.integers(min_value=0, max_value=40_000),
    region=st.sampled_from(["330602", "330621", "330681", "110101"]),
    seq=st.integers(min_value=0, max_value=999),
)
def test_mask_and_shown_age_never_pin_an_id(birth, later, region, seq):
    """Property: whatever the ID and the day it is looked at, the masked ID and the
    age shown beside it leave at least ten valid IDs, the true one among them."""
    today = birth + dt.timedelta(days=later)
    number = rid(region, birth, seq)
    masked = rules.mask_id(number)
    assert masked[6:14] == "*" * 8 and len(masked) == 18
    assert rules.shown_birth_date(birth, has_resident_id=True) is None
    left = candidates(masked, years_from_age(rules.shown_age(birth, today), today), today)
    assert number in left and len(left) >= 10


def test_shown_age_does_not_change_on_the_birthday():
    birth = dt.date(1980, 6, 15)
    ages = {rules.shown_age(birth, dt.date(2020, 1, 1) + dt.timedelta(days=n)) for n in range(366)}
    assert ages == {40}


def test_a_person_without_id_or_phone_is_named_not_numbered():
    """Pages that print a person (health-code lists, pickers) never show a database
    number in place of the masked ID."""
    from fangkong.people.models import Person

    assert str(Person(pk=53022, name="吴勇")) == "吴勇"
    assert str(Person(pk=53022, name="吴勇", id_masked="330602********1234")) == (
        "吴勇 (330602********1234)"
    )
