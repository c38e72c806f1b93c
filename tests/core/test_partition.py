"""core/partition.py: work on worker processes partitioned by key, results in order."""

import os

import pytest

from fangkong.core.partition import Partitioned, WorkerFailed, shard


def start(setup):
    return setup


def tag(state, item):
    """(item × state, the process that did it)."""
    if item == "boom":
        raise ValueError("bad item")
    return item * state, os.getpid()


def chunks(items, size=4):
    for i in range(0, len(items), size):
        yield [(f"key-{x % 5}", x) for x in items[i : i + size]]


def test_one_worker_runs_in_this_process():
    with Partitioned(start, tag, 3, workers=1) as pool:
        out = [r for chunk in pool.map(chunks(list(range(10)))) for r in chunk]
    assert [v for v, _pid in out] == [3 * x for x in range(10)]
    assert {pid for _v, pid in out} == {os.getpid()}


def test_two_workers_keep_the_order_and_one_key_on_one_worker():
    items = list(range(40))
    with Partitioned(start, tag, 2, workers=2, depth=2) as pool:
        out = [r for chunk in pool.map(chunks(items)) for r in chunk]
    assert [v for v, _pid in out] == [2 * x for x in items]
    pids = {pid for _v, pid in out}
    assert len(pids) == 2 and os.getpid() not in pids
    by_key: dict[str, set[int]] = {}
    for x, (_v, pid) in zip(items, out, strict=True):
        by_key.setdefault(f"key-{x % 5}", set()).add(pid)
    assert all(len(p) == 1 for p in by_key.values())
    assert {shard(k, 2) for k in by_key} == {0, 1}  # both workers had work


def test_a_failing_item_stops_the_map_with_the_workers_error():
    with (
        Partitioned(start, tag, 1, workers=2) as pool,
        pytest.raises(WorkerFailed, match="bad item"),
    ):
        list(pool.map(iter([[("a", 1), ("b", "boom")]])))
