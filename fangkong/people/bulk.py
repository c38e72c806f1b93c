"""Bulk registration: the same validation, encryption and blind index as one-by-one
registration, for imports, the demo and the city-scale benchmark.

Two writers share `prepare`: `bulk_register` (ORM, any database) and `copy_register`
(PostgreSQL COPY into a staging table, then one INSERT … ON CONFLICT DO NOTHING that
lets the unique blind index refuse already-registered IDs)."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from fangkong.core import clock, crypto
from fangkong.people import rules
from fangkong.people.actions import MASKED_COLUMN, MASKERS
from fangkong.people.models import Person


@dataclass
class BulkReport:
    accepted: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # (row, field, reason)


def prepare_values(
    row: dict[str, Any], node_paths: dict[int, str], today: dt.date, now: dt.datetime
) -> dict[str, Any]:
    """Validate one plain row into column values (encrypted, indexed, masked);
    raises rules.IdentityError("field: reason"). A caller that has parsed the resident
    ID already (the list import's `clean_row`) passes it as `resident_id`, so an ID is
    parsed once per row."""
    values: dict[str, Any] = {
        "name": row["name"],
        "name_initials": row.get("name_initials") or rules.pinyin_initials(row["name"]),
        "sex": row.get("sex", "U"),
        "birth_date": row.get("birth_date"),
        "id_number_enc": None,
        "id_number_index": None,
        "id_masked": "",
        "doc_type": "",
        "doc_masked": "",
        "phone_enc": None,
        "phone_index": None,
        "phone_masked": "",
        "address": row.get("address", ""),
        "node_id": row["node_id"],
        "path": node_paths[row["node_id"]],
        "household_id": row.get("household_id"),
        "registered_residence": row.get("registered_residence", ""),
        "occupation": row.get("occupation", ""),
        "workplace": row.get("workplace", ""),
        "tags": row.get("tags", ""),
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    rid = row.get("resident_id")
    if rid is None and row.get("id_number"):
        try:
            rid = rules.parse_resident_id(row["id_number"], today)
        except rules.IdentityError as exc:
            raise rules.IdentityError(f"id_number: {exc}") from None
    if rid is not None:
        values["birth_date"], values["sex"] = rid.birth_date, rid.sex
        protect(values, "id_number", rid.number)
    if row.get("phone"):
        try:
            protect(values, "phone", rules.parse_mobile(row["phone"]))
        except rules.IdentityError as exc:
            raise rules.IdentityError(f"phone: {exc}") from None
    return values


def protect(values: dict[str, Any], name: str, value: str) -> None:
    values[f"{name}_enc"] = crypto.encrypt(value, f"person.{name}")
    values[f"{name}_index"] = crypto.blind_index(value, f"person.{name}")
    values[MASKED_COLUMN[name]] = MASKERS[name](value)


def prepare(row: dict[str, Any], node_paths: dict[int, str], today: dt.date) -> Person:
    """An unsaved Person from a plain row (same validation as the COPY path)."""
    return Person(**prepare_values(row, node_paths, today, clock.now()))


def _prepared(
    rows: Iterable[dict[str, Any]], node_paths: dict[int, str], report: BulkReport
) -> Iterable[tuple[int, dict[str, Any]]]:
    """Validated column values with their row numbers; rejects go to the report."""
    today, now = clock.today(), clock.now()
    seen: set[str] = set()
    for i, row in enumerate(rows, start=1):
        try:
            values = prepare_values(row, node_paths, today, now)
        except rules.IdentityError as exc:
            name, _, reason = str(exc).partition(": ")
            report.rejected.append((i, name, reason))
            continue
        index = values["id_number_index"]
        if index:
            if index in seen:
                report.rejected.append((i, "id_number", "duplicate within the file"))
                continue
            seen.add(index)
        yield i, values


def bulk_register(
    rows: Iterable[dict[str, Any]], node_paths: dict[int, str], batch_size: int = 2000
) -> BulkReport:
    """Validate and insert; rejected rows are reported with field and reason, the
    rest are kept. Duplicates of a stored resident ID are rejected, not merged."""
    report = BulkReport()
    batch: list[tuple[int, Person]] = []

    def flush() -> None:
        indexes = [p.id_number_index for _, p in batch if p.id_number_index]
        taken = set(
            Person.objects.filter(
                id_number_index__in=indexes, merged_into__isnull=True
            ).values_list("id_number_index", flat=True)
        )
        fresh = []
        for i, p in batch:
            if p.id_number_index and p.id_number_index in taken:
                report.rejected.append((i, "id_number", "already registered"))
            else:
                fresh.append(p)
        with transaction.atomic():
            Person.objects.bulk_create(fresh, batch_size=batch_size)
        report.accepted += len(fresh)
        batch.clear()

    for i, values in _prepared(rows, node_paths, report):
        batch.append((i, Person(**values)))
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return report


COPY_FIELDS = (
    "name",
    "name_initials",
    "sex",
    "birth_date",
    "id_number_enc",
    "id_number_index",
    "id_masked",
    "doc_type",
    "doc_masked",
    "phone_enc",
    "phone_index",
    "phone_masked",
    "address",
    "node_id",
    "path",
    "household_id",
    "registered_residence",
    "occupation",
    "workplace",
    "tags",
    "version",
    "created_at",
    "updated_at",
)


def copy_register(
    rows: Iterable[dict[str, Any]], node_paths: dict[int, str], batch_size: int = 50_000
) -> BulkReport:
    """PostgreSQL only: the fast path for city-scale loads (same `prepare`)."""
    if connection.vendor != "postgresql":
        return bulk_register(rows, node_paths)
    report = BulkReport()
    cols = ", ".join(COPY_FIELDS)
    batch: list[tuple[int, dict[str, Any]]] = []

    def flush() -> None:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS person_stage ON COMMIT DELETE ROWS "
                f"AS SELECT {cols} FROM people_person WITH NO DATA"
            )
            with cur.cursor.copy(f"COPY person_stage ({cols}) FROM STDIN") as copy:
                for _i, values in batch:
                    copy.write_row([values[f] for f in COPY_FIELDS])
            cur.execute(
                f"INSERT INTO people_person ({cols}) SELECT {cols} FROM person_stage "
                "ORDER BY id_number_index "
                "ON CONFLICT (id_number_index) WHERE merged_into_id IS NULL "
                "AND id_number_index IS NOT NULL DO NOTHING RETURNING id_number_index"
            )
            inserted = {r[0] for r in cur.fetchall()}
        refused = [
            i for i, v in batch if v["id_number_index"] and v["id_number_index"] not in inserted
        ]
        report.rejected.extend((i, "id_number", "already registered") for i in refused)
        report.accepted += len(batch) - len(refused)
        batch.clear()

    for item in _prepared(rows, node_paths, report):
        batch.append(item)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return report
