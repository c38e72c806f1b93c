"""Identity rules: resident IDs (GB 11643, R21), mobile phones, masking, pinyin initials.

Plain functions over plain values; no database.
"""

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from django.utils.translation import gettext as _
from stdnum import numdb
from stdnum.cn import ric

from fangkong.core import clock

MOBILE = re.compile(r"^1[3-9]\d{9}$")
FIRST_ID_YEAR = 1985  # resident IDs were first issued in 1985


class IdentityError(ValueError):
    """A value that is not a valid identity number; the message says why."""


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: dt.date
    sex: str  # "M" or "F"
    region: str


_ID_NOISE = re.compile(r"[\s-]")


def normalise_id(value: str) -> str:
    value = value or ""
    if len(value) == 18 and value.isalnum():
        return value.upper()
    return _ID_NOISE.sub("", value).upper()


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


def region_valid_for(code: str, birth_year: int) -> bool:
    """R21: the code existed at some time from the birth year (or 1985) on."""
    since = max(birth_year, FIRST_ID_YEAR)
    return any(end is None or end >= since for _start, end in region_periods(code))


def parse_resident_id(value: str, today: dt.date | None = None) -> ResidentId:
    number = normalise_id(value)
    if len(number) != 18:
        raise IdentityError(_("must be 18 characters, not %d") % len(number))
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdentityError(_("must be 17 digits followed by a digit or X"))
    if number[17] != ric.calc_check_digit(number):
        raise IdentityError(_("the check digit is wrong"))
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdentityError(_("the birth date %s is not a real date") % number[6:14]) from None
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


def normalise_phone(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value or "")
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


# The masking policy (one for every page, API answer and export shown to a role, or a
# moment, without an audited reveal):
# - a resident ID shows its region prefix (6 digits) and its last 4 characters, never
#   the 8 birth-date digits: 330602********1234;
# - nothing shown beside a masked ID dates the birth more finely than the year: no birth
#   date, no age in days or months, and the age is counted by birth year
#   (`shown_age`), so it never changes on the birthday and watching it day by day does not
#   date the birth either; persons born this year or last year show "under 2";
# - a phone shows its first 3 and last 4 digits; another document its first and last 2;
# - a person without a resident ID may show the birth date (there is no ID to rebuild).
# With the birth year known, some 365 dates remain, of which about one in eleven gives
# the check digit shown: a rebuild is left with ~30 candidates, never one
# (tests/people/test_masking.py tries it on everything a non-reveal role can read).
ID_SHOWN_PREFIX = 6
ID_SHOWN_SUFFIX = 4
UNDER_TWO = 0  # `shown_age` for persons born this year or last year


def mask_id(number: str) -> str:
    if len(number) <= ID_SHOWN_PREFIX + ID_SHOWN_SUFFIX:
        return "*" * len(number)
    hidden = len(number) - ID_SHOWN_PREFIX - ID_SHOWN_SUFFIX
    return number[:ID_SHOWN_PREFIX] + "*" * hidden + number[-ID_SHOWN_SUFFIX:]


def shown_age(birth: dt.date | None, today: dt.date) -> int | None:
    """The age shown beside a masked ID: whole years counted by birth year
    (today's year minus the birth year); `UNDER_TWO` (0) for the last two birth years,
    so that a newborn's short window of possible dates does not give the ID away."""
    if birth is None:
        return None
    years = today.year - birth.year
    return UNDER_TWO if years < 2 else years


def shown_birth_date(birth: dt.date | None, has_resident_id: bool) -> dt.date | None:
    """The birth date may be shown only for a person without a resident ID."""
    return None if has_resident_id else birth


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"


def mask_document(number: str) -> str:
    return number[:2] + "*" * max(len(number) - 4, 0) + number[-2:] if len(number) > 4 else "****"


@cache
def _initial(char: str) -> str:
    from pypinyin import Style, lazy_pinyin

    letters = lazy_pinyin(char, style=Style.FIRST_LETTER)
    return letters[0][:1].lower() if letters and letters[0] else ""


@cache
def _surname_initials(prefix: str) -> str:
    """Compound surnames and surname readings (单 shàn, 曾 zēng) need the phrase context."""
    from pypinyin import Style, lazy_pinyin

    return "".join(p[:1] for p in lazy_pinyin(prefix, style=Style.FIRST_LETTER)).lower()


def pinyin_initials(name: str) -> str:
    """Initials for search (张伟 → zw); per-character with a cache, since names repeat."""
    if len(name) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in name):
        return _surname_initials(name[:2]) + "".join(_initial(c) for c in name[2:])
    from pypinyin import Style, lazy_pinyin

    return "".join(p[0] for p in lazy_pinyin(name, style=Style.FIRST_LETTER) if p).lower()


def classify_query(q: str) -> str:
    """What a search box string looks like: 'id', 'phone', 'initials' or 'name'."""
    q = q.strip()
    if re.fullmatch(r"\d{17}[\dXx]", q):
        return "id"
    if MOBILE.match(normalise_phone(q)):
        return "phone"
    if re.fullmatch(r"[A-Za-z]+", q):
        return "initials"
    return "name"
