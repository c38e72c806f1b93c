"""`fangkong import_locations`: telecom location records and venue scans (CSV) into a
data set's stay store, with every rejected row counted by reason."""

import csv
import json
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
from django.core.management.base import BaseCommand, CommandError

from fangkong.analytics.companions import stays, store
from fangkong.companions import actions, rules
from fangkong.companions.models import CompanionRules
from fangkong.core import readings

DWELL = {1: 3600, 2: 1800, 3: 1200, 4: 3600, 5: 1800}  # seconds by venue type, no exit scan


def instant(text: str) -> int | None:
    """Epoch seconds, or ISO 8601 (local time Asia/Shanghai when no offset); None if bad."""
    text = (text or "").strip()
    if text.isdigit():
        return int(text)
    try:
        return int(readings.moment(text).timestamp())
    except readings.NotANumber:
        return None


class Command(BaseCommand):
    help = "Import location records (person,cell,time) and venue scans into a data set."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--data", required=True, help="data set name (created if new)")
        parser.add_argument("--records", default="", help="CSV with person,cell,time")
        parser.add_argument("--scans", default="", help="CSV with person,venue,time,exit_time")

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        if not rules.valid_dataset_name(opts["data"]):
            raise CommandError("--data must be a plain data set name")
        root = actions.data_root() / opts["data"]
        root.mkdir(parents=True, exist_ok=True)
        known = None
        if (root / "persons.parquet").exists():
            known = pq.read_table(root / "persons.parquet", columns=["person"])["person"].to_numpy()
        part = int(time.time())
        gap = CompanionRules.in_force().gap_minutes * 60
        if opts["records"]:
            rows = self._read(opts["records"])
            cols, report = stays.sessionise(
                [r.get("person") for r in rows],
                [r.get("cell") for r in rows],
                [instant(r.get("time", "")) for r in rows],
                gap=gap,
                known_persons=known,
            )
            store.write_stays(root, cols, part=part)
            self.stdout.write("records: " + json.dumps(report.as_dict()))
        if opts["scans"]:
            if not (root / "venues.parquet").exists():
                raise CommandError(f"{root} has no venues.parquet (venue, cell, setting)")
            venues = pq.read_table(root / "venues.parquet").to_pydict()
            types = dict(zip(venues["venue"], venues["setting"], strict=True))
            rows = self._read(opts["scans"])
            exits = [instant(r.get("exit_time", "")) for r in rows]
            cols, report = stays.scans_to_stays(
                [r.get("person") for r in rows],
                [r.get("venue") for r in rows],
                [instant(r.get("time", "")) for r in rows],
                exits,
                venue_type=types,
                dwell=DWELL,
                known_persons=known,
            )
            cols["setting"] = np.asarray(cols["setting"], dtype=np.int32)
            store.write_stays(root, cols, part=part + 1)
            self.stdout.write("scans: " + json.dumps(report.as_dict()))

    def _read(self, path: str) -> list[dict[str, str]]:
        file = Path(path)
        if not file.exists():
            raise CommandError(f"no such file: {path}")
        with file.open(encoding="utf-8-sig", newline="") as fh:
            return list(csv.DictReader(fh))
