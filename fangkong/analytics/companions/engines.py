"""Run the one companion job (job.SQL) on DuckDB (embedded default) or Apache Spark.

Each engine only registers the four input views and executes `job.sql(params)`; results
come back as tuples in job.COLUMNS order, sorted by (case_id, rank).
"""

import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa

from fangkong.analytics.companions import job, store

Row = tuple[int, ...]


def _risk_rows(risk: dict[int, int] | None) -> list[tuple[int, int]]:
    return sorted((int(k), int(v)) for k, v in (risk or job.DEFAULT_RISK).items())


def _case_rows(cases: Iterable[job.Case]) -> list[tuple[int, int, int, int]]:
    return [(int(c.case_id), int(c.person), int(c.w_from), int(c.w_to)) for c in cases]


def run_duckdb(
    root: Path | str,
    cases: Iterable[job.Case],
    params: job.Params = job.DEFAULTS,
    risk: dict[int, int] | None = None,
    threads: int | None = None,
    memory_limit: str | None = None,
) -> list[Row]:
    """The job on an embedded DuckDB over the Parquet store at `root`."""
    import duckdb

    case_rows = _case_rows(cases)
    if not case_rows:
        return []
    con = duckdb.connect(":memory:")
    try:
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        if memory_limit:
            con.execute("SET memory_limit = ?", [memory_limit])
        glob = store.parquet_glob(root).replace("'", "''")
        con.execute(
            "CREATE VIEW stays AS SELECT person, cell, t_in, t_out, setting "
            f"FROM read_parquet('{glob}', hive_partitioning = false)"
        )
        con.execute(
            "CREATE TABLE cases (case_id BIGINT, person BIGINT, w_from BIGINT, w_to BIGINT)"
        )
        con.executemany("INSERT INTO cases VALUES (?, ?, ?, ?)", case_rows)
        con.execute("CREATE TABLE risk (setting INTEGER, weight BIGINT)")
        con.executemany("INSERT INTO risk VALUES (?, ?)", _risk_rows(risk))
        pairs = job.spans(params)
        spans = pa.table(
            {"n": [n for n, _ in pairs], "k": [k for _, k in pairs]},
            schema=pa.schema([("n", pa.int64()), ("k", pa.int64())]),
        )
        con.register("spans", spans)
        return [tuple(int(v) for v in r) for r in con.execute(job.sql(params)).fetchall()]
    finally:
        con.close()


def spark_session(
    master: str | None = None, app: str = "fangkong-companions", quick_start: bool = False
) -> Any:
    """A Spark session: local mode by default, or the cluster named by `master`
    (e.g. spark://host:7077, yarn, k8s://...). FANGKONG_SPARK_MASTER overrides the default.
    `quick_start` trades peak speed for start-up time (small inputs, tests): the JVM
    compiles with C1 only and shuffles into few partitions."""
    from pyspark.sql import SparkSession

    logging.getLogger("py4j").setLevel(logging.WARNING)  # its shutdown chatter
    master = master or os.environ.get("FANGKONG_SPARK_MASTER", "local[2]")
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
    )
    if master.startswith("local"):
        builder = builder.config(
            "spark.sql.shuffle.partitions", "2" if quick_start else "8"
        ).config("spark.driver.memory", os.environ.get("FANGKONG_SPARK_DRIVER_MEMORY", "2g"))
        if quick_start:
            builder = builder.config(
                "spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
            )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def run_spark(
    root: Path | str,
    cases: Iterable[job.Case],
    params: job.Params = job.DEFAULTS,
    risk: dict[int, int] | None = None,
    session: Any = None,
) -> list[Row]:
    """The same job on Spark SQL; `root` may be any path Spark reads (file:, hdfs:, s3a:)."""
    case_rows = _case_rows(cases)
    if not case_rows:
        return []
    spark = session or spark_session()
    location = str(root).rstrip("/") + "/stays"
    stays = spark.read.option("basePath", location).parquet(location)
    stays.select(*store.COLUMNS).createOrReplaceTempView("stays")
    # Small inputs as VALUES views: no Python workers, so a cluster needs no matching Python.
    _values_view(spark, "cases", ("case_id", "person", "w_from", "w_to"), case_rows)
    _values_view(spark, "risk", ("setting", "weight"), _risk_rows(risk))
    top = max(n for n, _ in job.spans(params))
    spark.range(0, top + 1).toDF("n").crossJoin(spark.range(0, top + 1).toDF("k")).where(
        "k <= n"
    ).createOrReplaceTempView("spans")
    return [tuple(int(v) for v in r) for r in spark.sql(job.sql(params)).collect()]


def _values_view(spark: Any, name: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    values = ", ".join(
        "(" + ", ".join(f"CAST({int(v)} AS BIGINT)" for v in row) + ")" for row in rows
    )
    spark.sql(f"SELECT * FROM VALUES {values} AS t({', '.join(columns)})").createOrReplaceTempView(
        name
    )


def run(engine: str, root: Path | str, cases: Iterable[job.Case], **kwargs: Any) -> list[Row]:
    if engine == "duckdb":
        return run_duckdb(root, cases, **kwargs)
    if engine == "spark":
        return run_spark(root, cases, **kwargs)
    raise ValueError(f"unknown engine {engine!r}")
