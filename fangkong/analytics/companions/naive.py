"""The straightforward way, for checking and for the benchmark's baseline: for every stay
of every case, scan all stays for the same cell and an overlapping time. No buckets, no
join: obviously right and slow. Gives the same rows as the job (job.COLUMNS)."""

from collections import defaultdict
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from fangkong.analytics.companions import SETTING_CELL, job, store


def load(root: Path | str) -> dict[str, np.ndarray]:
    """All stays of a store as NumPy columns."""
    files = sorted(store.stays_dir(root).glob("*/*.parquet"))
    tables = [pq.read_table(f, columns=list(store.COLUMNS)) for f in files]
    return {c: np.concatenate([t[c].to_numpy() for t in tables]) for c in store.COLUMNS}


def companions(
    stays: dict[str, np.ndarray],
    cases: list[job.Case],
    params: job.Params = job.DEFAULTS,
    risk: dict[int, int] | None = None,
) -> list[tuple[int, ...]]:
    risk = risk or job.DEFAULT_RISK
    person, cell, t_in, t_out, setting = (stays[c] for c in store.COLUMNS)
    weight = np.vectorize(lambda s: risk.get(int(s), 0), otypes=[np.int64])(setting)
    out: list[tuple[int, ...]] = []
    for case in cases:
        acc: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 2**62, 0])
        mine = np.flatnonzero(person == case.person)
        for i in mine:
            a_in = max(int(t_in[i]), case.w_from)
            a_out = min(int(t_out[i]), case.w_to)
            if a_out <= a_in:
                continue
            lo = np.maximum(t_in, a_in)
            hi = np.minimum(t_out, a_out)
            hit = np.flatnonzero((cell == cell[i]) & (hi > lo) & (person != case.person))
            for j in hit:
                ov = int(hi[j] - lo[j])
                row = acc[int(person[j])]
                row[0 if setting[j] == SETTING_CELL else 1] += ov
                row[2] += ov * int(weight[j])
                row[3] += 1
                row[4] = min(row[4], int(lo[j]))
                row[5] = max(row[5], int(hi[j]))
        kept = [
            (case.case_id, p, max(r[0], r[1]), r[0], r[1], r[2], r[3], r[4], r[5])
            for p, r in acc.items()
            if max(r[0], r[1]) >= params.theta
        ]
        kept.sort(key=lambda r: (-r[5], -r[2], r[1]))
        out.extend((*r, rank) for rank, r in enumerate(kept, start=1))
    out.sort(key=lambda r: (r[0], r[9]))
    return out
