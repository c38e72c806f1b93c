"""people/identity.py: one parser per input concept (resident ID per R21, phone, name)."""

import datetime as dt

import pytest
from stdnum.cn import ric

from fangkong.people import identity
from tests.idnumbers import rid

TODAY = dt.date(2026, 12, 1)


def test_an_elderly_residents_id_is_parsed_though_stdnum_refuses_it():
    # 330602 (越城区) was created in 1983; a resident born in 1950 carries it (R21).
    number = rid("330602", "1950-03-08", 12)
    assert not ric.is_valid(number)
    parsed = identity.parse("王老太", number, "", TODAY)
    assert parsed.valid and parsed.errors == ()
    assert parsed.id_number == number and parsed.birth_date == dt.date(1950, 3, 8)
    assert parsed.sex == "F" and parsed.resident_id is not None
    assert parsed.resident_id.region == "330602"


def test_an_abolished_code_is_valid_from_the_birth_year_on_and_not_before():
    # 330621 (绍兴县) existed 1983–2013: valid for a 1990 birth, not for a 2015 one.
    assert identity.parse(id_number=rid("330621", "1990-07-01"), today=TODAY).valid
    late = identity.parse(id_number=rid("330621", "2015-05-05"), today=TODAY)
    assert late.errors[0][0] == "id_number" and "abolished" in late.errors[0][1]


def test_a_fifteen_digit_first_generation_id_is_refused_by_its_length():
    parsed = identity.parse("老张", "330602500308123", "", TODAY)
    assert parsed.errors == (("id_number", "must be 18 characters, not 15"),)
    assert parsed.id_number == "" and parsed.birth_date is None and parsed.sex == "U"


def test_check_digit_cases():
    number = rid("330602", "1975-06-01", 21)
    wrong = number[:-1] + ("1" if number[-1] != "1" else "2")
    assert identity.parse(id_number=wrong, today=TODAY).error("id_number") == (
        "the check digit is wrong"
    )
    # An X check digit: lower case, spaces and full-width characters are normalised.
    x_id = next(
        rid("330602", "1980-01-01", seq)
        for seq in range(1000)
        if rid("330602", "1980-01-01", seq).endswith("X")
    )
    spaced = f"{x_id[:6]} {x_id[6:14]} {x_id[14:].lower()}"
    assert identity.parse(id_number=spaced, today=TODAY).id_number == x_id
    wide = x_id.translate({ord(c): 0xFEE0 + ord(c) for c in "0123456789X"})
    assert identity.parse(id_number=wide, today=TODAY).id_number == x_id
    bad_date = "33060219801301" + "123"
    bad_date += ric.calc_check_digit(bad_date + "0")
    assert "not a real date" in identity.parse(id_number=bad_date, today=TODAY).errors[0][1]
    future = identity.parse(id_number=rid("330602", "2027-01-01"), today=TODAY)
    assert "impossible" in future.error("id_number")
    assert "not a region code" in identity.parse(
        id_number=rid("999999", "1990-01-01"), today=TODAY
    ).error("id_number")


@pytest.mark.parametrize(
    "text",
    [
        "13800138000",
        "+86 138 0013 8000",
        "+8613800138000",
        "0086-138-0013-8000",
        "138 0013 8000",
        "１３８００１３８０００",
        "＋８６ １３８００１３８０００",
        "(138) 0013-8000",
    ],
)
def test_phone_spellings_give_one_number(text):
    parsed = identity.parse("甲", "", text, TODAY)
    assert parsed.valid and parsed.phone == "13800138000"


@pytest.mark.parametrize("text", ["12345", "12800138000", "1380013800", "２３８００１３８０００"])
def test_a_phone_that_is_no_mainland_mobile_names_the_phone_field(text):
    parsed = identity.parse("甲", "", text, TODAY)
    assert parsed.phone == "" and parsed.errors[0][0] == "phone"
    assert "mainland mobile" in parsed.error("phone")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("  王五 ", "王五"),
        ("张 伟", "张伟"),
        ("张\u3000伟", "张伟"),
        ("阿卜杜拉·艾力", "阿卜杜拉·艾力"),
        ("阿卜杜拉・艾力", "阿卜杜拉·艾力"),
        ("阿卜杜拉 • 艾力", "阿卜杜拉·艾力"),
        ("阿卜杜拉.艾力", "阿卜杜拉·艾力"),
        ("Li  Wei", "Li Wei"),
        ("Wang", "Wang"),
    ],
)
def test_names_are_normalised(text, name):
    assert identity.normalise_name(text) == name
    assert identity.parse(text, today=TODAY).name == name


def test_every_bad_field_is_named_in_field_order():
    parsed = identity.parse("甲", "330602195005051234", "12345", TODAY)
    assert [f for f, _reason in parsed.errors] == ["id_number", "phone"]
    assert not parsed.valid and parsed.error("name") == ""


def test_one_person_one_partition_key_however_written():
    number = rid("330602", "1980-01-01", 33)
    assert identity.partition_key(number, "") == identity.partition_key(
        f" {number[:6]} {number[6:]}", "138"
    )
    assert identity.partition_key("", "+86 138 0013 8000") == "13800138000"
    assert identity.partition_key("", "") == ""
