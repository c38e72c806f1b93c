"""Importing grids' address keys (网格地址键) from CSV or XLSX with Chinese headers.

A file is the full key list of every village it names: the keys of those villages'
grids are replaced by the file's, in one transaction, or nothing is written when any
line is wrong. Headers are recognised by synonyms (`HEADERS`); a column none of them
names is reported. Keys that give one estate (or one building, house number or 组) to two
grids of the same town are refused with both lines named.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.geo.choices import NAMED_KINDS, RANGED_KINDS, KeyKind, Level
from fangkong.geo.loaders import grid_code, read_csv
from fangkong.geo.models import Division, GridAddressKey
from fangkong.geo.names import everyday_forms, normalise

HEADERS: dict[str, tuple[str, ...]] = {
    "village_code": (
        "村社区代码",
        "村（社区）代码",
        "村(社区)代码",
        "村代码",
        "社区代码",
        "village_code",
    ),
    "town": ("乡镇街道", "乡镇（街道）", "乡镇(街道)", "镇街", "街道", "乡镇", "town"),
    "village": ("村社区", "村（社区）", "村(社区)", "村", "社区", "village"),
    "grid_code": ("网格编号", "网格号", "网格代码", "grid_code"),
    "grid_name": ("网格", "网格名称", "grid", "name"),
    "households": ("户数", "households"),
    "kind": ("类型", "键类型", "地址类型", "kind"),
    "text": ("名称", "小区", "小区名称", "街路", "地址名称", "地名", "text"),
    "low": ("起始号", "起号", "起", "从", "low"),
    "high": ("截止号", "止号", "止", "至", "high"),
}
KIND_WORDS = {
    KeyKind.ESTATE: ("小区", "小区名", "estate"),
    KeyKind.BUILDING: ("楼幢", "幢", "楼栋", "building"),
    KeyKind.STREET: ("街路", "街路门牌", "路", "街道门牌", "门牌", "street"),
    KeyKind.NATURAL: ("自然村", "natural"),
    KeyKind.GROUP: ("组", "村民小组", "小组", "group"),
}


@dataclass
class KeyReport:
    villages: int = 0
    grids_created: int = 0
    keys: int = 0
    removed: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    unused_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def __str__(self) -> str:
        if self.errors:
            return _("refused: %d lines wrong, nothing written") % len(self.errors)
        return _("%(k)d keys for %(v)d villages (%(g)d grids created, %(r)d keys replaced)") % {
            "k": self.keys,
            "v": self.villages,
            "g": self.grids_created,
            "r": self.removed,
        }


def read_table(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8 or GBK) or of the first sheet of an XLSX/XLS workbook."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if not (head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0")):
        return read_csv(path)
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    except (CalamineError, ValueError, OSError) as exc:
        raise ValueError(_("The workbook cannot be read: %s") % exc) from None
    if not rows:
        return []
    headers = [_cell(h) for h in rows[0]]
    return [
        {h: _cell(v) for h, v in zip(headers, r, strict=False) if h}
        for r in rows[1:]
        if any(_cell(v) for v in r)
    ]


def _cell(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def resolve_headers(headers: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """{field: header} by synonyms, and the headers no field uses."""
    given = [h for h in headers if h]
    out: dict[str, str] = {}
    for fld, names in HEADERS.items():
        for name in names:
            if name in given and name not in out.values():
                out[fld] = name
                break
    return out, [h for h in given if h not in out.values()]


def _kind(word: str) -> str | None:
    word = normalise(word)
    for kind, words in KIND_WORDS.items():
        if word in words:
            return kind
    return None


def _number(text: str) -> int | None:
    text = normalise(text)
    m = re.fullmatch(r"(\d{1,6})(?:号|幢|栋|组)?", text)
    return int(m.group(1)) if m else None


@dataclass
class _Line:
    lineno: int
    village: Division
    grid_code: str
    grid_name: str
    households: int | None
    kind: str
    text: str
    low: int | None
    high: int | None


def _village(row: dict[str, str], by_code: dict, by_name: dict) -> Division | str:
    code = row.get("village_code", "")
    if code:
        return by_code.get(code) or _("village_code: unknown village “%s”") % code
    name, town = normalise(row.get("village", "")), normalise(row.get("town", ""))
    if not name:
        return _("village: give the village or community (or its code)")
    found = [
        v for v, t in by_name.get(name, []) if not town or t.name == town or t.name.startswith(town)
    ]
    if len(found) == 1:
        return found[0]
    if not found:
        return _("village: no village or community called “%s”") % name
    return _("town: “%s” is the name of several villages; give the town") % name


def _villages(
    scope: Division | None,
) -> tuple[dict[str, Division], dict[str, list[tuple[Division, Division]]]]:
    """The villages a file may name (under `scope`), by code and by each everyday form of
    their name (with their town, to tell namesakes apart)."""
    villages = Division.objects.filter(level=Level.VILLAGE)
    if scope is not None:
        villages = villages.under(scope.path)
    by_code = {v.code: v for v in villages}
    towns = {t.pk: t for t in Division.objects.filter(level=Level.TOWN)}
    by_name: dict[str, list[tuple[Division, Division]]] = {}
    for v in by_code.values():
        for form, _w in everyday_forms(v.name):
            by_name.setdefault(form, []).append((v, towns.get(v.parent_id)))  # type: ignore[arg-type]
    return by_code, by_name


def _parse(
    rows: list[dict[str, str]], mapping: dict[str, str], scope: Division | None
) -> tuple[list[_Line], list[tuple[int, str]]]:
    by_code, by_name = _villages(scope)
    lines, errors = [], []
    for lineno, raw in enumerate(rows, start=2):
        row = {f: raw.get(h, "").strip() for f, h in mapping.items()}
        village = _village(row, by_code, by_name)
        if isinstance(village, str):
            errors.append((lineno, village))
            continue
        grid_text = row.get("grid_code") or row.get("grid_name", "")
        code = grid_code(village.code, grid_text) if grid_text else None
        households = row.get("households", "")
        kind_text = row.get("kind", "")
        kind = _kind(kind_text) if kind_text else None
        text = normalise(row.get("text", ""))
        low, high = _number(row.get("low", "")), _number(row.get("high", ""))
        problem = _problem(row, code, kind, text, low, high)
        if problem:
            errors.append((lineno, problem))
            continue
        lines.append(
            _Line(
                lineno,
                village,
                code or "",
                row.get("grid_name", ""),
                int(households) if households else None,
                kind or "",
                text if kind != KeyKind.GROUP else "",
                low if kind in RANGED_KINDS else None,
                (high if high is not None else low) if kind in RANGED_KINDS else None,
            )
        )
    return lines, errors


def _problem(
    row: dict[str, str],
    code: str | None,
    kind: str | None,
    text: str,
    low: int | None,
    high: int | None,
) -> str | None:
    """The first thing wrong with a line of a grid-key file, naming its field, or None."""
    grid_text = row.get("grid_code") or row.get("grid_name", "")
    households, kind_text = row.get("households", ""), row.get("kind", "")
    if not grid_text:
        return _("grid: missing")
    if len(row.get("grid_name", "")) > 100:
        return _("grid: at most 100 characters")
    if len(text) > 60:
        return _("text: at most 60 characters")
    if code is None and not row.get("grid_name"):
        return _("grid_code: “%s” is not a grid number") % grid_text
    if households and not households.isdigit():
        return _("households: not a whole number")
    if kind_text and kind is None:
        return _("kind: “%s” is none of 小区, 楼幢, 街路, 自然村, 组") % kind_text
    if kind in NAMED_KINDS and len(text) < 2:
        return _("text: give the name (at least 2 characters)")
    if kind in RANGED_KINDS - {KeyKind.GROUP} and kind != KeyKind.BUILDING and low is None:
        return _("low: give the first house number")
    if kind == KeyKind.GROUP and low is None:
        return _("low: give the first group number")
    if (row.get("low") and low is None) or (row.get("high") and high is None):
        return _("low/high: not a number")
    if low is not None and high is not None and high < low:
        return _("high: smaller than the first number")
    return None


def _overlap(a: _Line, b: _Line) -> bool:
    if a.low is None or b.low is None:
        return True
    return a.low <= (b.high or b.low) and b.low <= (a.high or a.low)


def conflicts(
    lines: list[_Line],
    existing: Iterable[tuple[str, int | None, str, int | None, int | None, str]] = (),
) -> list[tuple[int, str]]:
    """Two lines giving the same place to two grids of one town (estate/natural village
    by name; buildings, house numbers and groups by overlapping range)."""
    errors = []
    seen: dict[tuple[int | None, str, str], list[_Line]] = {}
    for line in lines:
        if not line.kind:
            continue
        family = (
            "group"
            if line.kind == KeyKind.GROUP
            else ("street" if line.kind == KeyKind.STREET else "place")
        )
        scope = line.village.pk if line.kind == KeyKind.GROUP else line.village.parent_id
        for other in seen.get((scope, family, line.text), []):
            if other.grid_code != line.grid_code and _overlap(other, line):
                errors.append(
                    (
                        line.lineno,
                        _(
                            "“%(t)s” is given to two grids: line %(a)d (%(ga)s) and line %(b)d (%(gb)s)"
                        )
                        % {
                            "t": line.text or _("group %d") % (line.low or 0),
                            "a": other.lineno,
                            "ga": other.grid_code[-3:],
                            "b": line.lineno,
                            "gb": line.grid_code[-3:],
                        },
                    )
                )
                break
        seen.setdefault((scope, family, line.text), []).append(line)
    return errors


def import_grid_keys(
    rows: list[dict[str, str]], user: Any = None, scope: Division | None = None
) -> KeyReport:
    """Validate every line, then replace the keys of the villages named (creating the
    grids named by code that do not exist yet); nothing is written on any error."""
    report = KeyReport()
    headers = list(rows[0].keys()) if rows else []
    mapping, report.unused_columns = resolve_headers(headers)
    if "village_code" not in mapping and "village" not in mapping:
        report.errors.append((1, _("village: the file has no village or village code column")))
    if "grid_code" not in mapping and "grid_name" not in mapping:
        report.errors.append((1, _("grid: the file has no grid column")))
    if report.errors:
        return report
    lines, report.errors = _parse(rows, mapping, scope)
    report.errors += conflicts(lines)
    if report.errors:
        report.errors.sort()
        return report
    with transaction.atomic():
        villages = {line.village.pk: line.village for line in lines}
        grids = {
            g.code: g
            for g in Division.objects.filter(parent__in=villages.values(), level=Level.GRID)
        }
        by_name = {(g.parent_id, normalise(g.name)): g for g in grids.values()}
        keys = []
        for line in lines:
            grid = grids.get(line.grid_code) or by_name.get(
                (line.village.pk, normalise(line.grid_name or ""))
            )
            if grid is None and not line.grid_code:
                transaction.set_rollback(True)
                report.errors.append(
                    (line.lineno, _("grid: no grid “%s” in this village") % line.grid_name)
                )
                continue
            if grid is None:
                number = int(line.grid_code[-2:])
                grid = Division.objects.create(
                    code=line.grid_code,
                    name=line.grid_name or _("Grid %d") % number,
                    level=Level.GRID,
                    parent=line.village,
                    path=f"{line.village.path}{line.grid_code}/",
                    households=line.households,
                )
                grids[grid.code] = grid
                report.grids_created += 1
            if line.kind:
                keys.append(
                    GridAddressKey(
                        grid=grid,
                        kind=line.kind,
                        text=line.text,
                        low=line.low,
                        high=line.high,
                        created_by=user if getattr(user, "pk", None) else None,
                    )
                )
        if report.errors:
            return report
        old = GridAddressKey.objects.filter(grid__parent__in=villages.values())
        report.removed = old.count()
        old.delete()
        unique = {(k.grid.pk, k.kind, k.text, k.low): k for k in keys}
        GridAddressKey.objects.bulk_create(GridAddressKey.place_all(unique.values()))
        report.keys, report.villages = len(unique), len(villages)
    return report
