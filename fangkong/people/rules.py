"""Identity rules: masking, pinyin initials, search classification (the parsers of
resident IDs, phones and names are in `identity`).

Plain functions over plain values; no database.
"""

import datetime as dt
import re
from functools import cache

from fangkong.core.private_values import mask_phone as mask_phone  # one mask, kept in core
from fangkong.people import identity

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
# Where a person is registered: a village (community) or one of its grids.
HOME_LEVELS = ("village", "grid")
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


def mask_document(number: str) -> str:
    return number[:2] + "*" * max(len(number) - 4, 0) + number[-2:] if len(number) > 4 else "****"


@cache
def _initial(char: str) -> str:
    from pypinyin import Style, lazy_pinyin

    letters = lazy_pinyin(char, style=Style.FIRST_LETTER)
    return letters[0][:1].lower() if letters and letters[0] else ""


@cache
def _surname_initials(prefix: str) -> str:
    """Compound surnames and surname readings (单 shàn, 曾 zēng) need the phrase context;
    a prefix that is no phrase of pypinyin's reads character by character."""
    from pypinyin import Style, lazy_pinyin
    from pypinyin.constants import PHRASES_DICT

    if prefix not in PHRASES_DICT:
        return "".join(_initial(c) for c in prefix)
    return "".join(p[:1] for p in lazy_pinyin(prefix, style=Style.FIRST_LETTER)).lower()


_SHORT_HAN = re.compile("[\u4e00-\u9fff]{0,4}")  # up to four CJK ideographs


def pinyin_initials(name: str) -> str:
    """Initials for search (张伟 → zw); per-character with a cache, since names repeat."""
    if _SHORT_HAN.fullmatch(name):
        return _surname_initials(name[:2]) + "".join(_initial(c) for c in name[2:])
    from pypinyin import Style, lazy_pinyin

    return "".join(p[0] for p in lazy_pinyin(name, style=Style.FIRST_LETTER) if p).lower()


def classify_query(q: str) -> str:
    """What a search box string looks like: 'id', 'phone', 'initials' or 'name'."""
    q = q.strip()
    if re.fullmatch(r"\d{17}[\dXx]", q):
        return "id"
    if identity.MOBILE.match(identity.normalise_phone(q)):
        return "phone"
    if re.fullmatch(r"[A-Za-z]+", q):
        return "initials"
    return "name"
