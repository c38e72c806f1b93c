"""Build valid resident IDs for tests (check digit by the GB 11643 rule)."""

import datetime as dt

from stdnum.cn import ric


def rid(region: str, birth: dt.date | str, seq: int = 123) -> str:
    if isinstance(birth, str):
        birth = dt.date.fromisoformat(birth)
    base = f"{region}{birth:%Y%m%d}{seq:03d}"
    return base + ric.calc_check_digit(base + "0")
