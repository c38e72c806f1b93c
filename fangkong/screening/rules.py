"""Screening rules as plain functions: row validation, key areas (R14), due times,
fingerprints, medians and named checklists. No database."""

import datetime as dt
import hashlib
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.people import identity

TEXT_LIMITS = {
    "name": 50,
    "origin": 100,
    "itinerary": 200,
    "transport": 40,
    "transport_no": 40,
    "address": 200,
}


class RowError(ValueError):
    """A row that cannot be imported: `field` and a reason a person can act on."""

    def __init__(self, field: str, reason: str):
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


@dataclass
class CleanRow:
    name: str
    id_number: str = ""
    phone: str = ""
    birth_date: dt.date | None = None
    sex: str = "U"
    origin: str = ""
    arrival_at: dt.datetime | None = None
    transport: str = ""
    transport_no: str = ""
    address: str = ""
    itinerary: str = ""
    stated_birth: dt.date | None = None  # a birth-date column, checked against the ID
    resident_id: identity.ResidentId | None = None
    parsed: identity.Identity | None = None  # parsed once, handed to the registry

    def __reduce__(self) -> tuple[Any, tuple]:
        """Pickled as its values (prepared rows cross from the import's workers to its
        parent): the parsed identity and resident ID, when they are what `clean_row`
        derives from those values, are rebuilt on arrival instead of being sent."""
        values = (
            self.name,
            self.id_number,
            self.phone,
            self.birth_date,
            self.sex,
            self.origin,
            self.arrival_at,
            self.transport,
            self.transport_no,
            self.address,
            self.itinerary,
            self.stated_birth,
        )
        rid, ident = self.resident_id, self.parsed
        if (
            ident is not None
            and ident.resident_id is rid
            and not ident.errors
            and ident.name == self.name
            and ident.id_number == self.id_number
            and ident.phone == self.phone
            and ident.birth_date == self.birth_date
            and ident.sex == self.sex
            and (
                rid is None
                or (
                    rid.number == self.id_number
                    and rid.birth_date == self.birth_date
                    and rid.sex == self.sex
                    and rid.region == self.id_number[:6]
                )
            )
        ):
            return (rebuild_row, (values, rid is not None))
        return (CleanRow, (*values, rid, ident))


def _identity(  # noqa: PLR0913
    name: str,
    number: str,
    phone: str,
    birth: dt.date | None,
    sex: str,
    with_id: bool,
) -> identity.Identity:
    """The `identity.Identity` a clean row's values come from (`identity.parse`'s)."""
    rid = identity.ResidentId(number, birth, sex, number[:6]) if with_id else None  # type: ignore[arg-type]
    return identity.Identity(name, number, phone, birth, sex, rid)


def rebuild_row(values: tuple, with_id: bool) -> CleanRow:
    """A pickled `CleanRow` from its values (`CleanRow.__reduce__`)."""
    name, number, phone, birth, sex = values[:5]
    ident = _identity(name, number, phone, birth, sex, with_id)
    return CleanRow(*values, ident.resident_id, ident)  # type: ignore[call-arg]


def cell_text(value: Any) -> str:
    """A spreadsheet cell as text: floats that are whole numbers lose their “.0”
    (Excel stores phone numbers as numbers), dates become ISO strings."""
    if type(value) is str:  # a CSV's every cell
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def parse_arrival(
    date_text: str, time_text: str, zone: dt.tzinfo | None = None
) -> dt.datetime | None:
    """An aware arrival time from a date ("2020-02-04", "2020/2/4", "2020-02-04 08:30",
    "20200204") and an optional time ("08:30", "8:30:00"), in `zone` (by default the
    current time zone; a caller cleaning many rows reads it once)."""
    return _arrival(date_text, time_text, zone or timezone.get_current_timezone())


@lru_cache(maxsize=4096)
def _arrival(date_text: str, time_text: str, zone: dt.tzinfo) -> dt.datetime | None:
    """`parse_arrival` in `zone`; a list's rows share a few dates and times, so the
    answers are kept (a refusal is raised again each time: exceptions are not kept)."""
    date_text = date_text.strip().replace("/", "-").replace(".", "-")
    time_text = time_text.strip()
    if not date_text:
        return None
    if " " in date_text or "T" in date_text:
        date_text, _sep, rest = date_text.replace("T", " ").partition(" ")
        time_text = time_text or rest
    if date_text.isdigit() and len(date_text) == 8:
        date_text = f"{date_text[:4]}-{date_text[4:6]}-{date_text[6:]}"
    try:
        y, m, d = (int(p) for p in date_text.split("-"))
        day = dt.date(y, m, d)
    except ValueError:
        raise RowError("arrival_date", _("not a date: %s") % date_text) from None
    moment = dt.time(0, 0)
    if time_text:
        parts = time_text.split(":")
        try:
            numbers = [int(float(p)) for p in parts[:3]]
            moment = dt.time(*numbers)  # type: ignore[arg-type]
        except (ValueError, TypeError):
            raise RowError("arrival_time", _("not a time: %s") % time_text) from None
    return timezone.make_aware(dt.datetime.combine(day, moment), zone)


def clean_row(raw: Mapping[str, str], today: dt.date, zone: dt.tzinfo | None = None) -> CleanRow:
    """Validate one mapped row; raise RowError on the first problem (`zone`: the current
    time zone, read once by a caller cleaning many rows)."""
    get = raw.get
    if not get("name", "").strip():
        raise RowError("name", _("the name is missing"))
    for field, limit in TEXT_LIMITS.items():
        if len(get(field, "")) > limit:
            raise RowError(field, _("at most %d characters") % limit)
    id_text, phone_text = get("id_number", "").strip(), get("phone", "").strip()
    if not id_text and not phone_text:
        raise RowError("id_number", _("neither a resident ID nor a phone number"))
    ident = identity.parse(raw["name"], id_text, phone_text, today)
    if ident.errors:
        raise RowError(*ident.errors[0])
    arrival_at = parse_arrival(get("arrival_date", ""), get("arrival_time", ""), zone)
    if arrival_at and arrival_at.date() > today + dt.timedelta(days=1):
        raise RowError("arrival_date", _("the arrival date lies in the future"))
    row = CleanRow(
        ident.name,
        ident.id_number,
        ident.phone,
        ident.birth_date,
        ident.sex,
        get("origin", "").strip(),
        arrival_at,
        get("transport", "").strip(),
        get("transport_no", "").strip().upper(),
        get("address", "").strip(),
        get("itinerary", "").strip(),
        None,
        ident.resident_id,
        ident,
    )
    birth = get("birth_date", "").strip()
    if birth:
        try:
            row.stated_birth = parse_arrival(birth, "", zone).date()  # type: ignore[union-attr]
        except RowError:
            raise RowError("birth_date", _("not a date: %s") % birth) from None
    return row


def row_fingerprint(source_id: int, row: CleanRow) -> str:
    """Same source, same person, same arrival → the same row (idempotent re-upload)."""
    arrival = row.arrival_at.isoformat() if row.arrival_at else ""
    key = "\x1f".join(
        (str(source_id), row.id_number, row.phone, row.name, arrival, row.transport_no)
    )
    return hashlib.sha256(key.encode()).hexdigest()[:32]


KEY_AREA_RISK = "high"


def arrival_day(
    arrival: dt.datetime | None, received: dt.datetime, zone: dt.tzinfo | None = None
) -> dt.date:
    """The day a place of origin is judged on: the local day of arrival, else (no arrival
    time on the row) the day the list was received (`zone`: the current time zone, which
    a caller judging many rows reads once)."""
    return timezone.localdate(arrival or received, zone)


def is_key_area(level: str) -> bool:
    """R14: an arrival from a key area is an arrival from an area that was a high-risk
    area on the day of arrival — `level` is the area's level in the dated risk-area list
    (riskareas) on that day, not a list of screening's own."""
    return level == KEY_AREA_RISK


def due_at(
    received: dt.datetime, key_area: bool, default_hours: int, key_area_hours: int
) -> dt.datetime:
    """R14: arrivals from a key area within `key_area_hours`, others `default_hours`."""
    return received + dt.timedelta(hours=key_area_hours if key_area else default_hours)


def clock_start(arrival: dt.datetime | None, received: dt.datetime) -> dt.datetime:
    """R14: the visit clock runs from the arrival when it is known (an arrival announced
    for later than the import starts its clock then), else from the import."""
    return arrival if arrival is not None else received


def minutes_between(start: dt.datetime, end: dt.datetime) -> int:
    return max(0, int((end - start).total_seconds() // 60))


def median(values: Iterable[float]) -> float | None:
    data = list(values)
    return statistics.median(data) if data else None


def percent(num: int, den: int) -> int | None:
    return round(100 * num / den) if den else None


def evaluate_checklist(checklist: Mapping[str, Any], metrics: Mapping[str, int]) -> dict:
    """A named checklist (e.g. 三清一管好) against the node's metrics: each item shows
    numerator/denominator and whether it is complete."""
    items = []
    for item in checklist.get("items", []):
        num = int(metrics.get(item.get("numerator", ""), 0))
        den_key = item.get("denominator")
        den = int(metrics.get(den_key, 0)) if den_key else None
        if den is None:
            done = num == 0
        else:
            done = den > 0 and num >= den
        items.append(
            {
                "label": item.get("label", ""),
                "num": num,
                "den": den,
                "percent": percent(num, den) if den is not None else None,
                "done": done,
            }
        )
    return {"name": checklist.get("name", ""), "items": items}
