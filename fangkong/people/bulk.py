"""Bulk registration: the same validation, encryption and blind index as one-by-one
registration, for imports, the demo and the city-scale benchmark."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from fangkong.core import clock
from fangkong.people import rules
from fangkong.people.actions import set_protected
from fangkong.people.models import Person


@dataclass
class BulkReport:
    accepted: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # (row, field, reason)


def prepare(row: dict[str, Any], node_paths: dict[int, str], today: dt.date) -> Person:
    """Build an unsaved Person from a plain row; raises rules.IdentityError(field: reason)."""
    person = Person(
        name=row["name"],
        name_initials=row.get("name_initials") or rules.pinyin_initials(row["name"]),
        sex=row.get("sex", "U"),
        birth_date=row.get("birth_date"),
        address=row.get("address", ""),
        node_id=row["node_id"],
        path=node_paths[row["node_id"]],
        household_id=row.get("household_id"),
        registered_residence=row.get("registered_residence", ""),
        occupation=row.get("occupation", ""),
        workplace=row.get("workplace", ""),
        tags=row.get("tags", ""),
    )
    if row.get("id_number"):
        try:
            rid = rules.parse_resident_id(row["id_number"], today)
        except rules.IdentityError as exc:
            raise rules.IdentityError(f"id_number: {exc}") from None
        person.birth_date, person.sex = rid.birth_date, rid.sex
        set_protected(person, "id_number", rid.number)
    if row.get("phone"):
        try:
            set_protected(person, "phone", rules.parse_mobile(row["phone"]))
        except rules.IdentityError as exc:
            raise rules.IdentityError(f"phone: {exc}") from None
    now = clock.now()
    person.created_at = person.updated_at = now
    return person


def bulk_register(
    rows: Iterable[dict[str, Any]], node_paths: dict[int, str], batch_size: int = 2000
) -> BulkReport:
    """Validate and insert; rejected rows are reported with field and reason, the
    rest are kept. Duplicates of a stored resident ID are rejected, not merged."""
    report = BulkReport()
    today = clock.today()
    batch: list[Person] = []
    seen: set[str] = set()

    def flush() -> None:
        indexes = [p.id_number_index for p in batch if p.id_number_index]
        taken = set(
            Person.objects.filter(
                id_number_index__in=indexes, merged_into__isnull=True
            ).values_list("id_number_index", flat=True)
        )
        fresh = [p for p in batch if not p.id_number_index or p.id_number_index not in taken]
        for p in batch:
            if p.id_number_index in taken:
                report.rejected.append((getattr(p, "_row", 0), "id_number", "already registered"))
        with transaction.atomic():
            Person.objects.bulk_create(fresh, batch_size=batch_size)
        report.accepted += len(fresh)
        batch.clear()

    for i, row in enumerate(rows, start=1):
        try:
            person = prepare(row, node_paths, today)
        except rules.IdentityError as exc:
            name, _, reason = str(exc).partition(": ")
            report.rejected.append((i, name, reason))
            continue
        if person.id_number_index:
            if person.id_number_index in seen:
                report.rejected.append((i, "id_number", "duplicate within the file"))
                continue
            seen.add(person.id_number_index)
        person._row = i  # type: ignore[attr-defined]
        batch.append(person)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return report
