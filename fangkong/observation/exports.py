"""Line lists to XLSX (openpyxl, write-only so large lists stream in little memory)."""

import io
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from fangkong.observation.linelists import COLUMNS, row


def xlsx(title: str, periods: Any) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    ws.append([str(label) for _key, label in COLUMNS])
    for p in periods.iterator(chunk_size=2000):
        values = row(p)
        out = []
        for key, _label in COLUMNS:
            v = values[key]
            if hasattr(v, "tzinfo") and v is not None and getattr(v, "hour", None) is not None:
                v = timezone.localtime(v).replace(tzinfo=None)
            elif isinstance(v, bool):
                v = "是" if v else ""
            elif v is not None and not isinstance(v, (int, str)) and hasattr(v, "as_tuple"):
                v = float(v)
            out.append(v)
        ws.append(out)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
