"""Exports write times on the Shanghai clock, not UTC (eight hours apart)."""

import datetime as dt
import io
from types import SimpleNamespace

from openpyxl import load_workbook

from fangkong.supervision import exports


def test_cadre_shifts_are_exported_in_shanghai_time(db):
    utc = dt.UTC
    post = SimpleNamespace(name="卡口", node=SimpleNamespace(name="花园社区"))
    record = SimpleNamespace(
        member=SimpleNamespace(name="王秀英", cadre_rank=""),
        shifts=[
            SimpleNamespace(
                shift=SimpleNamespace(post=post),
                starts_at=dt.datetime(2020, 2, 1, 0, 0, tzinfo=utc),
                ends_at=dt.datetime(2020, 2, 1, 4, 0, tzinfo=utc),
            )
        ],
        rectifications=[],
        inspections_led=[],
        inspections_as_subject=[],
        commendations=[],
        accountability=None,
    )
    book = load_workbook(io.BytesIO(exports.cadre_workbook(record)))  # type: ignore[arg-type]
    rows = list(book.worksheets[1].values)
    assert rows[1][2:] == (dt.datetime(2020, 2, 1, 8, 0), dt.datetime(2020, 2, 1, 12, 0))
