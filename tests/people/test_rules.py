import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from fangkong.people import identity, rules
from tests.idnumbers import rid

SHAOXING_NOW = ["330602", "330603", "330604", "330624", "330681", "330683"]


@given(
    region=st.sampled_from(SHAOXING_NOW),
    birth=st.dates(min_value=dt.date(2014, 1, 1), max_value=dt.date(2025, 12, 31)),
    seq=st.integers(0, 999),
)
def test_any_well_formed_current_id_is_valid(region, birth, seq):
    parsed = identity.parse_resident_id(rid(region, birth, seq), today=dt.date(2026, 11, 29))
    assert parsed.birth_date == birth
    assert parsed.sex == ("M" if seq % 2 else "F")


@given(
    birth=st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2000, 1, 1)),
    seq=st.integers(0, 999),
    wrong=st.integers(0, 10),
)
def test_a_wrong_check_digit_is_refused(birth, seq, wrong):
    number = rid("330602", birth, seq)
    bad = "0123456789X"[wrong]
    if bad == number[-1]:
        return
    with pytest.raises(identity.IdentityError, match="check digit"):
        identity.parse_resident_id(number[:-1] + bad)


def test_elderly_yuecheng_resident_is_valid_though_stdnum_refuses():
    # 330602 was created in 1983; a Yuecheng resident born in 1950 carries it (R21).
    number = rid("330602", "1950-03-08")
    assert not ric.is_valid(number)
    assert identity.is_valid_resident_id(number)


def test_keqiao_resident_born_1990_carries_abolished_shaoxing_county_code():
    # 330621 (绍兴县) existed 1983–2013: valid for a 1990 birth.
    assert identity.is_valid_resident_id(rid("330621", "1990-07-01"))


def test_code_abolished_before_birth_is_refused():
    # 330621 was abolished in 2013; nobody born in 2015 can carry it.
    with pytest.raises(identity.IdentityError, match="abolished"):
        identity.parse_resident_id(rid("330621", "2015-05-05"))


def test_code_created_after_birth_is_valid_for_later_registration():
    # 330603 (柯桥区, 2013) for a person born 1960 who re-registered after 2013.
    assert identity.is_valid_resident_id(rid("330603", "1960-01-01"))


def test_impossible_birth_date_is_refused():
    base = "33060219990231123"
    number = base + ric.calc_check_digit(base + "0")
    with pytest.raises(identity.IdentityError, match="not a real date"):
        identity.parse_resident_id(number)


def test_future_birth_date_is_refused():
    with pytest.raises(identity.IdentityError, match="impossible"):
        identity.parse_resident_id(rid("330602", "2030-01-01"), today=dt.date(2026, 1, 1))


def test_unknown_region_is_refused():
    with pytest.raises(identity.IdentityError, match="not a region code"):
        identity.parse_resident_id(rid("999999", "1990-01-01"))


@pytest.mark.parametrize("value", ["12345", "3306021990010112", "33060219900101123456"])
def test_wrong_length_is_refused(value):
    with pytest.raises(identity.IdentityError, match="18 characters"):
        identity.parse_resident_id(value)


def test_lowercase_x_and_spaces_are_normalised():
    base = next(
        b
        for b in (f"33060219800101{seq:03d}" for seq in range(1000))
        if ric.calc_check_digit(b + "0") == "X"
    )
    number = base + "X"
    spaced = " " + number.lower()[:6] + " " + number.lower()[6:]
    assert identity.parse_resident_id(spaced).number == number


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_every_mainland_mobile_is_accepted(phone):
    assert identity.parse_mobile(phone) == phone
    assert identity.parse_mobile("+86 " + phone) == phone


@given(
    st.from_regex(
        r"(1[0-2][0-9]{9}|[02-9][0-9]{10}|1[3-9][0-9]{8}|1[3-9][0-9]{10})", fullmatch=True
    )
)
def test_wrong_shaped_phones_are_refused(phone):
    with pytest.raises(identity.IdentityError, match="mobile"):
        identity.parse_mobile(phone)


def test_masking():
    assert rules.mask_id("330602195003081234") == "330602********1234"
    assert rules.mask_phone("13812345678") == "138****5678"
    assert rules.mask_document("E12345678") == "E1*****78"


def test_pinyin_initials():
    assert rules.pinyin_initials("张伟") == "zw"
    assert rules.pinyin_initials("欧阳娜娜") == "oynn"


@pytest.mark.parametrize(
    "q,kind",
    [("330602195003081234", "id"), ("13812345678", "phone"), ("zw", "initials"), ("张", "name")],
)
def test_search_box_classification(q, kind):
    assert rules.classify_query(q) == kind
