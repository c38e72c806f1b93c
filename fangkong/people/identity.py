"""One parser per input concept for persons: the resident ID (GB 11643, R21), the
mainland mobile phone and the name. Plain functions over plain values; no database.

The registry (people actions and forms), the bulk loader (`people.bulk`) and the list
import (`screening.rules.clean_row`) all read a person's identity through `parse`, so a
row's ID is parsed once and the parsed value travels with the row.

R21: `stdnum.cn.ric.is_valid` demands that the region code existed in the birth year,
which refuses many real IDs of elderly residents; we use stdnum's check digit and its
region table, and accept a code that existed at any time from the birth year (or from
1985, when the first IDs were issued) on.
"""

import datetime as dt
import re
import unicodedata
from functools import cache
from typing import NamedTuple

from django.utils.translation import gettext as _
from stdnum import numdb
from stdnum.cn import ric

from fangkong.core import clock

MOBILE = re.compile(r"^1[3-9]\d{9}$")
FIRST_ID_YEAR = 1985  # resident IDs were first issued in 1985


class IdentityError(ValueError):
    """A value that is not a valid identity number; the message says why."""


# Named tuples rather than frozen dataclasses: as immutable, and built in C, which a
# bulk load or a list import does once a row (a frozen dataclass sets each field through
# object.__setattr__).
class ResidentId(NamedTuple):
    number: str
    birth_date: dt.date
    sex: str  # "M" or "F"
    region: str


class Identity(NamedTuple):
    """A person's identity as read from one input row: the normalised name, resident ID
    (blank when none) and mobile phone (blank when none), the birth date and sex the ID
    carries, and `errors` — (field, reason) pairs, in field order, empty when valid."""

    name: str = ""
    id_number: str = ""
    phone: str = ""
    birth_date: dt.date | None = None
    sex: str = "U"
    resident_id: ResidentId | None = None
    errors: tuple[tuple[str, str], ...] = ()

    @property
    def valid(self) -> bool:
        return not self.errors

    def error(self, name: str) -> str:
        """The reason the field `name` was refused ('' when it was not)."""
        return next((reason for f, reason in self.errors if f == name), "")

    @property
    def key(self) -> str:
        """What makes two rows one person for partitioning: the ID, else the phone."""
        return self.id_number or self.phone


_ID_NOISE = re.compile(r"[\s-]")


def _fold(value: str) -> str:
    """Full-width digits and letters (１２３, ＸＸ) become ASCII; plain ASCII is kept."""
    return value if value.isascii() else unicodedata.normalize("NFKC", value)


def normalise_id(value: str) -> str:
    value = value or ""
    if len(value) == 18 and value.isascii() and value.isalnum():
        return value.upper()
    return _ID_NOISE.sub("", _fold(value)).upper()


@cache
def region_periods(code: str) -> list[tuple[int | None, int | None]]:
    """The periods (first year, last year) in which a six-digit region code existed."""
    results = numdb.get("cn/loc").info(code)
    info = {k: v for _part, props in results for k, v in props.items()}
    periods: list[tuple[int | None, int | None]] = []
    for county in info.get("county", "").split(","):
        if not county:
            continue
        if not county.startswith("["):
            periods.append((None, None))
            continue
        span = county[1:].split("]")[0]
        start, end = span.split("-")
        periods.append((int(start) if start else None, int(end) if end else None))
    return periods


@cache
def region_valid_for(code: str, birth_year: int) -> bool:
    """R21: the code existed at some time from the birth year (or 1985) on."""
    since = max(birth_year, FIRST_ID_YEAR)
    return any(end is None or end >= since for _start, end in region_periods(code))


@cache
def _birth(text: str) -> dt.date | None:
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def parse_resident_id(value: str, today: dt.date | None = None) -> ResidentId:
    number = normalise_id(value)
    if len(number) != 18:
        raise IdentityError(_("must be 18 characters, not %d") % len(number))
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdentityError(_("must be 17 digits followed by a digit or X"))
    if number[17] != ric.calc_check_digit(number):
        raise IdentityError(_("the check digit is wrong"))
    birth = _birth(number[6:14])
    if birth is None:
        raise IdentityError(_("the birth date %s is not a real date") % number[6:14])
    today = today or clock.today()
    if birth > today or birth.year < 1880:
        raise IdentityError(_("the birth date %s is impossible") % birth.isoformat())
    if not region_periods(number[:6]):
        raise IdentityError(_("%s is not a region code") % number[:6])
    if not region_valid_for(number[:6], birth.year):
        raise IdentityError(
            _("region code %(code)s was abolished before %(year)d")
            % {"code": number[:6], "year": birth.year}
        )
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return ResidentId(number=number, birth_date=birth, sex=sex, region=number[:6])


def is_valid_resident_id(value: str) -> bool:
    try:
        parse_resident_id(value)
    except IdentityError:
        return False
    return True


_PHONE_NOISE = re.compile(r"[\s\-()]")


def normalise_phone(value: str) -> str:
    """Digits only: full-width digits folded, spaces, dashes and brackets dropped, the
    country code (+86, 0086) removed."""
    value = value or ""
    digits = value if value.isdigit() and value.isascii() else _PHONE_NOISE.sub("", _fold(value))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits


def parse_mobile(value: str) -> str:
    phone = normalise_phone(value)
    if not MOBILE.match(phone):
        raise IdentityError(_("is not a mainland mobile number (11 digits starting 13–19)"))
    return phone


# The middle dot of transcribed names (阿卜杜拉·艾力) as people type it: the interpunct,
# the katakana middle dot, bullets, the hyphenation point, the full stop.
_DOTS = re.compile(r"\s*[·・•‧∙⋅．.]\s*")
_SPACES = re.compile(r"\s+")
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
_NAME_NOISE = re.compile(r"[\s·・•‧∙⋅．.]")  # what the three above can change


def normalise_name(value: str) -> str:
    """A name as stored: trimmed, runs of spaces made one, no space between Chinese
    characters (张 伟 → 张伟), every middle-dot variant written · (U+00B7)."""
    name = (value or "").strip()
    if name.isascii() and " " not in name and "." not in name:
        return name
    if _NAME_NOISE.search(name) is None:  # most names: no blank, no dot
        return name
    name = _SPACES.sub(" ", name.replace("\u3000", " "))
    name = _CJK_GAP.sub("", name)
    return _DOTS.sub("·", name)


def parse(
    name: str = "", id_number: str = "", phone: str = "", today: dt.date | None = None
) -> Identity:
    """A person's identity from the texts of one input row; every field is checked and
    each refusal is named in `errors` (the name is not required here: callers decide)."""
    errors: list[tuple[str, str]] = []
    rid: ResidentId | None = None
    mobile = ""
    if id_number and id_number.strip():
        try:
            rid = parse_resident_id(id_number, today)
        except IdentityError as exc:
            errors.append(("id_number", str(exc)))
    if phone and phone.strip():
        try:
            mobile = parse_mobile(phone)
        except IdentityError as exc:
            errors.append(("phone", str(exc)))
    return Identity(
        name=normalise_name(name),
        id_number=rid.number if rid else "",
        phone=mobile,
        birth_date=rid.birth_date if rid else None,
        sex=rid.sex if rid else "U",
        resident_id=rid,
        errors=tuple(errors),
    )


def partition_key(id_text: str, phone_text: str) -> str:
    """The cheap key a raw row is sent to a worker by (one person, one worker): the
    normalised resident ID, else the normalised phone; no validation."""
    number = normalise_id(id_text.strip()) if id_text else ""
    return number or (normalise_phone(phone_text) if phone_text else "")
