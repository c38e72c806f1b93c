"""Reading incidence and serial-interval files for the `fangkong rt` command.

Every refusal names the file, the row and the column, so an analyst can fix the file.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from fangkong.analytics.inputs import AnalyticsInputError

_WHOLE = re.compile(r"^\s*\d+\s*$")


def read_incidence(path: Path) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Daily `local` (required) and `imported` (optional, else 0) counts, one row per day."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise AnalyticsInputError(f"cannot read {path}: {exc.strerror}") from exc
    reader = csv.DictReader(text.splitlines())
    columns = [c.strip() for c in reader.fieldnames or []]
    reader.fieldnames = columns
    if "local" not in columns:
        found = ", ".join(columns) if columns else "none"
        raise AnalyticsInputError(f"{path.name}: missing column 'local' (columns found: {found})")
    wanted = ["local"] + (["imported"] if "imported" in columns else [])
    local: list[int] = []
    imported: list[int] = []
    for line, row in enumerate(reader, start=2):
        for column in wanted:
            value = row.get(column)
            if value is None or value.strip() == "":
                raise AnalyticsInputError(f"{path.name} line {line}: '{column}' is empty")
            if not _WHOLE.match(value):
                kind = "negative" if value.strip().startswith("-") else "not a whole number"
                raise AnalyticsInputError(
                    f"{path.name} line {line}: '{column}' is {value.strip()!r}, {kind}; "
                    "counts must be whole numbers >= 0"
                )
        local.append(int(row["local"]))
        imported.append(int(row["imported"]) if "imported" in wanted else 0)
    if not local:
        raise AnalyticsInputError(f"{path.name}: no rows of data")
    return np.asarray(local, dtype=np.float64), np.asarray(imported, dtype=np.float64)


def read_si_distr(path: Path) -> NDArray[np.float64]:
    """A discrete serial interval w_0, w_1, ...: numbers separated by commas or whitespace."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise AnalyticsInputError(f"cannot read {path}: {exc.strerror}") from exc
    values: list[float] = []
    for token in re.split(r"[,\s]+", text.strip()):
        try:
            values.append(float(token))
        except ValueError:
            raise AnalyticsInputError(
                f"{path.name}: {token!r} is not a number; give w_0, w_1, ... only"
            ) from None
    return np.asarray(values, dtype=np.float64)
