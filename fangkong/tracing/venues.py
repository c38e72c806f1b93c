"""Venues and their scans (场所码与扫码): QR codes, single and batch scan ingest
(idempotent by client id), gate entry and exit with temperature (R13)."""

import datetime as dt
import io
import uuid
from decimal import Decimal
from typing import Any

import segno
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.core import clock, prepared, readings
from fangkong.core.access import actor, invalid, require
from fangkong.tracing.actions import rules_in_force
from fangkong.tracing.choices import Direction, VenueKind
from fangkong.tracing.models import Scan, Venue

MAX_BATCH = 20000


class UnknownVenue(ValidationError):
    pass


@transaction.atomic
def create_venue(user: Any, data: dict[str, Any]) -> Venue:
    require(user, "add", "tracing.venue")
    name = str(data.get("name") or "").strip()
    if not name:
        raise invalid("name", _("this field is required"))
    kind = str(data.get("kind") or "")
    if kind not in VenueKind.values:
        raise invalid("kind", _("must be one of %s") % ", ".join(VenueKind.values))
    node = data.get("node")
    if node is None:
        raise invalid("node", _("this field is required"))
    venue = Venue(name=name[:100], kind=kind, address=str(data.get("address") or "")[:200])
    venue.node = node
    with actor(user):
        venue.save()
    return venue


def venue_by_code(code: str) -> Venue:
    venue = Venue.objects.filter(code=code, active=True).select_related("node").first()
    if venue is None:
        raise UnknownVenue({"venue": [_("unknown venue: this QR code is not registered")]})
    return venue


def scan_url(venue: Venue, base: str = "") -> str:
    return base + reverse("tracing:scan_page", args=[venue.code])


def qr_svg(venue: Venue, base: str) -> str:
    """The printable QR code (segno) that opens the venue's scan page."""
    out = io.BytesIO()
    segno.make(scan_url(venue, base), error="m").save(out, kind="svg", scale=8, border=2)
    return out.getvalue().decode()


def _when(value: Any) -> dt.datetime:
    if value in (None, ""):
        return clock.now()
    try:
        when = readings.moment(value)
    except readings.NotANumber:
        raise invalid("scanned_at", _("not a date and time (ISO 8601)")) from None
    if when > clock.now() + dt.timedelta(minutes=10):
        raise invalid("scanned_at", _("the scan cannot be in the future"))
    return when


def _uuid(value: Any) -> uuid.UUID:
    try:
        return readings.client_id(value)
    except readings.NotANumber:
        raise invalid("client_id", _("the client id must be a UUID")) from None


def _temperature(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return readings.temperature(
            value, Decimal("34.0"), Decimal("43.0"), commas="", round_first=True
        )
    except readings.NotANumber:
        raise invalid("temperature", _("not a number")) from None
    except readings.OutOfRange:
        raise invalid("temperature", _("a body temperature is between 34 and 43 °C")) from None


def _colour_of(person_id: int | None) -> str:
    if person_id is None or not apps.is_installed("fangkong.healthcode"):
        return ""
    from fangkong.healthcode.actions import colour_of

    return colour_of(person_id)


def entry_check(
    venue: Venue, direction: str, colour: str, temp: Decimal | None, day: dt.date
) -> tuple[bool, str]:
    """R13 at every door: an entry (or a visit scanned on the way in) is refused with a
    code that is not green or a temperature at or above the threshold in force; at a
    staffed entry (direction "entry") the temperature must be taken. Exits are never
    refused; the record-only venue kinds are named in the rule set."""
    if direction == Direction.EXIT:
        return True, ""
    r = rules_in_force(day)
    if venue.kind in (r.record_only_kinds or []):
        return True, ""
    if colour != "green":
        return False, _("health code is not green")
    if temp is None and direction == Direction.ENTRY:
        return False, _("take the temperature first")
    if temp is not None and temp >= r.gate_fever_from:
        return False, _("temperature %(t)s °C is at or above %(m)s °C") % {
            "t": temp,
            "m": r.gate_fever_from,
        }
    return True, ""


def record_scan(
    venue: Venue,
    *,
    client_id: Any,
    person_id: int | None = None,
    scanned_at: Any = None,
    direction: str = Direction.VISIT,
    temperature: Any = None,
    colour: str | None = None,
) -> tuple[Scan, bool]:
    """Store one scan; (scan, created). The same client id again returns the stored one.
    At every venue that checks entries (R13) an entry is let in only with a green code
    and a temperature below the threshold (`entry_check`). `colour` is the colour a
    signed code carried when a gate without a signal checked it (the stored code's
    colour now by default)."""
    cid = _uuid(client_id)
    if direction not in Direction.values:
        raise invalid("direction", _("must be one of %s") % ", ".join(Direction.values))
    when = _when(scanned_at)
    temp = _temperature(temperature)
    colour = _colour_of(person_id) if colour is None else colour
    admitted, refusal = entry_check(venue, direction, colour, temp, timezone.localdate(when))
    values = (venue.pk, person_id, cid, when, clock.now(), direction, temp, colour, admitted,
              refusal, venue.path)  # fmt: skip
    # One statement: the insert, or nothing when the client id is already stored.
    fields = [
        Scan._meta.get_field(c.removesuffix("_id") if c.endswith("_id") and c != "client_id" else c)
        for c in COLUMNS
    ]
    params = [
        f.get_db_prep_save(v, connection)  # type: ignore[union-attr]
        for f, v in zip(fields, values, strict=True)
    ]
    found = prepared.execute(
        f"INSERT INTO {Scan._meta.db_table} ({', '.join(COLUMNS)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(COLUMNS))}) "
        f"ON CONFLICT (client_id) DO NOTHING RETURNING id",
        params,
    )
    row = found[0] if found else None
    if row is None:  # sent twice: the stored scan wins
        return Scan.objects.get(client_id=cid), False
    scan = Scan(id=row[0], **dict(zip(COLUMNS, values, strict=True)))
    scan._state.adding = False
    return scan, True


class BatchTooLarge(Exception):
    """More scans in one batch than MAX_BATCH: the API answers 413 naming the limit."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(_("at most %d scans per batch") % limit)


def _batch_row(row: dict[str, Any], venue: Venue | None, persons: set[int], now: Any) -> tuple:
    """One batch row as the staging columns, or ValidationError naming the field."""
    if venue is None:
        raise invalid("venue_code", _("unknown venue: this QR code is not registered"))
    person_id = row.get("person_id")
    if person_id is not None and person_id not in persons:
        raise invalid("person_id", _("person_id: no such person"))
    direction = row.get("direction") or Direction.VISIT
    if direction not in Direction.values:
        raise invalid("direction", _("must be one of %s") % ", ".join(Direction.values))
    when = row.get("scanned_at")
    if not (isinstance(when, dt.datetime) and when.tzinfo is not None and when <= now):
        when = _when(when)  # text, naive or just ahead of the clock: the full check
    temp = row.get("temperature")
    return (
        venue.pk,
        person_id,
        _uuid(row.get("client_id")),
        when,
        now,
        str(direction),
        None if temp is None else _temperature(temp),
        str(row.get("colour") or "")[:6],
        True,
        "",
        venue.path,
    )


def ingest_batch(user: Any, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """A venue system or gate device sends many scans at once: each row is checked on
    its own (a bad row is reported by its index, the others are stored), the good ones
    are written in one set-based merge (`_insert_scans`); a client id already stored,
    or twice in the batch, is stored once. More than MAX_BATCH rows: BatchTooLarge."""
    require(user, "add", "tracing.scan")
    if len(rows) > MAX_BATCH:
        raise BatchTooLarge(MAX_BATCH)
    codes = {str(r.get("venue_code") or "") for r in rows}
    venues = {
        v.code: v
        for v in Venue.objects.restrict(user, "view")
        .filter(code__in=codes, active=True)
        .only("id", "code", "path")
    }
    now = clock.now()
    good: list[tuple] = []
    rejected: list[dict[str, Any]] = []
    named = set()
    for r in rows:
        pid = r.get("person_id")
        if pid is not None:
            try:
                named.add(int(pid))
            except (TypeError, ValueError):
                pass
    Person = apps.get_model("people", "Person")
    persons = (
        set(Person.objects.filter(pk__in=named).values_list("pk", flat=True)) if named else set()
    )
    for i, row in enumerate(rows):
        try:
            good.append(_batch_row(row, venues.get(str(row.get("venue_code") or "")), persons, now))
        except ValidationError as exc:
            rejected.append({"row": i, "reason": " ".join(exc.messages)})
    stored = _insert_scans(good)
    return {
        "received": len(rows),
        "stored": stored,
        "duplicates": len(good) - stored,
        "rejected": rejected,
    }


COLUMNS = (
    "venue_id",
    "person_id",
    "client_id",
    "scanned_at",
    "received_at",
    "direction",
    "temperature",
    "colour",
    "admitted",
    "refusal",
    "path",
)
PG_TYPES = (
    "bigint",
    "bigint",
    "uuid",
    "timestamptz",
    "timestamptz",
    "text",
    "numeric(3,1)",
    "text",
    "boolean",
    "text",
    "text",
)
STAGE = "tracing_scan_stage"  # per connection (temporary), emptied by every merge


@transaction.atomic
def _insert_scans(rows: list[tuple]) -> int:
    """Store scans once each; the number stored. PostgreSQL: COPY into a temporary
    staging table, then ONE statement that empties the stage and merges it — the
    first row of each client id (DISTINCT ON), a client id already stored skipped
    (ON CONFLICT DO NOTHING). Other engines: bulk_create with ignore_conflicts."""
    if not rows:
        return 0
    table = Scan._meta.db_table
    if connection.vendor == "postgresql":
        cols = ", ".join(COLUMNS)
        typed = ", ".join(f"{c} {t}" for c, t in zip(COLUMNS, PG_TYPES, strict=True))
        with connection.cursor() as cur:
            cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} (n integer, {typed})")
            with cur.cursor.copy(f"COPY {STAGE} (n, {cols}) FROM STDIN") as copy:
                for n, row in enumerate(rows):
                    copy.write_row((n, *row))
            cur.execute(
                f"WITH staged AS (DELETE FROM {STAGE} RETURNING *) "  # noqa: S608
                f"INSERT INTO {table} ({cols}) "
                f"SELECT DISTINCT ON (client_id) {cols} FROM staged ORDER BY client_id, n "
                f"ON CONFLICT (client_id) DO NOTHING"
            )
            return cur.rowcount
    before = Scan.objects.count()
    Scan.objects.bulk_create(
        [Scan(**dict(zip(COLUMNS, r, strict=True))) for r in rows],
        batch_size=2000,
        ignore_conflicts=True,
    )
    return Scan.objects.count() - before


# --- the gate without a code: the last digits of the resident ID (issue #17 item 7) ------

GATE_TAIL_DIGITS = 4  # the masked ID keeps the last four digits (people.rules)
GATE_CANDIDATES = 8


def gate_candidates(
    user: Any, venue: Venue, tail: str, name: str = "", request: Any = None
) -> tuple[list[Any], bool]:
    """Residents of the venue's area whose resident ID ends with `tail` (and whose name
    starts with `name`, when given), as the gate keeper may see them: (at most
    GATE_CANDIDATES persons, whether there were more). The read is audited with its
    filters and row count; the lists never decrypt (the masked column keeps the tail)."""
    from fangkong.core import audit
    from fangkong.people.models import Person

    tail = (tail or "").strip().upper()
    if (
        len(tail) != GATE_TAIL_DIGITS
        or not tail[:-1].isdigit()
        or not (tail[-1].isdigit() or tail[-1] == "X")
    ):
        raise invalid(
            "id_tail",
            _("enter the last %(n)d characters of the resident ID") % {"n": GATE_TAIL_DIGITS},
        )
    require(user, "view", "people.person", message=_("you may not look up residents"))
    qs = (
        Person.objects.restrict(user, "view")
        .active()
        .under(venue.path)
        .filter(id_masked__endswith=tail)
        .order_by("name", "pk")
    )
    name = (name or "").strip()
    if name:
        qs = qs.filter(name__startswith=name)
    rows = list(qs[: GATE_CANDIDATES + 1])
    audit.record_bulk_read(
        user,
        "people.person",
        {"venue": venue.pk, "id_tail": tail, "name": name},
        len(rows[:GATE_CANDIDATES]),
        request,
        what="gate",
    )
    return rows[:GATE_CANDIDATES], len(rows) > GATE_CANDIDATES


def gate_person(user: Any, venue: Venue, person_id: int, request: Any = None) -> Any:
    """The resident the gate keeper picked from the candidates: one of the venue's area
    the keeper may see; the choice is an audited view of the person."""
    from fangkong.core import audit
    from fangkong.people.models import Person

    person = (
        Person.objects.restrict(user, "view")
        .active()
        .under(venue.path)
        .filter(pk=person_id)
        .first()
    )
    if person is None:
        raise invalid("person", _("choose one of the residents listed"))
    audit.record_access(user, person, "view", request)
    return person
