"""Lab results as a file (CSV or XLSX, read with python-calamine): one row per sample
with `sample_code, result, ct_orf1ab, ct_n, result_at`. The file is checked whole
first; any bad row (an unknown sample among them) refuses the file and nothing is
written, with every row's reason listed."""

import csv
import io
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.clinical import samples
from fangkong.core.access import invalid

COLUMNS = ("sample_code", "result", "ct_orf1ab", "ct_n", "result_at")
ALIASES = {"样本编号": "sample_code", "结果": "result", "检测时间": "result_at"}


def read_rows(name: str, data: bytes) -> list[dict[str, str]]:
    """Rows as dicts of text, from a CSV (UTF-8, BOM allowed) or an XLSX sheet."""
    if name.lower().endswith((".xlsx", ".xls", ".ods")):
        from python_calamine import CalamineWorkbook

        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            table = book.get_sheet_by_index(0).to_python(skip_empty_area=True)
        except Exception:  # calamine raises several types for a file that is no workbook
            raise invalid("file", _("the file is not a readable spreadsheet")) from None
        cells = [["" if c is None else str(c) for c in row] for row in table]
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise invalid("file", _("the CSV file must be UTF-8")) from None
        try:
            cells = list(csv.reader(io.StringIO(text)))
        except csv.Error:
            raise invalid("file", _("the file is not a readable CSV file")) from None
    if not cells:
        raise invalid("file", _("the file is empty"))
    if any("\x00" in c for row in cells for c in row):
        # A NUL byte is no text a lab writes (and no database column may hold one).
        raise invalid("file", _("the file holds binary data, not a table of results"))
    header = [ALIASES.get(h.strip(), h.strip().lower()) for h in cells[0]]
    if "sample_code" not in header or "result" not in header:
        raise invalid("file", _("the file needs the columns sample_code and result"))
    return [
        {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header) if h}
        for row in cells[1:]
        if any(c.strip() for c in row)
    ]


def import_results(user: Any, allowed: Any, name: str, data: bytes) -> int:
    """Record every row's result, or none. `allowed` is the user's restricted sample
    queryset: a sample outside it is as unknown as one that does not exist."""
    rows = read_rows(name, data)
    errors: list[str] = []
    by_code = {
        s.code: s for s in allowed.filter(code__in=[r.get("sample_code", "").upper() for r in rows])
    }
    seen: set[str] = set()
    for n, row in enumerate(rows, start=2):
        code = row.get("sample_code", "").upper()
        if code not in by_code:
            errors.append(_("row %(n)d: unknown sample “%(code)s”") % {"n": n, "code": code})
        elif code in seen:
            errors.append(_("row %(n)d: sample %(code)s appears twice") % {"n": n, "code": code})
        elif by_code[code].result:
            errors.append(
                _("row %(n)d: sample %(code)s already has a result") % {"n": n, "code": code}
            )
        seen.add(code)
    if errors:
        raise ValidationError({"file": errors})
    try:
        with transaction.atomic():
            for n, row in enumerate(rows, start=2):
                sample = by_code[row["sample_code"].upper()]
                try:
                    samples.record_result(
                        user,
                        sample,
                        row.get("result"),
                        ct_orf1ab=row.get("ct_orf1ab"),
                        ct_n=row.get("ct_n"),
                        result_at=row.get("result_at") or None,
                    )
                except ValidationError as exc:
                    errors.append(_("row %(n)d: %(msg)s") % {"n": n, "msg": " ".join(exc.messages)})
            if errors:
                raise ValidationError({"file": errors})
    except ValidationError:
        raise
    return len(rows)
