"""The same job on Spark SQL (local mode) gives exactly DuckDB's rows. One Spark session
for the module; small inputs so the JVM's start dominates."""

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from fangkong.analytics.companions import VENUE_KEY_BASE, engines, job, simulate, store


@pytest.fixture(scope="module")
def spark():
    if shutil.which("java") is None:  # Spark needs a JRE (Debian's, never downloaded)
        script = Path(__file__).resolve().parents[2] / "scripts" / "apt-install"
        subprocess.run([str(script), "openjdk-17-jre-headless"], check=True)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    session = engines.spark_session("local[2]", quick_start=True)
    yield session
    session.stop()


def test_duckdb_and_spark_identical_on_the_synthetic_city(spark, small_city):
    root, _ = small_city
    infectors = sorted({t["infector"] for t in simulate.read_truth(root)})
    known = store.read_cases(root, infectors)
    cases = [job.Case(p, p, known[p][0] - 2 * store.DAY, known[p][1]) for p in infectors]
    params = job.Params(theta=600, bucket=1800)
    duck = engines.run_duckdb(root, cases, params)
    assert len(duck) > 100
    assert engines.run_spark(root, cases, params, session=spark) == duck


def test_duckdb_and_spark_identical_on_edge_cases(spark, tmp_path):
    t = 1_579_449_600  # 2020-01-20 00:00 +08:00
    rows = [
        (1, 5, t + 3600, t + 7200, 0),
        (2, 5, t + 3000, t + 5400, 0),
        (3, 5, t + 7199, t + 9000, 0),  # one second: below θ
        (1, VENUE_KEY_BASE + 4, t + 36000, t + 37800, 5),
        (4, VENUE_KEY_BASE + 4, t + 36000, t + 39000, 5),
        (4, 6, t + 36000, t + 39000, 0),
        (5, 5, t + 3600, t + 3600, 0),  # zero length
    ]
    cols = {k: np.array([r[i] for r in rows], dtype=np.int64) for i, k in enumerate(store.COLUMNS)}
    store.write_stays(tmp_path, cols)
    cases = [job.Case(1, 1, t, t + store.DAY), job.Case(4, 4, t, t + store.DAY)]
    duck = engines.run_duckdb(tmp_path, cases)
    assert [(r[0], r[1]) for r in duck] == [(1, 2), (1, 4), (4, 1)]
    assert engines.run_spark(tmp_path, cases, session=spark) == duck
