"""Venues and their scans (场所码与扫码): QR codes, single and batch scan ingest
(idempotent by client id), gate entry and exit with temperature (R13)."""

import datetime as dt
import io
import uuid
from decimal import Decimal
from typing import Any, NamedTuple

import segno
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.core import clock, prepared, readings
from fangkong.core.access import actor, invalid, one_of, require
from fangkong.core.querysets import scope_prefix
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
    one_of("kind", kind, VenueKind)
    node = data.get("node")
    if node is None:
        raise invalid("node", _("this field is required"))
    venue = Venue(name=name[:100], kind=kind, address=str(data.get("address") or "")[:200])
    venue.node = node
    with actor(user):
        venue.save()
    return venue


def venue_for(user: Any, code: str, action: str = "view") -> Venue | None:
    """The venue of this QR code among those `user` may `action` — what
    `Venue.objects.restrict(user, action).filter(code=code).first()` gives — in one
    prepared statement (the gate's hot path, issue #21); None when unknown or outside."""
    prefix = scope_prefix(user, Venue, action)
    if prefix is None:
        return None
    where = "code = %s AND " + prepared.starts_with(Venue.scope_path)
    return prepared.first(Venue, where, [code, prepared.like_prefix(prefix)])


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


def _temperature(value: Any) -> Decimal | None:
    return None if value in (None, "") else readings.reported_temperature(value)


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


def insert_scan_sql() -> str:
    """record_scan's one statement: the scan of COLUMNS' values, or nothing when its
    client id is stored already (RETURNING its id when it went in)."""
    return (
        f"INSERT INTO {Scan._meta.db_table} ({', '.join(COLUMNS)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(COLUMNS))}) "
        f"ON CONFLICT (client_id) DO NOTHING RETURNING id"
    )


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
    cid = readings.client_id_field(client_id)
    one_of("direction", direction, Direction)
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
    found = prepared.execute(insert_scan_sql(), params)
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


INT64 = 2**63
UUID_TEXT = readings.UUID_TEXT
DIRECTIONS = frozenset(Direction.values)
VISIT = str(Direction.VISIT.value)


class BadRow(Exception):
    """One batch row refused: the field and the problem, reported with the row's index."""

    def __init__(self, field: str, problem: str) -> None:
        self.field, self.problem = field, problem
        super().__init__(problem)

    def reason(self) -> str:
        return _("%(field)s: %(problem)s") % {"field": self.field, "problem": self.problem}


class GoodRow(NamedTuple):
    """A checked batch row: plain values, the client id as canonical UUID text."""

    venue_id: int
    path: str  # the venue's
    person_id: int | None
    client_id: str
    scanned_at: dt.datetime
    direction: str
    temperature: Decimal | None
    colour: str


def _person_id(value: Any) -> int | None:
    """A person id as sent: a whole number (or its digits as text), else BadRow."""
    if value is None:
        return None
    if type(value) is int:
        return value
    if type(value) is str and value.isascii() and value.isdigit():
        return int(value)
    if type(value) is float and value.is_integer():
        return int(value)
    raise BadRow("person_id", _("not a whole number"))


def _batch_client_id(value: Any) -> str:
    if type(value) is str:
        text = value.lower()
        if UUID_TEXT.fullmatch(text):
            return text
    try:
        return str(readings.client_id(value))
    except readings.NotANumber:
        raise BadRow("client_id", _("the client id must be a UUID")) from None


def _batch_when(value: Any, now: dt.datetime) -> dt.datetime:
    if type(value) is str:
        try:
            when = dt.datetime.fromisoformat(value)
        except ValueError:
            when = None
        if when is not None and when.tzinfo is not None and when <= now:
            return when  # the common case; anything else takes the full check
    try:
        return _when(value)
    except ValidationError as exc:
        raise BadRow("scanned_at", " ".join(exc.messages)) from None


class _Checker:
    """Checks batch rows one by one against what one batch needs from the database (the
    venues by code, the persons named); temperatures and colours repeat, so their
    readings are kept for the batch."""

    def __init__(
        self, venues: dict[str, tuple[int, str]], persons: set[int], now: dt.datetime
    ) -> None:
        self.venues, self.persons, self.now = venues, persons, now
        self.temperatures: dict[tuple[type, Any], Decimal | BadRow] = {}

    def temperature(self, value: Any) -> Decimal | None:
        if value is None or value == "":
            return None
        key = (type(value), value)
        try:
            found = self.temperatures.get(key)
        except TypeError:  # a list or an object: not a reading
            raise BadRow("temperature", _("not a number")) from None
        if found is None:
            try:
                found = _temperature(value)
            except ValidationError as exc:
                found = BadRow("temperature", " ".join(exc.messages))
            self.temperatures[key] = found  # type: ignore[assignment]
        if isinstance(found, BadRow):
            raise found
        return found

    def row(self, row: Any) -> GoodRow:
        """One row as plain values, or BadRow naming the field."""
        if type(row) is not dict:
            raise BadRow("scans", _("each scan must be a JSON object"))
        code = row.get("venue_code")
        venue = self.venues.get(code) if type(code) is str else None  # (id, path)
        if venue is None:
            raise BadRow("venue_code", _("unknown venue: this QR code is not registered"))
        cid = _batch_client_id(row.get("client_id"))
        person_id = _person_id(row.get("person_id"))
        if person_id is not None and person_id not in self.persons:
            raise BadRow("person_id", _("no such person"))
        direction = row.get("direction") or VISIT
        if type(direction) is not str or direction not in DIRECTIONS:
            raise BadRow("direction", _("must be one of %s") % ", ".join(Direction.values))
        colour = row.get("colour") or ""
        return GoodRow(
            *venue,
            person_id,
            cid,
            _batch_when(row.get("scanned_at"), self.now),
            direction,
            self.temperature(row.get("temperature")),
            (colour if type(colour) is str else str(colour))[:6],
        )


def _named_persons(rows: list[Any]) -> set[int]:
    """The person ids named in the batch that exist: one query (`= ANY` on PostgreSQL)."""
    named = set()
    for row in rows:
        if type(row) is dict and row.get("person_id") is not None:
            try:
                pid = _person_id(row["person_id"])
            except BadRow:
                continue
            if pid is not None and 0 < pid < INT64:
                named.add(pid)
    if not named:
        return set()
    Person = apps.get_model("people", "Person")
    return set(Person.objects.filter(pk__any=list(named)).values_list("pk", flat=True))


def check_batch(user: Any, rows: list[Any]) -> tuple[list[GoodRow], list[dict[str, Any]]]:
    """The rows of a batch checked one by one: (good rows, deduplicated by client id —
    the first wins; rejected rows as {"row": index, "reason": "field: problem"}). The
    venues the user may see and the persons named are read once each."""
    require(user, "add", "tracing.scan")
    if len(rows) > MAX_BATCH:
        raise BatchTooLarge(MAX_BATCH)
    codes = {c for r in rows if type(r) is dict and type(c := r.get("venue_code")) is str}
    venues = {
        code: (pk, path)
        for code, pk, path in Venue.objects.restrict(user, "view")
        .filter(code__in=codes, active=True)
        .values_list("code", "id", "path")
    }
    check = _Checker(venues, _named_persons(rows), clock.now())
    good: list[GoodRow] = []
    rejected: list[dict[str, Any]] = []
    for i, row in enumerate(rows):
        try:
            good.append(check.row(row))
        except BadRow as exc:
            rejected.append({"row": i, "reason": exc.reason()})
    return good, rejected


def ingest_batch(user: Any, rows: list[Any]) -> dict[str, Any]:
    """A venue system or gate device sends many scans at once: each row is checked on
    its own (a bad row is reported by its index and field, the others are stored), the
    good ones are written in one transaction (`write_batch`); a client id already
    stored, or twice in the batch, is stored once. More than MAX_BATCH rows:
    BatchTooLarge, and nothing is written."""
    good, rejected = check_batch(user, rows)
    stored = write_batch(good)
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
# What a batch stages (the other columns are the same for every row of the batch).
STAGED = ("venue_id", "person_id", "client_id", "scanned_at", "direction", "temperature",
          "colour", "path")  # fmt: skip
PG_TYPES = ("bigint", "bigint", "uuid", "timestamptz", "text", "numeric(3,1)", "text", "text")
STAGE = "tracing_scan_copy"  # per connection (temporary), emptied by every merge
COPY_TEXT = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: str) -> str:
    """A value as COPY's text format writes it (backslash, tab, newline, CR escaped)."""
    return value.translate(COPY_TEXT)


def copy_lines(rows: list[GoodRow]) -> str:
    """The rows in COPY text format, in STAGED order."""
    paths: dict[int, str] = {}
    colours: dict[str, str] = {}
    out = []
    for r in rows:
        path = paths.get(r.venue_id)
        if path is None:
            path = paths[r.venue_id] = _copy_text(r.path)
        colour = colours.get(r.colour)
        if colour is None:
            colour = colours[r.colour] = _copy_text(r.colour)
        out.append(
            f"{r.venue_id}\t{'\\N' if r.person_id is None else r.person_id}\t{r.client_id}\t"
            f"{r.scanned_at.isoformat()}\t{r.direction}\t"
            f"{'\\N' if r.temperature is None else r.temperature}\t{colour}\t{path}\n"
        )
    return "".join(out)


def _unique(rows: list[GoodRow]) -> list[GoodRow]:
    """The first row of each client id."""
    seen: set[str] = set()
    out = []
    for r in rows:
        if r.client_id not in seen:
            seen.add(r.client_id)
            out.append(r)
    return out


@transaction.atomic
def write_batch(rows: list[GoodRow]) -> int:
    """Store checked scans once each (the first row of a client id; a client id already
    stored skipped); the number stored. One transaction: a batch is never half-written.
    PostgreSQL: ONE COPY (text format) into a temporary stage, then ONE statement that
    empties the stage and merges it (ON CONFLICT (client_id) DO NOTHING). Other engines:
    one bulk insert that ignores conflicts."""
    rows = _unique(rows)
    if not rows:
        return 0
    now = clock.now()
    table = Scan._meta.db_table
    if connection.vendor == "postgresql":
        cols = ", ".join(STAGED)
        typed = ", ".join(f"{c} {t}" for c, t in zip(STAGED, PG_TYPES, strict=True))
        with connection.cursor() as cur:
            cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} ({typed})")
            with cur.cursor.copy(f"COPY {STAGE} ({cols}) FROM STDIN") as copy:
                copy.write(copy_lines(rows))
            cur.execute(
                f"WITH staged AS (DELETE FROM {STAGE} RETURNING *) "  # noqa: S608
                f"INSERT INTO {table} ({', '.join(COLUMNS)}) "
                f"SELECT venue_id, person_id, client_id, scanned_at, %s, direction, "
                f"temperature, colour, true, '', path FROM staged "
                f"ON CONFLICT (client_id) DO NOTHING",
                [now],
            )
            return cur.rowcount
    before = Scan.objects.count()
    Scan.objects.bulk_create(
        [
            Scan(
                venue_id=r.venue_id,
                person_id=r.person_id,
                client_id=uuid.UUID(r.client_id),
                scanned_at=r.scanned_at,
                received_at=now,
                direction=r.direction,
                temperature=r.temperature,
                colour=r.colour,
                admitted=True,
                refusal="",
                path=r.path,
            )
            for r in rows
        ],
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
