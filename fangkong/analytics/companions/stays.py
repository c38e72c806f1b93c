"""Stays from raw feeds: telecom location records (person, cell, time) sessionised into
stays, and venue scans turned into stays with the venue's dwell or the exit scan.

Sessionising: records of one person in time order; a new stay starts on a change of cell
or after a gap longer than G. A stay lasts until the first record of the next stay when
that record follows within G (the person was seen there until seen elsewhere), else
until its own last record. Stays are then cut at local midnight, so each lies in one
day partition. A stay of one isolated record has no length: it is counted ("single
pings") and not stored, as it can never overlap anyone.

Bad rows are counted by reason and their row numbers kept, never silently dropped:
unknown person, missing cell, missing time, time out of order (earlier than the
person's previous record in the feed).
"""

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from fangkong.analytics.companions import VENUE_KEY_BASE
from fangkong.analytics.companions.store import DAY, local_day

DEFAULT_GAP = 1800  # seconds

UNKNOWN_PERSON = "unknown_person"
MISSING_CELL = "missing_cell"
MISSING_TIME = "missing_time"
OUT_OF_ORDER = "out_of_order"
REASONS = (UNKNOWN_PERSON, MISSING_CELL, MISSING_TIME, OUT_OF_ORDER)
SAMPLE = 100  # row numbers kept per reason


@dataclass
class Report:
    """What an import did: rows read, stays made, and every rejection counted by reason."""

    rows: int = 0
    accepted: int = 0
    stays: int = 0
    single_pings: int = 0
    midnight_cuts: int = 0
    rejected: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REASONS, 0))
    samples: dict[str, list[int]] = field(default_factory=dict)

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())

    def reject(self, reason: str, rows: np.ndarray) -> None:
        self.rejected[reason] += int(len(rows))
        if len(rows):
            self.samples.setdefault(reason, []).extend(int(r) for r in rows[:SAMPLE])

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "samples": {k: v[:SAMPLE] for k, v in self.samples.items()}}


def _as_int(values: Any) -> tuple[np.ndarray, np.ndarray]:
    """Integers and a mask of missing entries (None, NaN, empty string, negative)."""
    arr = np.asarray(values)
    if arr.dtype.kind in "iu":
        arr = arr.astype(np.int64)
        return arr, arr < 0
    out = np.full(len(values), -1, dtype=np.int64)
    missing = np.zeros(len(values), dtype=bool)
    for i, v in enumerate(values):
        try:
            out[i] = int(v)
        except (TypeError, ValueError):
            missing[i] = True
    return out, missing | (out < 0)


def validate(
    person: Any, cell: Any, t: Any, known_persons: Any = None, known_cells: Any = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, Report]:
    """Check a feed in arrival order; (row numbers, person, cell, t) of accepted rows."""
    report = Report(rows=len(person))
    p, p_bad = _as_int(person)
    c, c_bad = _as_int(cell)
    tt, t_bad = _as_int(t)
    rows = np.arange(len(p))
    if known_persons is not None:
        p_bad |= ~np.isin(p, np.asarray(list(known_persons), dtype=np.int64))
    if known_cells is not None:
        c_bad |= ~np.isin(c, np.asarray(list(known_cells), dtype=np.int64))
    report.reject(UNKNOWN_PERSON, rows[p_bad])
    report.reject(MISSING_CELL, rows[c_bad & ~p_bad])
    report.reject(MISSING_TIME, rows[t_bad & ~p_bad & ~c_bad])
    ok = ~(p_bad | c_bad | t_bad)
    rows, p, c, tt = rows[ok], p[ok], c[ok], tt[ok]
    # Out of order: earlier than the running latest time of the same person in the feed.
    order = np.argsort(p, kind="stable")
    ps, ts = p[order], tt[order]
    starts = np.r_[True, ps[1:] != ps[:-1]]
    group = np.cumsum(starts) - 1
    offset = ts.min() - 1 if len(ts) else 0
    shifted = (ts - offset) + group * (ts.max() - offset + 1 if len(ts) else 0)
    running = np.maximum.accumulate(shifted)
    late = np.zeros(len(ts), dtype=bool)
    late[1:] = (shifted[1:] < running[:-1]) & ~starts[1:]
    bad = np.zeros(len(p), dtype=bool)
    bad[order[late]] = True
    report.reject(OUT_OF_ORDER, rows[bad])
    keep = ~bad
    report.accepted = int(keep.sum())
    return rows[keep], p[keep], c[keep], tt[keep], report


def sessionise(
    person: Any,
    cell: Any,
    t: Any,
    gap: int = DEFAULT_GAP,
    known_persons: Any = None,
    known_cells: Any = None,
) -> tuple[dict[str, np.ndarray], Report]:
    """Location records → stays (person, cell, t_in, t_out, setting=0) and the import report."""
    _rows, p, c, tt, report = validate(person, cell, t, known_persons, known_cells)
    order = np.lexsort((tt, p))
    p, c, tt = p[order], c[order], tt[order]
    n = len(p)
    if n == 0:
        return _empty(), report
    same_person_next = np.r_[p[1:] == p[:-1], False]
    gap_next = np.r_[tt[1:] - tt[:-1], 0]
    close_next = same_person_next & (gap_next <= gap)
    starts = np.r_[True, ~(close_next[:-1] & (c[1:] == c[:-1]))]
    idx = np.flatnonzero(starts)
    last = np.r_[idx[1:] - 1, n - 1]
    t_in = tt[idx]
    # Until the next stay's first record if it follows within G, else the last own record.
    t_out = np.where(close_next[last], tt[np.minimum(last + 1, n - 1)], tt[last])
    sp, sc = p[idx], c[idx]
    point = t_out <= t_in
    report.single_pings = int(point.sum())
    sp, sc, t_in, t_out = sp[~point], sc[~point], t_in[~point], t_out[~point]
    stays = cut_at_midnight(
        {
            "person": sp,
            "cell": sc,
            "t_in": t_in,
            "t_out": t_out,
            "setting": np.zeros(len(sp), np.int32),
        }
    )
    report.midnight_cuts = len(stays["person"]) - len(sp)
    report.stays = len(stays["person"])
    return stays, report


def cut_at_midnight(cols: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Split every stay crossing local midnight into one piece per local day."""
    t_in, t_out = cols["t_in"], cols["t_out"]
    first = local_day(t_in)
    pieces = local_day(t_out - 1) - first + 1
    pieces = np.maximum(pieces, 1)
    rep = np.repeat(np.arange(len(t_in)), pieces)
    k = np.arange(len(rep)) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    day = first[rep] + k
    midnight = day * DAY - 8 * 3600
    out = {name: np.asarray(v)[rep] for name, v in cols.items()}
    out["t_in"] = np.maximum(t_in[rep], midnight)
    out["t_out"] = np.minimum(t_out[rep], midnight + DAY)
    return out


def scans_to_stays(
    person: Any,
    venue: Any,
    t_in: Any,
    t_exit: Any,
    venue_type: dict[int, int],
    dwell: dict[int, int],
    known_persons: Any = None,
) -> tuple[dict[str, np.ndarray], Report]:
    """Venue scans → stays keyed by venue; without an exit scan the venue type's dwell is used.

    `venue_type` maps venue → setting code; `dwell` maps setting code → seconds."""
    report = Report(rows=len(person))
    p, p_bad = _as_int(person)
    v, v_bad = _as_int(venue)
    a, a_bad = _as_int(t_in)
    e, _ = _as_int([x if x is not None else -1 for x in t_exit])
    rows = np.arange(len(p))
    if known_persons is not None:
        p_bad |= ~np.isin(p, np.asarray(list(known_persons), dtype=np.int64))
    v_bad |= ~np.isin(v, np.asarray(list(venue_type), dtype=np.int64))
    report.reject(UNKNOWN_PERSON, rows[p_bad])
    report.reject(MISSING_CELL, rows[v_bad & ~p_bad])
    report.reject(MISSING_TIME, rows[a_bad & ~p_bad & ~v_bad])
    exit_before = (e >= 0) & (e < a) & ~(p_bad | v_bad | a_bad)
    report.reject(OUT_OF_ORDER, rows[exit_before])
    ok = ~(p_bad | v_bad | a_bad | exit_before)
    p, v, a, e = p[ok], v[ok], a[ok], e[ok]
    setting = np.array([venue_type[int(x)] for x in v], dtype=np.int32)
    default = np.array([dwell.get(int(s), 1800) for s in setting], dtype=np.int64)
    out = np.where(e >= 0, e, a + default)
    report.accepted = len(p)
    stays = cut_at_midnight(
        {"person": p, "cell": VENUE_KEY_BASE + v, "t_in": a, "t_out": out, "setting": setting}
    )
    report.stays = len(stays["person"])
    return stays, report


def _empty() -> dict[str, np.ndarray]:
    z = np.zeros(0, dtype=np.int64)
    return {"person": z, "cell": z, "t_in": z, "t_out": z, "setting": np.zeros(0, np.int32)}
