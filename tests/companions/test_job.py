"""The companion job on DuckDB: hand-made cases, the naive oracle, and recall on the
synthetic city's ground truth."""

import datetime as dt
import hashlib
from collections import Counter

import numpy as np
import pytest

from fangkong.analytics.companions import VENUE_KEY_BASE, engines, job, naive, simulate, store

CST = dt.timezone(dt.timedelta(hours=8))
MIN = 60


def at(h: int, m: int = 0, day: int = 20) -> int:
    return int(dt.datetime(2020, 1, day, h, m, tzinfo=CST).timestamp())


def write(root, rows):
    cols = {k: np.array([r[i] for r in rows], dtype=np.int64) for i, k in enumerate(store.COLUMNS)}
    cols["setting"] = cols["setting"].astype(np.int32)
    store.write_stays(root, cols)
    return root


def case(person, start=None, end=None):
    return job.Case(person, person, start or at(0), end or at(0, day=23))


def test_overlap_is_exact_and_each_stay_pair_counted_once(tmp_path):
    # Long stays spanning many hourly buckets: the pair must be counted once, exactly.
    write(tmp_path, [(1, 5, at(8), at(17, 30), 0), (2, 5, at(9, 15), at(20), 0)])
    rows = engines.run_duckdb(tmp_path, [case(1)])
    assert rows == [
        (
            1,
            2,
            8 * 3600 + 15 * MIN,
            8 * 3600 + 15 * MIN,
            0,
            (8 * 3600 + 900) * 10,
            1,
            at(9, 15),
            at(17, 30),
            1,
        )
    ]


def test_short_overlaps_add_up_per_pair(tmp_path):
    write(
        tmp_path,
        [
            (1, 5, at(8), at(8, 6), 0),
            (2, 5, at(8), at(8, 6), 0),
            (1, 6, at(12), at(12, 6), 0),
            (2, 6, at(12), at(12, 6), 0),
            (1, 7, at(15), at(15, 6), 0),
            (3, 7, at(15), at(15, 6), 0),
        ],
    )
    rows = engines.run_duckdb(tmp_path, [case(1)])
    assert [(r[1], r[2]) for r in rows] == [(2, 12 * MIN)]  # person 3: 6 min only


def test_theta_is_inclusive_and_configurable(tmp_path):
    write(tmp_path, [(1, 5, at(8), at(8, 10), 0), (2, 5, at(8), at(9), 0)])
    assert len(engines.run_duckdb(tmp_path, [case(1)])) == 1
    assert engines.run_duckdb(tmp_path, [case(1)], params=job.Params(theta=11 * MIN)) == []


def test_only_the_tracing_window_counts(tmp_path):
    write(tmp_path, [(1, 5, at(8), at(12), 0), (2, 5, at(8), at(12), 0)])
    rows = engines.run_duckdb(tmp_path, [case(1, at(11, 45), at(20))])
    assert rows[0][2] == 15 * MIN and rows[0][7] == at(11, 45)
    assert engines.run_duckdb(tmp_path, [case(1, at(11, 55), at(20))]) == []


def test_same_visit_in_cell_and_venue_is_not_counted_twice(tmp_path):
    venue = VENUE_KEY_BASE + 3
    write(
        tmp_path,
        [
            (1, 5, at(18), at(18, 30), 0),
            (2, 5, at(18), at(18, 30), 0),
            (1, venue, at(18), at(18, 30), 1),
            (2, venue, at(18), at(18, 30), 1),
        ],
    )
    (row,) = engines.run_duckdb(tmp_path, [case(1)])
    assert row[2:5] == (30 * MIN, 30 * MIN, 30 * MIN)
    assert row[5] == 30 * MIN * (job.DEFAULT_RISK[0] + job.DEFAULT_RISK[1])


def test_ranked_by_exposure_with_setting_weights(tmp_path):
    write(
        tmp_path,
        [
            (1, 5, at(8), at(10), 0),
            (2, 5, at(8), at(10), 0),  # 2 h in a cell: 120 min × 10 ‰
            (1, VENUE_KEY_BASE + 1, at(12), at(12, 40), 1),
            (3, VENUE_KEY_BASE + 1, at(12), at(12, 40), 1),  # 40 min dining × 50 ‰
        ],
    )
    rows = engines.run_duckdb(tmp_path, [case(1)])
    assert [(r[1], r[9]) for r in rows] == [(3, 1), (2, 2)]


def test_several_cases_at_once_and_the_case_itself_excluded(tmp_path):
    write(tmp_path, [(1, 5, at(8), at(9), 0), (2, 5, at(8), at(9), 0), (3, 5, at(8), at(9), 0)])
    rows = engines.run_duckdb(tmp_path, [case(1), case(2)])
    assert [(r[0], r[1]) for r in rows] == [(1, 2), (1, 3), (2, 1), (2, 3)]


def test_no_cases_no_work(tmp_path):
    assert engines.run_duckdb(tmp_path, []) == []


@pytest.mark.parametrize("bucket", [600, 3600, 4 * 3600])
def test_same_as_the_naive_scan_whatever_the_bucket(small_city, bucket):
    root, _ = small_city
    truth = simulate.read_truth(root)
    cases = _cases(root, sorted({t["infector"] for t in truth})[:8])
    params = job.Params(bucket=bucket)
    assert engines.run_duckdb(root, cases, params) == naive.companions(
        naive.load(root), cases, params
    )


def _cases(root, persons):
    known = store.read_cases(root, persons)
    return [job.Case(p, p, known[p][0] - 2 * store.DAY, known[p][1]) for p in persons]


def test_recall_on_the_synthetic_truth(city):
    """Every true infector → infectee pair whose co-presence (≥ θ in the tracing window) is
    in the data is found; the number of companions per case is reported."""
    root, summary = city
    truth = simulate.read_truth(root)
    assert len(truth) >= 30, summary
    infectors = sorted({t["infector"] for t in truth})
    cases = _cases(root, infectors)
    rows = engines.run_duckdb(root, cases)
    found = {(r[0], r[1]) for r in rows}
    data = naive.load(root)
    windows = {c.person: c for c in cases}
    observable = [
        t for t in truth if _copresence(data, windows[t["infector"]], t["infectee"]) >= 600
    ]
    missed = [t for t in observable if (t["infector"], t["infectee"]) not in found]
    assert observable and not missed
    per_case = Counter(r[0] for r in rows)
    print(
        f"\nrecall 1.0 on {len(observable)}/{len(truth)} observable true pairs; "
        f"companions per case: min {min(per_case.values())}, "
        f"median {sorted(per_case.values())[len(per_case) // 2]}, max {max(per_case.values())}"
    )
    assert set(per_case) == set(infectors)


def _copresence(data, c, other):
    """Shared time of two persons in the same cell or venue, straight from the stays."""
    mine = np.flatnonzero(data["person"] == c.person)
    theirs = np.flatnonzero(data["person"] == other)
    totals = {True: 0, False: 0}
    for i in mine:
        for j in theirs:
            if data["cell"][i] != data["cell"][j]:
                continue
            lo = max(data["t_in"][i], data["t_in"][j], c.w_from)
            hi = min(data["t_out"][i], data["t_out"][j], c.w_to)
            totals[bool(data["setting"][i] == 0)] += max(0, int(hi - lo))
    return max(totals.values())


def test_the_simulator_is_deterministic_by_seed(tmp_path):
    params = simulate.CityParams(persons=1_500, days=3, seed=11)
    a = simulate.simulate(tmp_path / "a", params)
    b = simulate.simulate(tmp_path / "b", params)
    simulate.simulate(tmp_path / "c", simulate.CityParams(persons=1_500, days=3, seed=12))
    assert a == b
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b") != _digest(tmp_path / "c")
    assert simulate.read_truth(tmp_path / "a") == simulate.read_truth(tmp_path / "b")


def _digest(root):
    data = naive.load(root)
    return hashlib.sha256(b"".join(data[k].tobytes() for k in store.COLUMNS)).hexdigest()


def test_the_simulated_city_lives_in_shaoxings_villages(small_city):
    import pyarrow.parquet as pq

    root, summary = small_city
    villages = set(pq.read_table(root / "persons.parquet")["village"].to_pylist())
    assert all(v.startswith("3306") and len(v) == 12 for v in villages)
    assert summary["stays"] == store.count_stays(root)
    days = sorted(p.name for p in store.stays_dir(root).iterdir())
    assert days[0] == "day=2020-01-20" and len(days) == 6
    for f in store.stays_dir(root).glob("*/*.parquet"):
        t = pq.read_table(f)
        keys = list(zip(t["cell"].to_pylist(), t["t_in"].to_pylist(), strict=True))
        assert keys == sorted(keys)
