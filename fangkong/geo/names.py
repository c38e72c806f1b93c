"""How residents write the names of divisions (地名的日常写法), derived by rule from
the registered names: no hand table. Used by the address matcher and the importers."""

import unicodedata

# Weights of one hit (the evidence a key gives for its node).
VILLAGE, BARE, ALIAS, KEY = 4, 2, 4, 3
TOWN_FULL, TOWN_SHORT = 3, 2
COUNTY_FULL, COUNTY_SHORT = 2, 1
SHORT_SUFFIXES = {
    "county": ("区", "市", "县"),
    "town": ("街道", "镇", "乡"),
}
# Registered village suffixes, longest first, and the kind of committee they name.
VILLAGE_SUFFIXES = (
    ("社区居民委员会", "community"),
    ("社区居委会", "community"),
    ("居民委员会", "residents"),
    ("村民委员会", "village"),
    ("村委会", "village"),
    ("居委会", "residents"),
    ("管理区", "other"),
    ("社区", "community"),
)
MIN_KEY = 3  # a village form shorter than this (新村, 南村) is too common to be evidence

CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}


def normalise(text: str) -> str:
    """Full-width digits/letters to ASCII, no blanks (as people type on phones)."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def to_int(text: str) -> int | None:
    """Arabic or Chinese numerals up to 99 (3, 03, 三, 十二, 二十)."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _sep, units = text.partition("十")
        return CN_DIGITS.get(tens, 1) * 10 + (CN_DIGITS.get(units, 0) if units else 0)
    if len(text) == 1 and text in CN_DIGITS:
        return CN_DIGITS[text]
    return None


def short_name(name: str, level: str) -> str | None:
    for suffix in SHORT_SUFFIXES.get(level, ()):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


def everyday_forms(name: str) -> list[tuple[str, int]]:
    """The forms people write for a registered village or community name (by rule):
    committee suffixes dropped (…村委会 → …村, …社区居委会 → …社区, …居委会 → …社区 or the
    bare name). Each with its weight; forms under MIN_KEY characters are left out."""
    name = normalise(name)
    forms: dict[str, int] = {name: VILLAGE}
    for suffix, kind in VILLAGE_SUFFIXES:
        if not name.endswith(suffix) or len(name) == len(suffix):
            continue
        core = name[: -len(suffix)]
        if kind == "village":
            forms[core if core.endswith("村") else core + "村"] = VILLAGE
            forms.setdefault(core + "村", VILLAGE)
        elif kind in ("community", "residents"):
            forms[core + "社区"] = VILLAGE
            forms.setdefault(core + "居委会", VILLAGE)
            forms.setdefault(core, BARE)
        else:
            forms.setdefault(core, VILLAGE)
        break
    return [(f, w) for f, w in forms.items() if len(f) >= MIN_KEY]


def division_keys(name: str, level: str) -> list[tuple[str, int]]:
    """Every key of a county, town or village: its registered name and everyday forms."""
    if level == "village":
        return everyday_forms(name)
    full = TOWN_FULL if level == "town" else COUNTY_FULL
    keys = [(normalise(name), full)]
    short = short_name(normalise(name), level)
    if short:
        keys.append((short, TOWN_SHORT if level == "town" else COUNTY_SHORT))
    return keys
