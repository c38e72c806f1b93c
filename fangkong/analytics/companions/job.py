"""The companion job, written once: one SQL text that DuckDB and Spark SQL both run.

Inputs (views registered by the engine): `stays(person, cell, t_in, t_out, setting)`,
`cases(case_id, person, w_from, w_to)`, `risk(setting, weight)` (per mille), and
`spans(n, k)`: for a stay covering n + 1 buckets, the rows k = 0..n. Steps (analytics.md):

1. cut the cases' stays to their tracing windows; keep the other stays that lie in one of
   the cases' cells and in the overall time range;
2. explode both sides into the Δ-buckets they cover: an equi-join with `spans` on the
   stay's bucket count (both engines spell a join the same way, unlike unnest/explode,
   and an equi-join stays a hash join where a range condition would be a nested loop);
3. equi-join on (cell, bucket), keep overlapping pairs, and count each stay pair once: in
   the bucket holding max(a.t_in, b.t_in), which both stays cover;
4. sum per (case, person); overlap = the larger of the telecom-cell total and the
   venue-scan total (the same visit seen by both sources is not counted twice); keep
   pairs with overlap ≥ θ; exposure = Σ overlap × setting weight; rank by exposure.

Only integer arithmetic: both engines give the same numbers, to the last digit.
"""

from dataclasses import dataclass

from fangkong.analytics.companions import SETTING_CELL
from fangkong.analytics.companions.store import DAY

DEFAULT_THETA = 600  # seconds: 10 minutes (analytics.md)
DEFAULT_BUCKET = 4 * 3600  # stays last hours (home, work): wide buckets explode less
# Setting weights per mille of a shared hour, for ranking only (configurable rule set).
# Public transport 0.1 % and health care 1 % follow Luo et al. 2020; a shared 800 m
# cell (no proximity known) is set to 1 %; dining 5 %, markets 2 %, shops 1 % are
# configurable assumptions between those anchors.
DEFAULT_RISK = {0: 10, 1: 50, 2: 20, 3: 10, 4: 10, 5: 1}

SQL = """
WITH case_stays AS (
  SELECT c.case_id, s.person AS case_person, s.cell, s.setting,
         GREATEST(s.t_in, c.w_from) AS t_in, LEAST(s.t_out, c.w_to) AS t_out
  FROM stays s JOIN cases c ON s.person = c.person
  WHERE s.t_out > c.w_from AND s.t_in < c.w_to AND s.t_out > s.t_in
),
case_cells AS (SELECT DISTINCT cell FROM case_stays),
bounds AS (SELECT MIN(t_in) AS lo, MAX(t_out) AS hi FROM case_stays),
others AS (
  SELECT s.person, s.cell, s.setting, s.t_in, s.t_out
  FROM stays s
  JOIN case_cells k ON s.cell = k.cell
  CROSS JOIN bounds w
  WHERE s.t_out > w.lo AND s.t_in < w.hi AND s.t_out > s.t_in
),
case_b AS (
  SELECT a.case_id, a.case_person, a.cell, a.t_in, a.t_out,
         CAST(FLOOR(a.t_in / {bucket}) AS BIGINT) + o.k AS bucket
  FROM case_stays a JOIN spans o
    ON o.n = CAST(FLOOR((a.t_out - 1) / {bucket}) AS BIGINT) - CAST(FLOOR(a.t_in / {bucket}) AS BIGINT)
),
other_b AS (
  SELECT b.person, b.cell, b.setting, b.t_in, b.t_out,
         CAST(FLOOR(b.t_in / {bucket}) AS BIGINT) + o.k AS bucket
  FROM others b JOIN spans o
    ON o.n = CAST(FLOOR((b.t_out - 1) / {bucket}) AS BIGINT) - CAST(FLOOR(b.t_in / {bucket}) AS BIGINT)
),
pairs AS (
  SELECT a.case_id, b.person, b.setting,
         GREATEST(a.t_in, b.t_in) AS t_from, LEAST(a.t_out, b.t_out) AS t_to
  FROM case_b a JOIN other_b b ON a.cell = b.cell AND a.bucket = b.bucket
  WHERE b.person <> a.case_person
    AND LEAST(a.t_out, b.t_out) > GREATEST(a.t_in, b.t_in)
    AND a.bucket = CAST(FLOOR(GREATEST(a.t_in, b.t_in) / {bucket}) AS BIGINT)
),
per_pair AS (
  SELECT p.case_id, p.person,
         SUM(CASE WHEN p.setting = {cell_setting} THEN p.t_to - p.t_from ELSE 0 END) AS cell_overlap,
         SUM(CASE WHEN p.setting <> {cell_setting} THEN p.t_to - p.t_from ELSE 0 END) AS venue_overlap,
         SUM((p.t_to - p.t_from) * r.weight) AS exposure,
         COUNT(*) AS shared_stays,
         MIN(p.t_from) AS first_at,
         MAX(p.t_to) AS last_at
  FROM pairs p JOIN risk r ON r.setting = p.setting
  GROUP BY p.case_id, p.person
),
kept AS (
  SELECT case_id, person,
         GREATEST(cell_overlap, venue_overlap) AS overlap,
         cell_overlap, venue_overlap, exposure, shared_stays, first_at, last_at
  FROM per_pair
  WHERE GREATEST(cell_overlap, venue_overlap) >= {theta}
)
SELECT case_id, person, overlap, cell_overlap, venue_overlap, exposure, shared_stays,
       first_at, last_at,
       ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY exposure DESC, overlap DESC, person) AS rank
FROM kept
ORDER BY case_id, rank
"""

COLUMNS = (
    "case_id",
    "person",
    "overlap",
    "cell_overlap",
    "venue_overlap",
    "exposure",
    "shared_stays",
    "first_at",
    "last_at",
    "rank",
)


@dataclass(frozen=True)
class Params:
    theta: int = DEFAULT_THETA
    bucket: int = DEFAULT_BUCKET

    def __post_init__(self) -> None:
        if self.theta <= 0 or self.bucket <= 0:
            raise ValueError("theta and bucket must be positive seconds")


@dataclass(frozen=True)
class Case:
    """A case to trace: its id (returned in results), its person in the store, its window."""

    case_id: int
    person: int
    w_from: int
    w_to: int


def sql(params: Params) -> str:
    """The job's SQL text with its integer parameters filled in (no user text enters it)."""
    return SQL.format(
        bucket=int(params.bucket), theta=int(params.theta), cell_setting=int(SETTING_CELL)
    )


def spans(params: Params) -> list[tuple[int, int]]:
    """(n, k) for k = 0..n, n up to the most buckets a stay can span (stays are cut at
    local midnight, so at most a day plus the bucket the day starts in)."""
    top = DAY // params.bucket + 1
    return [(n, k) for n in range(top + 1) for k in range(n + 1)]


DEFAULTS = Params()
