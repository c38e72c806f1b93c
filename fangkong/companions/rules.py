"""Business rules of companion detection, as plain functions over plain values."""

import re

DAY = 86_400
DATASET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")


def tracing_window(
    onset: int | None, isolated: int | None, days_before: int, now: int
) -> tuple[int, int] | None:
    """From `days_before` days before onset (or specimen date) to isolation, or to now when
    not yet isolated (national protocol, 5th ed.); None when the onset is unknown."""
    if onset is None:
        return None
    start = onset - days_before * DAY
    end = isolated if isolated is not None else now
    if end <= start:
        return None
    return start, end


def parse_case_refs(text: str) -> list[int]:
    """'12, 34 56' → [12, 34, 56]; refuses anything that is not a whole number."""
    refs: list[int] = []
    for part in re.split(r"[\s,，;；]+", text.strip()):
        if not part:
            continue
        if not part.isdigit():
            raise ValueError(part)
        if int(part) not in refs:
            refs.append(int(part))
    return refs


def valid_dataset_name(name: str) -> bool:
    """A data set is a folder name under the companions data root, never a path."""
    return bool(DATASET_NAME.match(name)) and ".." not in name


def batches(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]
