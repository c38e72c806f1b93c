"""The private-value check: resident-ID- and mobile-number-shaped values in free text,
found also when disguised (full-width or Chinese digits, invisible characters,
separators typed between the digits), and registry names that occur in a text. The
public side refuses bulletins with them; care refuses deeds with them."""

import re
import unicodedata

# Values shaped like a resident ID (18 characters, last may be X) or a mainland mobile
# number, not embedded in a longer run of digits.
ID_SHAPED = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:19|20)\d{2}\d{7}[\dXx](?![0-9A-Za-z])")
PHONE_SHAPED = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)")


# Disguises seen in published text (issue #16, M4): full-width digits (NFKC folds them),
# zero-width and other invisible format characters (Unicode category Cf), Chinese numerals,
# and separators typed between the digits (spaces, dots, hyphens, underscores, slashes,
# middle dots). The check looks at the text as typed and at a compacted copy.
CHINESE_DIGITS = str.maketrans("〇零一二三四五六七八九壹贰叁肆伍陆柒捌玖", "00123456789123456789")
BETWEEN_DIGITS = re.compile(r"(?<=[0-9])[\s.\-_/·•]+(?=[0-9Xx])")


def mask_phone(phone: str) -> str:
    """The masked copy of a phone number that lists and logs show: 138****5678."""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"


def normalised_for_check(text: str) -> str:
    """The text with look-alike digits folded and invisible characters removed."""
    folded = unicodedata.normalize("NFKC", text or "")
    visible = "".join(c for c in folded if unicodedata.category(c) != "Cf")
    return visible.translate(CHINESE_DIGITS)


def _variants(text: str) -> list[str]:
    plain = normalised_for_check(text)
    compact = BETWEEN_DIGITS.sub("", plain)
    return [plain] if compact == plain else [plain, compact]


def id_shaped(text: str) -> list[str]:
    found = [m.group(0).upper() for v in _variants(text) for m in ID_SHAPED.finditer(v)]
    return list(dict.fromkeys(found))


def phone_shaped(text: str) -> list[str]:
    out = []
    for v in _variants(text):
        for m in PHONE_SHAPED.finditer(v):
            digits = re.sub(r"\D", "", m.group(0))
            out.append(digits[-11:])
    return list(dict.fromkeys(out))


def names_in(text: str, names: set[str]) -> list[str]:
    """Registry names (two characters or more) that occur in the text."""
    return sorted(n for n in names if len(n) >= 2 and n in (text or ""))
