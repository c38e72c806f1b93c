"""The import pipeline: validate → find or register the person → place by address →
one subject per person → a task for the grid, or an exception for the town.

A pipeline of bounded stages — read → validate → match → write — so memory stays flat:
the file is read row by row; chunks of `batch_size` rows are validated (the resident ID
parsed once), encrypted and matched to an address on worker processes partitioned by
identity (`preparing`, `core.partition`: one person, one worker), at most two chunks
ahead of the writer; the parent takes each chunk back in file order, decides every row's
fate against what is stored (`_plan`: lookups, persons, subjects, tasks as tuples with
their ids drawn) and writes it in one transaction (`_Plan.store`; COPY on PostgreSQL), so
a crash leaves whole batches and a bad row is never half-written. On PostgreSQL the write
runs on a writer thread with its own connection while the next chunk is decided against
the database and what the chunk in flight adds (`_Carry`): the importer's Python and the
database's work run side by side. A re-run skips rows already stored (by
fingerprint). Pushed rows and self-declarations go through the same `Pipeline`; with
one worker everything runs in the calling process through the same functions.
"""

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import cached_property
from itertools import batched, starmap
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.core import clock, facts, overlap, partition, writing
from fangkong.people import bulk, identity
from fangkong.people.models import Person
from fangkong.riskareas.rules import DatedList
from fangkong.screening import preparing, reading, rules
from fangkong.screening.choices import ExceptionKind, Match, Placement
from fangkong.screening.matching import AddressMatcher, load_matcher
from fangkong.screening.models import (
    ExceptionItem,
    ImportRejection,
    PushedList,
    PushedRow,
    ScreeningRules,
    ScreeningSubject,
    ScreeningTask,
)
from fangkong.screening.preparing import Prepared

PLACED = {
    "address": Placement.ADDRESS,
    "key": Placement.ADDRESS,
    "typo": Placement.ADDRESS,
    "alias": Placement.ALIAS,
}
KEPT = 10_000  # key-area answers (place, day) kept per import, at most
COUNTER: dict[str, str] = {
    Placement.ADDRESS: "by_address",
    Placement.ALIAS: "by_alias",
    Placement.REGISTRY: "by_registry",
}


@dataclass
class Counts:
    """What an import did, row by row (the import report's figures)."""

    total: int = 0
    accepted: int = 0
    rejected: int = 0
    duplicates: int = 0
    matched: int = 0
    created: int = 0
    by_address: int = 0
    by_alias: int = 0
    by_registry: int = 0
    unmatched: int = 0
    ambiguous: int = 0
    new_subjects: int = 0
    joined_subjects: int = 0
    returning: int = 0
    tasks: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def add(self, other: dict[str, int]) -> None:
        for key, value in other.items():
            if hasattr(self, key):
                setattr(self, key, getattr(self, key) + value)


@dataclass
class Outcome:
    """Where one row went (returned to the self-declaration page and the exchange): the
    stored row (read when asked for), or the rejection, or merged into another row."""

    row_id: int | None
    rejection: ImportRejection | None
    duplicate: bool = False

    @cached_property
    def row(self) -> PushedRow | None:
        if self.row_id is None:
            return None
        return PushedRow.objects.select_related("subject", "pushed_list__source").get(
            pk=self.row_id
        )


class Known(NamedTuple):
    """A registered person as the import needs them: stored, or registered by this batch
    (`fresh`: no subject, grid or registry placement of theirs is in the database yet)."""

    pk: int
    name: str
    node_id: int
    path: str
    id_number_index: str | None
    phone_index: str | None
    id_masked: str
    phone_masked: str
    fresh: bool = False


KNOWN_FIELDS = (
    "id",
    "name",
    "node_id",
    "path",
    "id_number_index",
    "phone_index",
    "id_masked",
    "phone_masked",
)


@dataclass(slots=True)
class NewSubject:
    """A subject this batch writes (its row is a tuple in `subjects`)."""

    pk: int
    person_id: int
    node_id: int
    path: str
    placement: str
    key_area: bool
    arrival_at: Any


SUBJECT_COLUMNS = (
    "person_id",
    "name",
    "id_masked",
    "phone_masked",
    "address",
    "origin",
    "arrival_at",
    "transport",
    "transport_no",
    "itinerary",
    "key_area",
    "sources",
    "node_id",
    "path",
    "placement",
    "created_at",
    "updated_at",
)
ROW_COLUMNS = (
    "pushed_list_id",
    "row_no",
    "row_hash",
    "subject_id",
    "match",
    "name",
    "id_masked",
    "phone_masked",
    "origin",
    "arrival_at",
    "transport",
    "transport_no",
    "address",
    "itinerary",
    "placement",
    "node_id",
    "path",
    "conflict",
    "queue_reason",
    "candidates",
)
TASK_COLUMNS = ("subject_id", "node_id", "path", "key_area", "due_at", "created_at", "updated_at")
EXCEPTION_COLUMNS = (
    "kind",
    "subject_id",
    "address",
    "candidates",
    "node_id",
    "path",
    "created_at",
    "updated_at",
)


@dataclass
class _Carry:
    """What the chunk being written adds to what the database shows. While one chunk is
    written (on the writer thread, in its own transaction) the next is decided against
    the database and this: the row fingerprints, the persons it registers, the subjects
    it opens or joins and the visits it opens."""

    digests: dict[str, tuple[int, int]] = field(default_factory=dict)
    persons: list[Known] = field(default_factory=list)
    subjects: dict[int, Any] = field(default_factory=dict)
    open_ids: set[int] = field(default_factory=set)


class _Plan:
    """One chunk decided: its rejections and merged rows, its writes with their ids
    drawn, and every row's outcome; `store` writes it in one transaction."""

    def __init__(self, pipeline: "Pipeline"):
        self.pipeline = pipeline
        self.rejections: list[ImportRejection] = []
        self.outcomes: dict[int, Outcome] = {}
        self.digests: dict[str, tuple[int, int]] = {}
        self.writes: _Writes | None = None

    @transaction.atomic
    def store(self) -> None:
        ImportRejection.objects.bulk_create(self.rejections)
        if self.writes is not None:
            self.writes.write()

    def result(self, items: list[tuple[int, Any]]) -> list[Outcome]:
        return [self.outcomes[n] for n, _raw in items if n in self.outcomes]

    def carry(self) -> _Carry:
        w = self.writes
        if w is None:
            return _Carry(digests=self.digests)
        return _Carry(
            digests=self.digests,
            persons=[k._replace(fresh=False) for k in w.registered],
            subjects={s.person_id: s for s in w.new_subjects} | w.joined_by_person(),
            open_ids={s.pk for s in w.returning},
        )


# Subjects read for a row that joins them (the columns bulk_update writes back among them).
SUBJECT_READ: tuple[str, ...] = ("id", "person_id", "sources", "node_id", "path", "placement")
SUBJECT_READ += ("key_area", "arrival_at", "origin", "transport", "transport_no")


class Pipeline:
    def __init__(self, pushed_list: PushedList, matcher: AddressMatcher | None = None):
        self.pl = pushed_list
        self.source = pushed_list.source
        self.matcher = matcher or load_matcher()
        self.received = clock.now()
        self.today = clock.today()
        self.rules = ScreeningRules.in_force(self.today)
        # R14's key areas are the dated risk-area list, read once for the whole file.
        self.risk_areas = DatedList.load()
        self.zone = timezone.get_current_timezone()
        self._key_areas: dict[tuple[str, Any], bool] = {}
        self.paths = {n.id: n.path for n in self.matcher.nodes.values()}
        self.levels = {n.id: n.level for n in self.matcher.nodes.values()}
        self.names = {n.id: n.name for n in self.matcher.nodes.values()}
        self.counts = Counts()
        self.ready: dict[int, Prepared] = {}  # prepared by the workers, taken by `batch`
        self._local: preparing.State | None = None
        self.mapping: dict[str, int] | None = None  # a file's {field: column}, for `feed`
        self.carry = _Carry()  # what the chunk being written adds (`feed`, overlapped)

    def feed(
        self,
        rows: Iterable[tuple[int, Any]],
        batch_size: int = 2000,
        progress: Callable[[int], None] | None = None,
        workers: int = 1,
        mapping: dict[str, int] | None = None,
    ) -> Counts:
        """Import `rows` — (row number, {field: text}), or (row number, a file's cells)
        with the file's `mapping` {field: column} — chunk by chunk; with `workers` > 1
        each chunk is mapped and prepared on worker processes (partitioned by identity)
        while the previous one is written."""
        self.mapping, self._local = mapping, None  # the local state maps by this file's columns
        if workers <= 1:
            for chunk in batched(rows, batch_size):
                self.batch(list(chunk))
                if progress:
                    progress(self.counts.total)
            return self.counts
        sent: deque[list[tuple[int, Any]]] = deque()
        id_at = phone_at = None
        if mapping is not None:
            id_at, phone_at = mapping.get("id_number"), mapping.get("phone")

        def key(given: Any) -> str:
            if isinstance(given, dict):
                return identity.partition_key(given.get("id_number", ""), given.get("phone", ""))
            return identity.partition_key(reading.cell(given, id_at), reading.cell(given, phone_at))

        def chunks() -> Iterator[list[tuple[str, tuple[int, Any]]]]:
            for chunk in batched(rows, batch_size):
                sent.append(list(chunk))
                yield [(key(item[1]), item) for item in chunk]

        setup = (self.source.pk, self.today, self.matcher.data, mapping)
        with (
            partition.Partitioned(preparing.start, preparing.work_flat, setup, workers) as pool,
            overlap.Writer() as writer,
        ):
            for prepared in pool.map(chunks()):
                self.ready = {p.row_no: p for p in map(preparing.unflat, prepared)}
                plan = self._plan(sent.popleft())
                self.ready = {}
                writer.submit(plan.store)
                # Overlapped, the next chunk is decided while this one is written: against
                # the database and what this one adds.
                self.carry = plan.carry() if writer.overlapped else _Carry()
                if progress:
                    progress(self.counts.total)
        self.carry = _Carry()
        return self.counts

    def _prepare(self, item: tuple[int, Any]) -> Prepared:
        """A row prepared by the workers (or by `prepare`, and handed over in `ready`),
        else here: one worker, an exchange batch."""
        ready = self.ready.pop(item[0], None)
        if ready is not None:
            return ready
        return self.prepare(item[1], item[0])

    def prepare(self, raw: dict[str, str] | list[Any], row_no: int = 0) -> Prepared:
        """One row cleaned (the resident ID parsed once), protected and matched, here."""
        if self._local is None:
            setup = (self.source.pk, self.today, self.matcher, self.mapping)
            self._local = preparing.start(setup)
        return preparing.work(self._local, (row_no, raw))

    def add_counts(self) -> None:
        """Add what this pipeline has counted to its list's stored figures (a list that
        takes rows one at a time or group by group: self-declarations, hand-overs)."""
        counts = self.pl.counts or {}
        for key, value in self.counts.as_dict().items():
            counts[key] = counts.get(key, 0) + value
        self.pl.counts = counts
        self.pl.save(update_fields=["counts"])

    def batch(self, items: list[tuple[int, Any]]) -> list[Outcome]:
        """Decide every row's fate (reading what is stored), then write the chunk in one
        transaction; the outcomes in the items' order."""
        plan = self._plan(items)
        plan.store()
        return plan.result(items)

    def _plan(self, items: list[tuple[int, Any]]) -> "_Plan":
        c = self.counts
        plan = _Plan(self)
        cleaned: list[Prepared] = []
        for item in items:
            c.total += 1
            prepared = self._prepare(item)
            if prepared.error is not None:
                rej = ImportRejection(
                    pushed_list=self.pl,
                    row_no=prepared.row_no,
                    field=prepared.error[0],
                    reason=prepared.error[1],
                    name=prepared.raw_name,
                    path=self.pl.path,
                )
                plan.rejections.append(rej)
                plan.outcomes[prepared.row_no] = Outcome(None, rej)
                continue
            cleaned.append(prepared)
        c.rejected += len(plan.rejections)

        stored = {
            h: (list_id, n)
            for h, list_id, n in PushedRow.objects.filter(
                row_hash__any={p.digest for p in cleaned}
            ).values_list("row_hash", "pushed_list_id", "row_no")
        }
        stored.update(self.carry.digests)
        fresh: list[Prepared] = []
        for prepared in cleaned:
            row_no, row, digest = prepared.row_no, prepared.row, prepared.digest
            assert row is not None
            if digest in stored:
                list_id, first = stored[digest]
                if list_id == self.pl.pk and first == row_no:
                    continue  # a re-run: this row was stored by the failed attempt
                c.duplicates += 1
                plan.outcomes[row_no] = Outcome(None, None, duplicate=True)
                reason = (
                    _("the same person and arrival as row %d of this list") % first
                    if list_id == self.pl.pk
                    else _("already imported from an earlier list (row %d)") % first
                )
                plan.rejections.append(
                    ImportRejection(
                        pushed_list=self.pl,
                        row_no=row_no,
                        duplicate=True,
                        field="",
                        reason=reason[:200],
                        name=row.name[:50],
                        path=self.pl.path,
                    )
                )
                continue
            stored[digest] = (self.pl.pk, row_no)
            plan.digests[digest] = (self.pl.pk, row_no)
            fresh.append(prepared)
        c.accepted += len(fresh)
        if fresh:
            plan.writes = self._place(fresh)
            for row_no, row_id in plan.writes.written:
                plan.outcomes[row_no] = Outcome(row_id, None)
        return plan

    def existing(self, prepared: Prepared) -> Person | None:
        """The registered person a prepared row names (by ID, or phone and name), if
        any; a row that did not clean names nobody (the pipeline will reject it)."""
        if prepared.row is None:
            return None
        keys, known = self._lookup([prepared])
        found = self._find(prepared.row, keys, known)
        return None if found is None else Person.objects.get(pk=found.pk)

    def _lookup(self, fresh: list[Prepared]) -> tuple[dict, dict]:
        id_keys: dict[str, str] = {}
        phone_keys: dict[str, str] = {}
        for p in fresh:
            row, protected = p.row, p.protected
            assert row is not None and protected is not None
            if row.id_number:
                id_keys[row.id_number] = protected.id_number_index  # type: ignore[assignment]
            if row.phone:
                phone_keys[row.phone] = protected.phone_index  # type: ignore[assignment]
        active = Person.objects.active()
        by_id = {
            k.id_number_index: k
            for k in starmap(
                Known,
                active.filter(id_number_index__any=set(id_keys.values())).values_list(
                    *KNOWN_FIELDS
                ),
            )
        }
        by_phone: dict[tuple[str, str], list[Known]] = {}
        phone_any: dict[str, list[Known]] = {}
        for k in starmap(
            Known,
            active.filter(phone_index__any=set(phone_keys.values())).values_list(*KNOWN_FIELDS),
        ):
            by_phone.setdefault((k.phone_index, k.name), []).append(k)  # type: ignore[arg-type]
            phone_any.setdefault(k.phone_index, []).append(k)  # type: ignore[arg-type]
        # Persons the chunk being written registers: the database may not show them yet.
        seen = {k.pk for k in by_id.values()} | {k.pk for ks in phone_any.values() for k in ks}
        for k in self.carry.persons:
            if k.pk in seen:
                continue
            if k.id_number_index:
                by_id[k.id_number_index] = k
            if k.phone_index:
                by_phone.setdefault((k.phone_index, k.name), []).append(k)
                phone_any.setdefault(k.phone_index, []).append(k)
        return {"id": id_keys, "phone": phone_keys}, {
            "id": by_id,
            "phone": by_phone,
            "phone_any": phone_any,
        }

    @staticmethod
    def _conflict(row: rules.CleanRow, person: Known | None, keys: dict, known: dict) -> str:
        """A clash the town must see (not resolved silently): the resident ID known under
        another name, or the phone number of another resident ID."""
        if person is not None and row.id_number and person.name != row.name:
            return _("the resident ID is known under another name: %s") % person.name
        if row.stated_birth and row.birth_date and row.stated_birth != row.birth_date:
            return _("the birth date %s differs from the resident ID's") % row.stated_birth
        if row.phone and row.id_number:
            mine = keys["id"][row.id_number]
            for other in known["phone_any"].get(keys["phone"][row.phone], []):
                if other.id_number_index and other.id_number_index != mine:
                    return _("the phone number belongs to another resident ID: %(n)s %(i)s") % {
                        "n": other.name,
                        "i": other.id_masked,
                    }
        return ""

    @staticmethod
    def _find(row: rules.CleanRow, keys: dict, known: dict) -> Known | None:
        """ID first; then phone with the same name, if that person carries no other ID."""
        if row.id_number:
            person = known["id"].get(keys["id"][row.id_number])
            if person is not None:
                return person  # type: ignore[no-any-return]
        if row.phone:
            found = known["phone"].get((keys["phone"][row.phone], row.name), [])
            if len(found) == 1:
                person = found[0]
                if not row.id_number or not person.id_number_index:
                    return person  # type: ignore[no-any-return]
        return None

    def _placement(self, row: rules.CleanRow, person: Known | None, result: Any) -> tuple[int, str]:
        """The node and placement of a row: the address; a registered grid inside the
        village the address names; the registered grid where the address does not
        contradict it; else the queue of the level the address reached."""
        node_id, placement = result.node_id, PLACED.get(result.kind, Placement.EXCEPTION)
        if person is not None and not person.fresh:  # stored before this batch
            if node_id is not None:
                # A village named by the address, a grid of it in the registry: the grid.
                village = self.levels[node_id] == "village"
                if village and person.path.startswith(self.paths[node_id]):
                    node_id = person.node_id
            else:
                # The registered grid stands in only where the address does not contradict
                # it: no address, or one whose queue (a town, a county) holds that grid.
                queue = self.paths.get(result.queue_id or 0)
                agrees = not row.address or (queue and person.path.startswith(queue))
                if agrees and self.levels.get(person.node_id) in ("village", "grid"):
                    node_id, placement = person.node_id, Placement.REGISTRY
        if node_id is None:
            node_id, placement = result.queue_id or self.pl.node_id, Placement.EXCEPTION
        return node_id, placement

    def _place(self, fresh: list[Prepared]) -> "_Writes":
        """Find or register each row's person, place it, join or open its subject, as
        plain tuples with their ids drawn (written by `_Writes.write`)."""
        keys, known = self._lookup(fresh)
        stored_ids = {p.pk for p in known["id"].values()} | {
            p.pk for ps in known["phone"].values() for p in ps
        }
        writes = _Writes(self, len(fresh), stored_ids)
        for prepared in fresh:
            row, result = prepared.row, prepared.match
            assert row is not None and result is not None
            person = self._find(row, keys, known)
            conflict = self._conflict(row, person, keys, known)
            node_id, placement = self._placement(row, person, result)
            is_new = person is None
            if person is None:
                person = writes.register(prepared, node_id, known)
            else:
                self.counts.matched += 1
            key_area = self._key_area(row)
            subject = writes.subject(row, person, node_id, placement, key_area, result)
            writes.row(
                prepared, subject, person, is_new, conflict, self._queue_note(placement, result)
            )
        return writes

    def _key_area(self, row: rules.CleanRow) -> bool:
        """R14: from a key area on the day of arrival; a list's rows share a few places
        and days, so each answer is kept for the import (at most `KEPT` of them)."""
        key = (row.origin, row.arrival_at)
        known = self._key_areas.get(key)
        if known is None:
            if len(self._key_areas) >= KEPT:
                self._key_areas.clear()
            day = rules.arrival_day(row.arrival_at, self.received, self.zone)
            known = rules.is_key_area(self.risk_areas.level_of(row.origin, day))
            self._key_areas[key] = known
        return known

    def _queue_note(self, placement: str, result: Any) -> tuple[str, str]:
        """Why a row was queued and the places in question (for the report)."""
        if placement != Placement.EXCEPTION:
            return ("", "")
        names = "、".join(self.names[i] for i in result.candidates[:6] if i in self.names)
        if result.kind == "ambiguous":
            reason = _("several places match")
        elif result.queue_id is not None:
            reason = _("no village or grid named")
        else:
            reason = _("no place in the city recognised")
        return (reason, names[:300])

    @staticmethod
    def _returns(
        subject: ScreeningSubject, row: rules.CleanRow, open_ids: set[int], last_visit: dict
    ) -> bool:
        if subject.pk in open_ids or subject.placement == Placement.EXCEPTION:
            return False
        last = last_visit.get(subject.pk)
        return bool(row.arrival_at and last and row.arrival_at > last)


class _Writes:
    """One batch's writes as plain tuples, ids drawn beforehand so that a subject names
    its person and a task its subject before either is written (`writing.Table`)."""

    def __init__(self, pipeline: Pipeline, size: int, stored_ids: set[int]):
        self.p = pipeline
        self.persons = writing.Table(Person, bulk.COPY_FIELDS, size)
        self.subjects = writing.Table(ScreeningSubject, SUBJECT_COLUMNS, size)
        self.rows = writing.Table(PushedRow, ROW_COLUMNS, size)
        self.by_person: dict[int, ScreeningSubject | NewSubject] = {
            s.person_id: s
            for s in ScreeningSubject.objects.filter(person_id__any=stored_ids).only(*SUBJECT_READ)
        }
        pks = {s.pk for s in self.by_person.values()}
        self.open_ids = set(
            ScreeningTask.objects.filter(
                subject_id__any=pks, status__in=["open", "escalated"]
            ).values_list("subject_id", flat=True)
        )
        self.last_visit = dict(
            ScreeningTask.objects.filter(subject_id__any=pks)
            .values("subject_id")
            .annotate(last=Max("visited_at"))
            .values_list("subject_id", "last")
        )
        # The chunk being written: its subjects and the visits it opened win over what
        # the database shows (which may be the rows before that chunk).
        self.by_person.update(pipeline.carry.subjects)
        self.open_ids |= pipeline.carry.open_ids
        self.registered: list[Known] = []
        self.new_subjects: list[NewSubject] = []
        self.returning: list[ScreeningSubject] = []
        self.joined: dict[int, ScreeningSubject] = {}
        self.exceptions: list[tuple[NewSubject, Any]] = []
        self.written: list[tuple[int, int]] = []

    def joined_by_person(self) -> dict[int, ScreeningSubject]:
        return {s.person_id: s for s in self.joined.values()}

    def register(self, prepared: Prepared, node_id: int, known: dict) -> Known:
        """A person the registry does not hold, registered with the row's identity."""
        row, protected = prepared.row, prepared.protected
        assert row is not None and row.parsed is not None and protected is not None
        path = self.p.paths[node_id]
        pk = self.persons.add(
            bulk.person_row(
                row.parsed, protected, node_id, path, self.p.received, {"address": row.address}
            )
        )
        person = Known(
            pk,
            row.parsed.name,
            node_id,
            path,
            protected.id_number_index,
            protected.phone_index,
            protected.id_masked,
            protected.phone_masked,
            fresh=True,
        )
        self.p.counts.created += 1
        self.registered.append(person)
        if person.id_number_index:
            known["id"][person.id_number_index] = person
        if person.phone_index:
            known["phone"].setdefault((person.phone_index, person.name), []).append(person)
            known["phone_any"].setdefault(person.phone_index, []).append(person)
        return person

    def subject(  # noqa: PLR0913
        self,
        row: rules.CleanRow,
        person: Known,
        node_id: int,
        placement: str,
        key_area: bool,
        result: Any,
    ) -> ScreeningSubject | NewSubject:
        """The person's subject: joined when there is one, else opened here."""
        subject = self.by_person.get(person.pk)
        if subject is not None:
            self.p.counts.joined_subjects += 1
            if isinstance(subject, ScreeningSubject):  # stored before this batch
                self._join(subject, row, key_area)
            return subject
        p, c = self.p, self.p.counts
        path = p.paths[node_id]
        pk = self.subjects.add(
            (
                person.pk,
                row.name,
                person.id_masked,
                person.phone_masked,
                row.address,
                row.origin,
                row.arrival_at,
                row.transport,
                row.transport_no,
                row.itinerary,
                key_area,
                p.source.name,
                node_id,
                path,
                placement,
                p.received,
                p.received,
            )
        )
        new = NewSubject(pk, person.pk, node_id, path, placement, key_area, row.arrival_at)
        self.by_person[person.pk] = new
        self.new_subjects.append(new)
        if placement in COUNTER:
            setattr(c, COUNTER[placement], getattr(c, COUNTER[placement]) + 1)
        if placement == Placement.EXCEPTION:
            ambiguous = result.kind == "ambiguous"
            kind = ExceptionKind.AMBIGUOUS if ambiguous else ExceptionKind.UNMATCHED
            c.ambiguous += int(ambiguous)
            c.unmatched += int(not ambiguous)
            self.exceptions.append((new, (kind, row.address, result.candidates)))
        return new

    def _join(self, subject: ScreeningSubject, row: rules.CleanRow, key_area: bool) -> None:
        name = self.p.source.name
        if name not in subject.source_list:
            subject.sources = "|".join([*subject.source_list, name])[:300]
            self.joined[subject.pk] = subject
        if self.p._returns(subject, row, self.open_ids, self.last_visit):
            # Visited and closed, now arrived again: a new visit is due (增量).
            subject.arrival_at, subject.origin = row.arrival_at, row.origin
            subject.transport, subject.transport_no = row.transport, row.transport_no
            subject.key_area = key_area
            self.open_ids.add(subject.pk)
            self.returning.append(subject)
            self.joined[subject.pk] = subject

    def row(  # noqa: PLR0913
        self,
        prepared: Prepared,
        subject: ScreeningSubject | NewSubject,
        person: Known,
        is_new: bool,
        conflict: str,
        note: tuple[str, str],
    ) -> None:
        row = prepared.row
        assert row is not None
        pk = self.rows.add(
            (
                self.p.pl.pk,
                prepared.row_no,
                prepared.digest,
                subject.pk,
                Match.CREATED if is_new else Match.EXISTING,
                row.name,
                person.id_masked,
                person.phone_masked,
                row.origin,
                row.arrival_at,
                row.transport,
                row.transport_no,
                row.address,
                row.itinerary,
                subject.placement,
                subject.node_id,
                subject.path,
                conflict[:200],
                *note,
            )
        )
        self.written.append((prepared.row_no, pk))

    def write(self) -> list[tuple[int, int]]:
        c = self.p.counts
        self.persons.write()
        self.subjects.write()
        c.new_subjects += len(self.new_subjects)
        if self.joined:
            ScreeningSubject.objects.bulk_update(
                list(self.joined.values()),
                ["sources", "arrival_at", "origin", "transport", "transport_no", "key_area"],
            )
        c.returning += len(self.returning)
        self._tasks()
        self._exceptions()
        self.rows.write()
        # An arrival from a key area named on a pushed list is a person-level fact (the
        # health code reads it); only those persons change, the others have no new fact.
        changed: list[NewSubject | ScreeningSubject] = [*self.new_subjects, *self.joined.values()]
        arrivals = [s.person_id for s in changed if s.key_area]
        facts.changed(facts.ARRIVAL, arrivals)
        return self.written

    def _tasks(self) -> None:
        p = self.p
        both: list[NewSubject | ScreeningSubject] = [*self.new_subjects, *self.returning]
        subjects = [s for s in both if s.placement != Placement.EXCEPTION]
        tasks = writing.Table(ScreeningTask, TASK_COLUMNS, len(subjects))
        for s in subjects:
            due = rules.due_at(
                rules.clock_start(s.arrival_at, p.received),
                s.key_area,
                p.rules.default_due_hours,
                p.rules.key_area_due_hours,
            )
            tasks.add((s.pk, s.node_id, s.path, s.key_area, due, p.received, p.received))
        p.counts.tasks += len(tasks)
        tasks.write()

    def _exceptions(self) -> None:
        if not self.exceptions:
            return
        p = self.p
        codes = {n.id: n.code for n in p.matcher.nodes.values()}
        items = writing.Table(ExceptionItem, EXCEPTION_COLUMNS, len(self.exceptions))
        for s, (kind, address, candidates) in self.exceptions:
            named = "、".join(f"{p.names[i]} {codes[i]}" for i in candidates[:8])[:300]
            items.add((kind, s.pk, address[:200], named, s.node_id, s.path, p.received, p.received))
        items.write()
