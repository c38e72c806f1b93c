"""The import pipeline: validate → find or register the person → place by address →
one subject per person → a task for the grid, or an exception for the town.

A pipeline of bounded stages — read → validate → match → write — so memory stays flat:
the file is read row by row; chunks of `batch_size` rows are validated (the resident ID
parsed once), encrypted and matched to an address on worker processes partitioned by
identity (`preparing`, `core.partition`: one person, one worker), at most two chunks
ahead of the writer; the parent takes each chunk back in file order and writes it in one
transaction (lookups, subjects, tasks; COPY on PostgreSQL), so a crash leaves whole
batches and a bad row is never half-written. A re-run skips rows already stored (by
fingerprint). Pushed rows and self-declarations go through the same `Pipeline`; with
one worker everything runs in the calling process through the same functions.
"""

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from itertools import batched
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from fangkong.core import clock, facts, partition
from fangkong.people import bulk, identity
from fangkong.people.models import Person
from fangkong.riskareas.rules import DatedList
from fangkong.screening import preparing, rules, writing
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
COUNTER = {
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
    """Where one accepted row went (returned to the self-declaration page)."""

    row: PushedRow | None
    rejection: ImportRejection | None
    duplicate: bool = False


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
        self.paths = {n.id: n.path for n in self.matcher.nodes.values()}
        self.levels = {n.id: n.level for n in self.matcher.nodes.values()}
        self.names = {n.id: n.name for n in self.matcher.nodes.values()}
        self.counts = Counts()
        self.ready: dict[int, Prepared] = {}  # prepared by the workers, taken by `batch`
        self._local: preparing.State | None = None

    def feed(
        self,
        rows: Iterable[tuple[int, dict[str, str]]],
        batch_size: int = 2000,
        progress: Callable[[int], None] | None = None,
        workers: int = 1,
    ) -> Counts:
        """Import `rows` chunk by chunk; with `workers` > 1 each chunk is prepared on
        worker processes (partitioned by identity) while the previous one is written."""
        if workers <= 1:
            for chunk in batched(rows, batch_size):
                self.batch(list(chunk))
                if progress:
                    progress(self.counts.total)
            return self.counts
        sent: deque[list[tuple[int, dict[str, str]]]] = deque()

        def chunks() -> Iterator[list[tuple[str, tuple[int, dict[str, str]]]]]:
            for chunk in batched(rows, batch_size):
                sent.append(list(chunk))
                yield [
                    (identity.partition_key(raw.get("id_number", ""), raw.get("phone", "")), item)
                    for item in chunk
                    for raw in (item[1],)
                ]

        setup = (self.source.pk, self.today, self.matcher.data)
        with partition.Partitioned(preparing.start, preparing.work, setup, workers) as pool:
            for prepared in pool.map(chunks()):
                self.ready = {p.row_no: p for p in prepared}
                self.batch(sent.popleft())
                self.ready = {}
                if progress:
                    progress(self.counts.total)
        return self.counts

    def _prepare(self, item: tuple[int, dict[str, str]]) -> Prepared:
        """A row prepared by the workers, or here (one worker, a self-declaration)."""
        ready = self.ready.pop(item[0], None)
        if ready is not None:
            return ready
        if self._local is None:
            self._local = preparing.start((self.source.pk, self.today, self.matcher))
        return preparing.work(self._local, item)

    @transaction.atomic
    def batch(self, items: list[tuple[int, dict[str, str]]]) -> list[Outcome]:
        c = self.counts
        outcomes: dict[int, Outcome] = {}
        rejections: list[ImportRejection] = []
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
                rejections.append(rej)
                outcomes[prepared.row_no] = Outcome(None, rej)
                continue
            cleaned.append(prepared)
        c.rejected += len(rejections)
        ImportRejection.objects.bulk_create(rejections)

        stored = {
            h: (list_id, n)
            for h, list_id, n in PushedRow.objects.filter(
                row_hash__in=[p.digest for p in cleaned]
            ).values_list("row_hash", "pushed_list_id", "row_no")
        }
        fresh: list[Prepared] = []
        merged: list[ImportRejection] = []
        for prepared in cleaned:
            row_no, row, digest = prepared.row_no, prepared.row, prepared.digest
            assert row is not None
            if digest in stored:
                list_id, first = stored[digest]
                if list_id == self.pl.pk and first == row_no:
                    continue  # a re-run: this row was stored by the failed attempt
                c.duplicates += 1
                outcomes[row_no] = Outcome(None, None, duplicate=True)
                reason = (
                    _("the same person and arrival as row %d of this list") % first
                    if list_id == self.pl.pk
                    else _("already imported from an earlier list (row %d)") % first
                )
                merged.append(
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
            fresh.append(prepared)
        ImportRejection.objects.bulk_create(merged)
        c.accepted += len(fresh)
        if fresh:
            for row_no, pushed in self._place(fresh):
                outcomes[row_no] = Outcome(pushed, None)
        return [outcomes[n] for n, _raw in items if n in outcomes]

    def existing(self, raw: dict[str, str]) -> Person | None:
        """The registered person a row names (by ID, or phone and name), if any; a row
        that does not clean names nobody (the pipeline will reject it)."""
        prepared = self._prepare((0, raw))
        if prepared.row is None:
            return None
        keys, known = self._lookup([prepared])
        return self._find(prepared.row, keys, known)

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
        fields = (
            "id",
            "name",
            "node_id",
            "path",
            "id_number_index",
            "phone_index",
            "id_masked",
            "phone_masked",
        )
        by_id = {
            p.id_number_index: p
            for p in Person.objects.active()
            .filter(id_number_index__in=id_keys.values())
            .only(*fields)
        }
        by_phone: dict[tuple[str, str], list[Person]] = {}
        phone_any: dict[str, list[Person]] = {}
        for p in Person.objects.active().filter(phone_index__in=phone_keys.values()).only(*fields):
            by_phone.setdefault((p.phone_index, p.name), []).append(p)  # type: ignore[arg-type]
            phone_any.setdefault(p.phone_index, []).append(p)  # type: ignore[arg-type]
        return {"id": id_keys, "phone": phone_keys}, {
            "id": by_id,
            "phone": by_phone,
            "phone_any": phone_any,
        }

    @staticmethod
    def _conflict(row: rules.CleanRow, person: Person | None, keys: dict, known: dict) -> str:
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

    def _find(self, row: rules.CleanRow, keys: dict, known: dict) -> Person | None:
        """ID first; then phone with the same name, if that person carries no other ID."""
        if row.id_number:
            person = known["id"].get(keys["id"][row.id_number])
            if person is not None:
                return person
        if row.phone:
            found = known["phone"].get((keys["phone"][row.phone], row.name), [])
            if len(found) == 1:
                person = found[0]
                if not row.id_number or not person.id_number_index:
                    return person
        return None

    def _place(self, fresh: list[Prepared]) -> list[tuple[int, PushedRow]]:  # noqa: C901, PLR0915
        c = self.counts
        keys, known = self._lookup(fresh)
        existing_ids = {p.pk for p in known["id"].values()} | {
            p.pk for ps in known["phone"].values() for p in ps
        }
        subjects = {
            s.person_id: s
            for s in ScreeningSubject.objects.filter(person_id__in=existing_ids).only(
                "id", "person_id", "sources", "node_id", "path", "placement", "key_area"
            )
        }
        pks = [s.pk for s in subjects.values()]
        open_ids = set(
            ScreeningTask.objects.filter(
                subject_id__in=pks, status__in=["open", "escalated"]
            ).values_list("subject_id", flat=True)
        )
        last_visit = dict(
            ScreeningTask.objects.filter(subject_id__in=pks)
            .values("subject_id")
            .annotate(last=Max("visited_at"))
            .values_list("subject_id", "last")
        )
        new_persons: list[Person] = []
        new_subjects: list[ScreeningSubject] = []
        returning: list[ScreeningSubject] = []
        joined: dict[int, ScreeningSubject] = {}
        exceptions: list[tuple[ScreeningSubject, Any]] = []
        rows: list[tuple[int, PushedRow]] = []
        for prepared in fresh:
            row_no, row, digest, result = (
                prepared.row_no,
                prepared.row,
                prepared.digest,
                prepared.match,
            )
            assert row is not None and result is not None
            person = self._find(row, keys, known)
            conflict = self._conflict(row, person, keys, known)
            node_id, placement = result.node_id, PLACED.get(result.kind, Placement.EXCEPTION)
            if node_id is not None and person is not None and person.pk:
                # A village named by the address, a grid of it in the registry: use the grid.
                if self.levels[node_id] == "village" and person.path.startswith(
                    self.paths[node_id]
                ):
                    node_id = person.node_id
            if node_id is None and person is not None and person.pk:
                # The registered grid stands in only where the address does not contradict
                # it: no address, or one whose queue (a town, a county) holds that grid.
                queue = self.paths.get(result.queue_id or 0)
                agrees = not row.address or (queue and person.path.startswith(queue))
                if agrees and self.levels.get(person.node_id) in ("village", "grid"):
                    node_id, placement = person.node_id, Placement.REGISTRY
            if node_id is None:
                node_id, placement = result.queue_id or self.pl.node_id, Placement.EXCEPTION
            is_new = person is None
            if person is None:
                person = writing.build(
                    Person,
                    **bulk.person_values(
                        row.parsed,  # type: ignore[arg-type]
                        prepared.protected,  # type: ignore[arg-type]
                        node_id,
                        self.paths,
                        self.received,
                        {"address": row.address},
                    ),
                )
                new_persons.append(person)
                c.created += 1
                if person.id_number_index:
                    known["id"][person.id_number_index] = person
                if person.phone_index:
                    known["phone"].setdefault((person.phone_index, person.name), []).append(person)
                    known["phone_any"].setdefault(person.phone_index, []).append(person)
            else:
                c.matched += 1
            subject = subjects.get(person.pk) if person.pk else getattr(person, "_subject", None)
            key_area = rules.is_key_area(
                self.risk_areas.level_of(
                    row.origin, rules.arrival_day(row.arrival_at, self.received)
                )
            )
            if subject is None:
                subject = writing.build(
                    ScreeningSubject,
                    person=person,
                    name=row.name,
                    id_masked=person.id_masked,
                    phone_masked=person.phone_masked,
                    address=row.address,
                    origin=row.origin,
                    arrival_at=row.arrival_at,
                    transport=row.transport,
                    transport_no=row.transport_no,
                    itinerary=row.itinerary,
                    key_area=key_area,
                    sources=self.source.name,
                    node_id=node_id,
                    path=self.paths[node_id],
                    placement=placement,
                    created_at=self.received,
                    updated_at=self.received,
                )
                if person.pk:
                    subjects[person.pk] = subject
                else:
                    person._subject = subject  # type: ignore[attr-defined]
                new_subjects.append(subject)
                if placement in COUNTER:
                    setattr(c, COUNTER[placement], getattr(c, COUNTER[placement]) + 1)
                if placement == Placement.EXCEPTION:
                    ambiguous = result.kind == "ambiguous"
                    kind = ExceptionKind.AMBIGUOUS if ambiguous else ExceptionKind.UNMATCHED
                    c.ambiguous += int(ambiguous)
                    c.unmatched += int(not ambiguous)
                    exceptions.append((subject, (kind, row.address, result.candidates)))
            else:
                c.joined_subjects += 1
                if self.source.name not in subject.source_list:
                    subject.sources = "|".join([*subject.source_list, self.source.name])[:300]
                    if subject.pk:
                        joined[subject.pk] = subject
                if subject.pk and self._returns(subject, row, open_ids, last_visit):
                    # Visited and closed, now arrived again: a new visit is due (增量).
                    subject.arrival_at, subject.origin = row.arrival_at, row.origin
                    subject.transport, subject.transport_no = row.transport, row.transport_no
                    subject.key_area = key_area
                    open_ids.add(subject.pk)
                    returning.append(subject)
                    joined[subject.pk] = subject
            rows.append(
                (
                    row_no,
                    writing.build(
                        PushedRow,
                        pushed_list=self.pl,
                        row_no=row_no,
                        row_hash=digest,
                        subject=subject,
                        match=Match.CREATED if is_new else Match.EXISTING,
                        name=row.name,
                        id_masked=person.id_masked,
                        phone_masked=person.phone_masked,
                        origin=row.origin,
                        arrival_at=row.arrival_at,
                        transport=row.transport,
                        transport_no=row.transport_no,
                        address=row.address,
                        itinerary=row.itinerary,
                        placement=subject.placement,
                        node_id=subject.node_id,
                        path=subject.path,
                        conflict=conflict[:200],
                        **self._queue_note(placement, result),
                    ),
                )
            )
        writing.insert(new_persons)
        writing.insert(new_subjects)
        c.new_subjects += len(new_subjects)
        if joined:
            ScreeningSubject.objects.bulk_update(
                list(joined.values()),
                ["sources", "arrival_at", "origin", "transport", "transport_no", "key_area"],
            )
        c.returning += len(returning)
        self._tasks_and_exceptions(new_subjects + returning, exceptions)
        writing.insert([r for _n, r in rows])
        # An arrival from a key area named on a pushed list is a person-level fact (the
        # health code reads it); only those persons change, the others have no new fact.
        arrivals = [
            s.person_id or s.person.pk for s in [*new_subjects, *joined.values()] if s.key_area
        ]
        facts.changed(facts.ARRIVAL, arrivals)
        return rows

    def _queue_note(self, placement: str, result: Any) -> dict[str, str]:
        """Why a row was queued and the places in question (for the report)."""
        if placement != Placement.EXCEPTION:
            return {}
        names = "、".join(self.names[i] for i in result.candidates[:6] if i in self.names)
        if result.kind == "ambiguous":
            reason = _("several places match")
        elif result.queue_id is not None:
            reason = _("no village or grid named")
        else:
            reason = _("no place in the city recognised")
        return {"queue_reason": reason, "candidates": names[:300]}

    @staticmethod
    def _returns(
        subject: ScreeningSubject, row: rules.CleanRow, open_ids: set[int], last_visit: dict
    ) -> bool:
        if subject.pk in open_ids or subject.placement == Placement.EXCEPTION:
            return False
        last = last_visit.get(subject.pk)
        return bool(row.arrival_at and last and row.arrival_at > last)

    def _tasks_and_exceptions(
        self, subjects: list[ScreeningSubject], exceptions: list[tuple[ScreeningSubject, Any]]
    ) -> None:
        tasks = [
            writing.build(
                ScreeningTask,
                subject=s,
                node_id=s.node_id,
                path=s.path,
                key_area=s.key_area,
                due_at=rules.due_at(
                    rules.clock_start(s.arrival_at, self.received),
                    s.key_area,
                    self.rules.default_due_hours,
                    self.rules.key_area_due_hours,
                ),
                created_at=self.received,
                updated_at=self.received,
            )
            for s in subjects
            if s.placement != Placement.EXCEPTION
        ]
        writing.insert(tasks)
        self.counts.tasks += len(tasks)
        codes = {n.id: n.code for n in self.matcher.nodes.values()}
        writing.insert(
            [
                writing.build(
                    ExceptionItem,
                    kind=kind,
                    subject=s,
                    address=address[:200],
                    candidates="、".join(f"{self.names[i]} {codes[i]}" for i in candidates[:8])[
                        :300
                    ],
                    node_id=s.node_id,
                    path=s.path,
                    created_at=self.received,
                    updated_at=self.received,
                )
                for s, (kind, address, candidates) in exceptions
            ]
        )
