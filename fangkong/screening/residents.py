"""A list of residents loaded into the registry (C2): the household register of a
village, a population list from the public-security bureau, the grid's own survey — a
CSV in UTF-8 or GBK, or a workbook, with Chinese headers as officials write them.

Each row is read as the list import reads it (`reading`), placed by its address as
residents write it (`matching`: everyday village names, estates, streets and numbers,
missing city or county) and registered through the bulk load (`people.bulk.copy_register`:
the same R21 parse, encryption, blind index and masks as one-by-one registration; COPY on
PostgreSQL, on worker processes partitioned by identity). Every row's fate is reported by
the row number the official sees in Excel: registered, or refused with the field and the
reason — an address that reaches no village or grid of the loading node's area, an ID
stored already or met earlier in the file (without an ID: the same name and phone), a bad
ID, phone, name or date. A second run of the corrected file registers what the first
refused and refuses what it stored."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from fangkong.core import audit, clock, crypto
from fangkong.core.access import NotAllowed, invalid, require
from fangkong.geo.models import Division
from fangkong.people import bulk, identity
from fangkong.people.models import Person
from fangkong.screening import reading, rules
from fangkong.screening.matching import AddressMatcher, load_matcher

PLACED = {"address", "key", "typo", "alias"}  # the matcher's kinds that name a village or grid
HEADERS: dict[str, tuple[str, ...]] = {
    "name": reading.DEFAULT_HEADERS["name"],
    "id_number": reading.DEFAULT_HEADERS["id_number"],
    "phone": reading.DEFAULT_HEADERS["phone"],
    "address": reading.DEFAULT_HEADERS["address"],
    "sex": ("性别", "sex"),
    "birth_date": reading.DEFAULT_HEADERS["birth_date"],
    "registered_residence": (
        "户籍地",
        "户籍地址",
        "户籍所在地",
        "户口所在地",
        "registered_residence",
    ),
    "occupation": ("职业", "occupation"),
    "workplace": ("工作单位", "单位", "workplace"),
}
ONLINE_ROWS = 20_000  # rows a list may have on the page or the API (answered at once)
SEXES = {"男": "M", "女": "F", "M": "M", "F": "F", "男性": "M", "女性": "F"}


@dataclass
class Loaded:
    """What a load did: the rows read, registered and refused (row, field, reason)."""

    total: int = 0
    registered: int = 0
    refused: list[tuple[int, str, str]] = field(default_factory=list)
    unused_columns: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # {field: the file's header}

    @property
    def refusals(self) -> list[tuple[int, str, str]]:
        """(row, the file's header of the field, reason) of every refused row."""
        return [(row, self.columns.get(name, name), why) for row, name, why in self.refused]

    def __str__(self) -> str:
        return _("%(total)d rows: %(registered)d registered, %(refused)d refused") % {
            "total": self.total,
            "registered": self.registered,
            "refused": len(self.refused),
        }


class _Placing:
    """Rows placed under `under` by their address: {field: value} with the node."""

    def __init__(self, under: Division, matcher: AddressMatcher):
        self.under, self.under_id = under.path, under.pk
        self.matcher = matcher
        self.paths = {n.id: n.path for n in matcher.nodes.values()}
        self.names = {n.id: n.name for n in matcher.nodes.values()}
        self.phones: set[tuple[str, str]] = set()  # (phone index, name) of rows without ID

    def repeated(self, raw: dict[str, str]) -> bool:
        """A row without a resident ID whose name and phone a stored person, or an
        earlier row of the file, has already (the registry's one person once)."""
        if raw.get("id_number") or not raw.get("phone"):
            return False
        try:
            phone = identity.parse_mobile(raw["phone"])
        except identity.IdentityError:
            return False  # refused by the bulk load, by field
        key = (crypto.blind_index(phone, "person.phone"), identity.normalise_name(raw["name"]))
        if key in self.phones:
            return True
        self.phones.add(key)
        stored = Person.objects.active().filter(phone_index=key[0], name=key[1])
        return stored.exists()

    def node(self, address: str) -> tuple[int | None, str]:
        """The village or grid the address names inside the area, else (None, why)."""
        if not address:
            return None, _("no address: a resident is placed by where they live")
        found = self.matcher.match(address)
        if found.kind in PLACED and found.node_id is not None:
            path = self.paths[found.node_id]
            if path.startswith(self.under):
                return found.node_id, ""
            if self.under.startswith(path):  # the grid's own village: the grid loading
                return self.under_id, ""
            return None, _("%s lies outside this area") % self.label(found.node_id)
        if found.queue_id in self.paths:
            return None, _("the address reaches %s but no village or grid in it") % self.label(
                found.queue_id
            )
        return None, _("the address names no village or grid of this city")

    def label(self, node_id: int) -> str:
        """A place as a reader tells it from others of its name: its county, town and
        village down to it (诸暨市 › 店口镇 › 俞姚村委会 › 第1网格)."""
        names = []
        node = self.matcher.nodes.get(node_id)
        while node is not None and node.level not in ("city", "province"):
            names.append(node.name)
            node = self.matcher.nodes.get(node.parent_id or 0)
        return " › ".join(reversed(names))


def load_upload(user: Any, path: Path, request: Any = None) -> Loaded:
    """A list uploaded on the page or the API, for the user's own area, answered at once
    (up to `ONLINE_ROWS` rows); the file is deleted afterwards whatever the outcome."""
    try:
        refusal = _("your role may not register residents")
        require(user, "add", "people.person", message=refusal)
        if user.node is None:
            raise NotAllowed(refusal)
        try:
            return load_residents(path, user.node, most=ONLINE_ROWS, user=user, request=request)
        except reading.FileError as exc:
            raise invalid("file", str(exc)) from None
    finally:
        path.unlink(missing_ok=True)


def load_residents(  # noqa: PLR0913
    path: Path,
    under: Division,
    workers: int | None = None,
    most: int | None = None,
    user: Any = None,
    request: Any = None,
) -> Loaded:
    """Register the residents of the list at `path`, inside `under`'s area, and say so in
    the audit log (by `user`; None: a server command); raises `reading.FileError` for a
    file that cannot be read as a list, or that has more than `most` rows."""
    table = reading.open_table(path)
    if most is not None and (table.total or 0) > most:
        raise reading.FileError(
            _(
                "The list has %(rows)d rows; up to %(most)d are taken here. Split it by "
                "village, or have it loaded with the load_residents command."
            )
            % {"rows": table.total, "most": most}
        )
    mapping = reading.resolve_mapping(table.headers, {}, HEADERS)
    loaded = Loaded(
        unused_columns=reading.unused_columns(table.headers, mapping),
        columns={name: table.headers[i] for name, i in mapping.items()},
    )
    placing = _Placing(under, load_matcher())
    numbers: list[int] = []  # the file's row number of each row handed to the registry

    def rows() -> Iterator[dict[str, Any]]:
        for number, cells in reading.numbered_rows(table):
            raw = reading.map_cells(cells, mapping)
            if not any(raw.values()):  # only a serial number: the sheet's unused lines
                continue
            loaded.total += 1
            row, refusal = _row(raw, placing)
            if refusal is not None:
                loaded.refused.append((number, *refusal))
                continue
            numbers.append(number)
            yield row

    report = bulk.copy_register(rows(), placing.paths, workers=workers)
    loaded.registered = report.accepted
    loaded.refused += [(numbers[i - 1], name, why) for i, name, why in report.rejected]
    loaded.refused.sort()
    audit.record_bulk_create(
        user, "people.person", loaded.registered, loaded.total, "residents", request
    )
    return loaded


def _row(raw: dict[str, str], placing: _Placing) -> tuple[dict[str, Any], tuple[str, str] | None]:
    """A row for the registry, or the field and reason it is refused with (the identity
    itself is checked by the bulk load)."""
    node_id, why = placing.node(raw.get("address", ""))
    if node_id is None:
        return {}, ("address", why)
    if placing.repeated(raw):
        return {}, ("phone", _("a resident of this name and phone is registered already"))
    row: dict[str, Any] = {**raw, "node_id": node_id}
    sex = raw.get("sex", "")
    if sex:
        if sex not in SEXES:
            return {}, ("sex", _("not a sex: %s (男 or 女)") % sex)
        row["sex"] = SEXES[sex]
    birth = raw.get("birth_date", "")
    row["birth_date"] = None
    if birth:
        try:
            arrival = rules.parse_arrival(birth, "")
        except rules.RowError:
            arrival = None
        if arrival is None or arrival.date() > clock.today():
            return {}, ("birth_date", _("not a date: %s") % birth)
        row["birth_date"] = arrival.date()
    return row, None
