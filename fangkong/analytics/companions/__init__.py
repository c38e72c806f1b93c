"""Space-time companion detection (时空伴随), Django-free.

- `simulate`: a synthetic city with an outbreak and its ground truth (who infected whom,
  where, when), written as the same Parquet layout real data uses;
- `stays`: telecom location records and venue scans turned into stays, bad rows counted;
- `store`: the day-partitioned Parquet store sorted by (cell, t_in);
- `job`: the one SQL text of the bucketed equi-join, run on DuckDB or Spark SQL.

Times are integer seconds since the Unix epoch (UTC); a stay is the half-open interval
[t_in, t_out). Integer arithmetic keeps both engines' results identical to the bit.
"""

# The setting of a stay: 0 for a telecom cell stay, 1.. for a venue scan by venue type.
SETTING_CELL = 0
SETTINGS = {
    0: "cell",
    1: "dining",
    2: "market",
    3: "shop",
    4: "health_care",
    5: "transport",
}
# Venue keys live in their own range so that a venue never collides with an 800 m cell.
VENUE_KEY_BASE = 1_000_000_000
