"""Reading pushed lists: XLSX/XLS with python-calamine, CSV in UTF-8 or GBK, streamed
row by row, then mapped to our fields by the source's saved column mapping."""

import codecs
import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from fangkong.screening.rules import cell_text

# Headers recognised without a saved mapping (what officials' sheets usually say): the
# published default of the rule set's `header_synonyms`, which headquarters may extend.
DEFAULT_HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "name"),
    "id_number": ("身份证号", "身份证号码", "证件号码", "公民身份号码", "id_number"),
    "phone": ("手机号", "手机号码", "联系电话", "电话", "phone"),
    "origin": ("来源地", "出发地", "来自", "始发地", "来绍前所在地", "origin"),
    "arrival_date": (
        "到达日期",
        "抵绍日期",
        "抵达日期",
        "到达时间",
        "抵达时间",
        "抵绍时间",
        "入境时间",
        "返绍时间",
        "arrival_date",
    ),
    "arrival_time": ("到达时刻", "抵达时刻", "arrival_time"),
    "itinerary": ("途经地", "途经城市", "行程", "itinerary"),
    "birth_date": ("出生日期", "出生年月日", "birth_date"),
    "transport": ("交通方式", "交通工具", "transport"),
    "transport_no": (
        "车次航班",
        "车次/航班",
        "车次/航班号",
        "班次",
        "车次",
        "航班",
        "航班号",
        "车牌号",
        "transport_no",
    ),
    "address": ("现住址", "居住地址", "在绍住址", "住址", "地址", "address"),
}


def synonyms(stored: Mapping[str, Any] | None) -> dict[str, tuple[str, ...]]:
    """The rule set's header synonyms over the defaults (unknown fields ignored)."""
    out = dict(DEFAULT_HEADERS)
    for fld, names in (stored or {}).items():
        if fld in out and isinstance(names, list | tuple):
            out[fld] = tuple(str(n).strip() for n in names if str(n).strip())
    return out


class FileError(ValueError):
    """The file cannot be read as a list: wrong format, encoding or columns."""


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[list[str]]
    total: int | None


def kind_of(path: Path) -> str:
    head = _head(path)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    return "csv"


def _head(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(8)


def text_encoding(path: Path) -> tuple[str, int]:
    """The encoding that decodes the whole file (UTF-8 first, then GB 18030, a superset
    of GBK) and its number of lines; read in chunks so memory stays flat."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        lines = 0
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    decoder.decode(chunk)
                    lines += chunk.count(b"\n")
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding, lines
    raise FileError(_("The file is neither an Excel workbook nor UTF-8/GBK text."))


def _csv_rows(path: Path, encoding: str) -> Iterator[list[str]]:
    with path.open(encoding=encoding, newline="") as fh:
        yield from csv.reader(fh)


def open_table(path: Path) -> Table:
    kind = kind_of(path)
    if kind == "csv":
        encoding, lines = text_encoding(path)
        if b"\x00" in _head(path):
            raise FileError(_("The file is neither an Excel workbook nor UTF-8/GBK text."))
        rows = _csv_rows(path, encoding)
        total = max(lines - 1, 0)
    else:
        from python_calamine import CalamineError, CalamineWorkbook

        try:
            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
            rows = ([cell_text(c) for c in r] for r in sheet.iter_rows())
            total = max(sheet.height - 1, 0)
        except (CalamineError, ValueError, OSError) as exc:
            raise FileError(_("The workbook cannot be read: %s") % exc) from None
    try:
        headers = [h.strip() for h in next(rows)]
    except StopIteration:
        raise FileError(_("The file is empty.")) from None
    except (csv.Error, UnicodeDecodeError) as exc:
        raise FileError(_("The file cannot be read: %s") % exc) from None
    return Table(headers=headers, rows=rows, total=total)


def resolve_mapping(
    headers: list[str],
    column_map: Mapping[str, str],
    known: Mapping[str, tuple[str, ...]] | None = None,
) -> dict[str, int]:
    """{field: column index} from the source's mapping, else the header synonyms; the
    name and a resident ID or phone column are required."""
    index = {h: i for i, h in enumerate(headers) if h}
    out: dict[str, int] = {}
    missing = []
    for field, defaults in (known or DEFAULT_HEADERS).items():
        wanted = (column_map.get(field) or "").strip()
        if wanted:
            if wanted in index:
                out[field] = index[wanted]
            else:
                missing.append(wanted)
            continue
        for header in defaults:
            if header in index:
                out[field] = index[header]
                break
    if missing:
        raise FileError(_("The file has no column named: %s") % "、".join(missing))
    if "name" not in out or not ({"id_number", "phone"} & out.keys()):
        raise FileError(
            _("The file needs a name column and a resident ID or phone column; found: %s")
            % "、".join(h for h in headers if h)
        )
    return out


def numbered_rows(table: Table) -> Iterator[tuple[int, list[Any]]]:
    """(row number as the official sees it in Excel, the row's cells as read); blank rows
    skipped. The cells are mapped to our fields by `map_cells` — on the import's worker
    processes, not in the reading one."""
    for n, row in enumerate(table.rows, start=2):
        try:
            blank = not "".join(row).strip()  # a CSV's cells are all text: one C call
        except TypeError:  # a workbook's numbers and dates
            blank = not any(cell.strip() if isinstance(cell, str) else cell for cell in row)
        if not blank:
            yield n, row


def map_cells(row: list[Any], mapping: Mapping[str, int]) -> dict[str, str]:
    """{field: text} of one row's cells by the resolved mapping (a short row's missing
    cells are empty; a CSV's text cells only stripped, as `cell_text` does)."""
    width = len(row)
    return {
        field: ((v.strip() if type(v := row[i]) is str else cell_text(v)) if i < width else "")
        for field, i in mapping.items()
    }


def cell(row: list[Any], index: int | None) -> str:
    """One cell as text, or "" when the column is not mapped or the row is short."""
    return cell_text(row[index]) if index is not None and index < len(row) else ""


def mapped_rows(table: Table, mapping: dict[str, int]) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number as the official sees it in Excel, {field: text}); blank rows skipped."""
    for n, row in numbered_rows(table):
        yield n, map_cells(row, mapping)


def unused_columns(headers: list[str], mapping: Mapping[str, int]) -> list[str]:
    """Headers of the file that no field takes (reported, never dropped silently)."""
    used = set(mapping.values())
    return [h for i, h in enumerate(headers) if h and i not in used]
