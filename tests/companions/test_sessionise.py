"""Telecom records → stays: midnight, gaps, single pings, cell changes, bad rows."""

import datetime as dt

import numpy as np

from fangkong.analytics.companions import VENUE_KEY_BASE, stays

CST = dt.timezone(dt.timedelta(hours=8))


def at(h: int, m: int = 0, day: int = 20) -> int:
    return int(dt.datetime(2020, 1, day, h, m, tzinfo=CST).timestamp())


def as_rows(cols):
    return list(zip(*(cols[k].tolist() for k in ("person", "cell", "t_in", "t_out")), strict=True))


def test_a_run_in_one_cell_is_one_stay_until_the_next_cell():
    s, r = stays.sessionise([1, 1, 1, 1], [5, 5, 5, 6], [at(9), at(9, 10), at(9, 20), at(9, 30)])
    # 5: from the first record to the first record in cell 6; cell 6: one ping, no length.
    assert as_rows(s) == [(1, 5, at(9), at(9, 30))]
    assert r.single_pings == 1 and r.stays == 1


def test_a_gap_longer_than_g_starts_a_new_stay():
    s, _ = stays.sessionise(
        [1, 1, 1, 1], [5, 5, 5, 5], [at(9), at(9, 20), at(11), at(11, 15)], gap=1800
    )
    assert as_rows(s) == [(1, 5, at(9), at(9, 20)), (1, 5, at(11), at(11, 15))]


def test_a_gap_within_g_keeps_the_stay():
    s, _ = stays.sessionise([1, 1], [5, 5], [at(9), at(9, 29)], gap=1800)
    assert as_rows(s) == [(1, 5, at(9), at(9, 29))]


def test_a_stay_across_midnight_is_cut_into_both_days():
    s, r = stays.sessionise([1, 1, 1], [5, 5, 5], [at(23, 40), at(23, 55), at(0, 20, day=21)])
    assert as_rows(s) == [
        (1, 5, at(23, 40), at(0, 0, day=21)),
        (1, 5, at(0, 0, day=21), at(0, 20, day=21)),
    ]
    assert r.midnight_cuts == 1


def test_a_single_ping_is_counted_not_stored():
    s, r = stays.sessionise([1, 2, 2], [5, 6, 6], [at(9), at(9), at(9, 5)])
    assert as_rows(s) == [(2, 6, at(9), at(9, 5))]
    assert r.single_pings == 1


def test_persons_are_kept_apart_when_interleaved():
    s, _ = stays.sessionise([1, 2, 1, 2], [5, 5, 5, 5], [at(9), at(9, 1), at(9, 10), at(9, 11)])
    assert as_rows(s) == [(1, 5, at(9), at(9, 10)), (2, 5, at(9, 1), at(9, 11))]


def test_bad_rows_are_counted_by_reason_with_row_numbers():
    s, r = stays.sessionise(
        [1, 9, 1, 1, None, 1, 2],
        [5, 5, None, 5, 5, "", 7],
        [at(9), at(9), at(9, 5), at(9, 10), at(9), at(9, 12), None],
        known_persons=[1, 2],
    )
    assert r.rows == 7
    assert r.rejected == {
        "unknown_person": 2,
        "missing_cell": 2,
        "missing_time": 1,
        "out_of_order": 0,
    }
    assert r.samples == {"unknown_person": [1, 4], "missing_cell": [2, 5], "missing_time": [6]}
    assert r.accepted == 2 and r.rejected_total + r.accepted == r.rows
    assert as_rows(s) == [(1, 5, at(9), at(9, 10))]


def test_a_record_earlier_than_the_persons_previous_one_is_out_of_order():
    s, r = stays.sessionise([1, 1, 1, 2], [5, 5, 5, 5], [at(9, 30), at(9), at(9, 40), at(8)])
    assert r.rejected["out_of_order"] == 1 and r.samples["out_of_order"] == [1]
    assert as_rows(s) == [(1, 5, at(9, 30), at(9, 40))]


def test_unknown_cells_are_missing_cells():
    _s, r = stays.sessionise([1, 1], [5, 99], [at(9), at(9, 5)], known_cells=[5])
    assert r.rejected["missing_cell"] == 1


def test_venue_scans_use_exit_scan_or_the_venue_types_dwell():
    s, r = stays.scans_to_stays(
        person=[1, 2, 3, 4],
        venue=[10, 10, 11, 12],
        t_in=[at(12), at(12), at(23, 50), at(12)],
        t_exit=[at(12, 40), None, None, at(11)],
        venue_type={10: 1, 11: 2},
        dwell={1: 3600, 2: 1800},
    )
    assert r.rejected["missing_cell"] == 1  # venue 12 unknown
    assert as_rows(s) == [
        (1, VENUE_KEY_BASE + 10, at(12), at(12, 40)),
        (2, VENUE_KEY_BASE + 10, at(12), at(13)),
        (3, VENUE_KEY_BASE + 11, at(23, 50), at(0, 0, day=21)),
        (3, VENUE_KEY_BASE + 11, at(0, 0, day=21), at(0, 20, day=21)),
    ]
    assert s["setting"].tolist() == [1, 1, 2, 2]


def test_cut_at_midnight_spans_several_days():
    cols = {
        "person": np.array([1]),
        "cell": np.array([5]),
        "t_in": np.array([at(22)]),
        "t_out": np.array([at(2, day=22)]),
        "setting": np.array([0]),
    }
    out = stays.cut_at_midnight(cols)
    assert out["t_in"].tolist() == [at(22), at(0, day=21), at(0, day=22)]
    assert out["t_out"].tolist() == [at(0, day=21), at(0, day=22), at(2, day=22)]
