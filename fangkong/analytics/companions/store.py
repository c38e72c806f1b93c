"""The stay store: one Parquet file per local day, rows sorted by (cell, t_in).

Layout under a data directory (the same on a laptop, a shared file system or an object
store read by Spark):

    <dir>/stays/day=YYYY-MM-DD/part-<n>.parquet   person, cell, t_in, t_out, setting
    <dir>/cases.parquet                            person, onset, isolated (for tracing windows; optional)

Sorting by cell gives every row group a narrow cell range, so an engine that pushes the
join's cell filter into the scan (DuckDB, Spark) skips most of a day it does not need.
"""

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

COLUMNS = ("person", "cell", "t_in", "t_out", "setting")
SCHEMA = pa.schema(
    [
        ("person", pa.int64()),
        ("cell", pa.int64()),
        ("t_in", pa.int64()),
        ("t_out", pa.int64()),
        ("setting", pa.int32()),
    ]
)
ROW_GROUP = 131_072
LOCAL_OFFSET = 8 * 3600  # Asia/Shanghai has had no daylight saving since 1991
DAY = 86_400


def local_day(t: Any) -> Any:
    """Days since the epoch of the local (UTC+8) date holding instant t (scalar or array)."""
    return (np.asarray(t) + LOCAL_OFFSET) // DAY


def day_start(day: int) -> int:
    """The instant of local midnight opening `day` (days since the epoch)."""
    return int(day) * DAY - LOCAL_OFFSET


def day_name(day: int) -> str:
    return (dt.date(1970, 1, 1) + dt.timedelta(days=int(day))).isoformat()


def stays_dir(root: Path | str) -> Path:
    return Path(root) / "stays"


def write_day(root: Path | str, day: int, cols: dict[str, np.ndarray], part: int = 0) -> int:
    """Write one day's stays (already cut at midnight) sorted by (cell, t_in); row count."""
    order = np.lexsort((cols["t_in"], cols["cell"]))
    table = pa.table({name: np.asarray(cols[name])[order] for name in COLUMNS}, schema=SCHEMA)
    folder = stays_dir(root) / f"day={day_name(day)}"
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, folder / f"part-{part}.parquet", row_group_size=ROW_GROUP)
    return table.num_rows


def write_stays(root: Path | str, cols: dict[str, np.ndarray], part: int = 0) -> int:
    """Write stays of any days, one file per local day; each stay must lie in one day."""
    days = local_day(cols["t_in"])
    last = local_day(np.asarray(cols["t_out"]) - 1)
    if np.any((last != days) & (np.asarray(cols["t_out"]) > np.asarray(cols["t_in"]))):
        raise ValueError("stays must be cut at local midnight before they are stored")
    written = 0
    for day in np.unique(days):
        mask = days == day
        written += write_day(
            root, int(day), {k: np.asarray(v)[mask] for k, v in cols.items()}, part
        )
    return written


def write_cases(root: Path | str, person: Any, onset: Any, isolated: Any) -> None:
    """Onset and isolation instants of the data set's cases (-1: unknown), for windows."""
    table = pa.table(
        {
            "person": np.asarray(person, dtype=np.int64),
            "onset": np.asarray(onset, dtype=np.int64),
            "isolated": np.asarray(isolated, dtype=np.int64),
        }
    )
    pq.write_table(table, Path(root) / "cases.parquet")


def read_cases(root: Path | str, persons: list[int]) -> dict[int, tuple[int | None, int | None]]:
    """(onset, isolated) of the given persons from the store's cases file; absent if unknown."""
    path = Path(root) / "cases.parquet"
    if not path.exists() or not persons:
        return {}
    table = pq.read_table(path, filters=[("person", "in", [int(p) for p in persons])])
    return {
        int(p): (a if a is not None and a >= 0 else None, b if b is not None and b >= 0 else None)
        for p, a, b in zip(
            table["person"].to_pylist(),
            table["onset"].to_pylist(),
            table["isolated"].to_pylist(),
            strict=True,
        )
    }


def parquet_glob(root: Path | str) -> str:
    return str(stays_dir(root) / "*" / "*.parquet")


def count_stays(root: Path | str) -> int:
    return sum(pq.ParquetFile(p).metadata.num_rows for p in stays_dir(root).glob("*/*.parquet"))
