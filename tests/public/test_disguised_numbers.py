"""M4 (issue #16): the bulletin's personal-data check sees through full-width digits,
zero-width characters, Chinese numerals and separators typed between digits; and a
draft does not tell whether a number belongs to a person beyond the bulletin's area."""

import pytest
from django.core.exceptions import ValidationError

from fangkong.core import clock, private_values
from fangkong.public import actions, drafting
from fangkong.public.models import Bulletin
from tests.conftest import GRID_A, GRID_Z
from tests.idnumbers import rid
from tests.public.conftest import DAY0, at

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
ID = rid("330602", "1948-04-01", 206)
FIGURES = [{"code": "330602", "name": "越城区", "new": 2, "total": 5}]


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in text)


ZW = "\u200b"

DISGUISED_PHONES = [
    full_width(PHONE),
    ZW.join(PHONE),
    "\u2060".join(PHONE),
    "\ufeff".join(PHONE),
    "139.1234.5678",
    "1 3 9 1 2 3 4 5 6 7 8",
    "139_1234_5678",
    "139·1234·5678",
    "一三九一二三四五六七八",
    "139\u3000" + "1234\u3000" + "5678",  # ideographic spaces
    full_width("139") + ZW + "1234" + ".5678",
]
DISGUISED_IDS = [
    full_width(ID),
    ZW.join(ID),
    " ".join(ID),
    ID[:6] + "." + ID[6:14] + "." + ID[14:],
    ID[:6] + "-" + ID[6:14] + "-" + ID[14:],
]


@pytest.mark.parametrize("text", DISGUISED_PHONES)
def test_disguised_phone_is_phone_shaped(text):
    assert private_values.phone_shaped(f"请联系{text}咨询") == [PHONE]


@pytest.mark.parametrize("text", DISGUISED_IDS)
def test_disguised_id_is_id_shaped(text):
    assert private_values.id_shaped(f"身份证{text}。") == [ID]


@pytest.mark.parametrize(
    "text",
    [
        "2020年2月10日，全市新增确诊病例2例，累计确诊42例。",
        "累计 1,234 例，治愈出院 1.5 万人次，时间 2020-02-10 13:00。",
        "二〇二〇年二月十日，新增 3 例。",
        "热线 12345，咨询 0575-85111111。",
    ],
)
def test_ordinary_bulletin_text_is_not_flagged(text):
    assert private_values.id_shaped(text) == [] and private_values.phone_shaped(text) == []


@pytest.mark.parametrize("text", [DISGUISED_PHONES[0], DISGUISED_PHONES[1], DISGUISED_IDS[0]])
def test_bulletin_with_disguised_number_is_refused(county_hq, node, make_person, text):
    make_person("孙丽", node_code=GRID_A, id_number=ID, phone=PHONE)
    with clock.frozen(at(DAY0, 20)), pytest.raises(ValidationError) as exc:
        actions.draft_bulletin(county_hq, node("330602"), DAY0, FIGURES, text="联系" + text)
    assert "personal data" in str(exc.value) and "registered person" in str(exc.value)
    assert not Bulletin.objects.exists()


def test_draft_does_not_tell_about_persons_beyond_its_area(node, make_person):
    make_person("诸暨人", node_code=GRID_Z, id_number=ID, phone=PHONE)
    inside = drafting.personal_data_in(f"电话{PHONE} 身份证{ID}", node("330681"))
    outside = drafting.personal_data_in(f"电话{PHONE} 身份证{ID}", node("330602"))
    assert [str(p) for p in inside] == [
        "a resident ID of a registered person",
        "a phone number of a registered person",
    ]
    assert [str(p) for p in outside] == [
        "a value shaped like a resident ID",
        "a value shaped like a phone number",
    ]
