"""Every write of the screening app, one function per verb. Views, the API, the import
task and the self-declaration page call these."""

import hashlib
import tempfile
import uuid
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fangkong.core import audit, clock
from fangkong.core.jobs import start_job
from fangkong.core.models import Job
from fangkong.core.querysets import can_access
from fangkong.geo.models import Division
from fangkong.screening import handover, reading, rules
from fangkong.screening.choices import (
    HANDOVER_OUTCOMES,
    ExceptionKind,
    ExceptionStatus,
    ListStatus,
    Outcome,
    SourceKind,
    TaskStatus,
)
from fangkong.screening.matching import load_matcher
from fangkong.screening.models import (
    AddressAlias,
    ExceptionItem,
    ListSource,
    PushedList,
    ScreeningRules,
    ScreeningTask,
    TaskTransfer,
    Visit,
)

PLACEABLE = ("village", "grid")


def upload_dir() -> Path:
    return Path(
        getattr(settings, "SCREENING_UPLOAD_DIR", None)
        or Path(settings.VAR_DIR) / "uploads" / "screening"
    )


# --- sources ---------------------------------------------------------------------------


def save_source(
    user: Any, name: str, kind: str, column_map: dict[str, str], source: ListSource | None = None
) -> ListSource:
    """Create or edit a list source and its column mapping at the user's node."""
    if not user.may("screening.listsource", "change" if source else "add") or user.node is None:
        raise PermissionDenied(_("your role may not manage list sources"))
    if source is not None and not can_access(user, source, "change"):
        raise PermissionDenied(_("this source belongs to another jurisdiction"))
    name = name.strip()
    if not name or len(name) > 80:
        raise ValidationError({"name": [_("give a name of at most 80 characters")]})
    if kind not in SourceKind.values:
        raise ValidationError({"kind": [_("unknown kind")]})
    unknown = set(column_map) - set(reading.DEFAULT_HEADERS)
    if unknown:
        raise ValidationError({"column_map": [_("unknown fields: %s") % ", ".join(unknown)]})
    mapping = {k: v.strip() for k, v in column_map.items() if v and v.strip()}
    source = source or ListSource(node=user.node)
    source.name, source.kind, source.column_map = name, kind, mapping
    try:
        with transaction.atomic():
            source.save()
    except IntegrityError:
        raise ValidationError({"name": [_("a source of this name exists already")]}) from None
    return source


# --- upload and import -------------------------------------------------------------------


def _store(fh: BinaryIO) -> tuple[Path, str]:
    """Copy the upload to a temporary file beside the store, hashing as it goes."""
    target = upload_dir()
    target.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with tempfile.NamedTemporaryFile(dir=target, delete=False, suffix=".part") as out:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            out.write(chunk)
    return Path(out.name), digest.hexdigest()


def upload_list(
    user: Any, source: ListSource, fh: BinaryIO, file_name: str
) -> tuple[PushedList, bool]:
    """Take a pushed file: refuse an unreadable one with a clear message, return the
    earlier list for a file already uploaded (nothing new), else queue the import.
    Returns (list, started)."""
    if not user.may("screening.pushedlist", "add") or user.node is None:
        raise PermissionDenied(_("your role may not upload lists"))
    if not ListSource.objects.usable_by(user).filter(pk=source.pk).exists():
        raise PermissionDenied(_("this source belongs to another jurisdiction"))
    temp, sha = _store(fh)
    earlier = PushedList.objects.filter(sha256=sha).first()
    if earlier is not None and earlier.status != ListStatus.FAILED:
        temp.unlink(missing_ok=True)
        return earlier, False
    try:
        table = reading.open_table(temp)
        reading.resolve_mapping(table.headers, source.column_map)
    except reading.FileError as exc:
        temp.unlink(missing_ok=True)
        raise ValidationError({"file": [str(exc)]}) from None
    final = temp.with_name(f"{sha}{Path(file_name).suffix.lower()[:6]}")
    temp.replace(final)
    with transaction.atomic():
        # A list whose import failed may be sent again: rows already stored are skipped.
        pushed = earlier or PushedList(sha256=sha)
        pushed.source, pushed.file_name = source, Path(file_name).name[:200]
        pushed.stored_as, pushed.node, pushed.uploaded_by = str(final), user.node, user
        pushed.status, pushed.message = ListStatus.QUEUED, ""
        pushed.save()
        from fangkong.screening.tasks import import_list

        job = start_job(user, "screening_import", user.node, import_list, pushed.pk)
        pushed.job = job
        pushed.save(update_fields=["job"])
    return pushed, True


def run_import(pushed: PushedList, job: Job | None = None, batch_size: int = 2000) -> dict:
    """Read the stored file and feed every row through the pipeline (the task's body)."""
    from fangkong.screening.importing import Pipeline

    pushed.status = ListStatus.RUNNING
    pushed.save(update_fields=["status"])
    try:
        table = reading.open_table(Path(pushed.stored_as))
        mapping = reading.resolve_mapping(table.headers, pushed.source.column_map)
        pipeline = Pipeline(pushed)
        if job is not None:
            job.advance(0, table.total)

        def progress(done: int) -> None:
            if job is not None:
                job.advance(min(done, table.total or done), table.total)

        counts = pipeline.feed(reading.mapped_rows(table, mapping), batch_size, progress)
    except reading.FileError as exc:
        pushed.status, pushed.message = ListStatus.FAILED, str(exc)
        pushed.save(update_fields=["status", "message"])
        if job is not None:
            job.fail(str(exc))
        return {}
    result = counts.as_dict()
    # The rows are stored (IDs and phones encrypted); the plain file need not stay on disk.
    Path(pushed.stored_as).unlink(missing_ok=True)
    pushed.status, pushed.counts, pushed.stored_as = ListStatus.DONE, result, ""
    pushed.save(update_fields=["status", "counts", "stored_as"])
    if job is not None:
        job.total = counts.total
        job.finish(
            result, _("%(a)d of %(t)d rows imported") % {"a": counts.accepted, "t": counts.total}
        )
    return result


# --- self-declaration (R14) --------------------------------------------------------------


def self_declaration_list() -> PushedList:
    """Today's list of self-declarations, at the root of the tree (one per day)."""
    root = Division.objects.filter(parent__isnull=True).order_by("path").first()
    if root is None:
        raise ValidationError(_("the jurisdiction tree is not loaded"))
    source, _c = ListSource.objects.get_or_create(
        node=root, name=_("Self-declaration"), defaults={"kind": SourceKind.SELF}
    )
    today = clock.today()
    pushed, _c = PushedList.objects.get_or_create(
        sha256=f"self-declaration:{root.code}:{today.isoformat()}",
        defaults={
            "source": source,
            "file_name": _("Self-declarations %s") % today.isoformat(),
            "node": root,
            "status": ListStatus.DONE,
        },
    )
    return pushed


@transaction.atomic
def declare(data: dict[str, str]) -> Any:
    """An arrival declares themselves on the public page; the row takes the same road as
    a pushed row. Returns the pipeline's outcome (row or rejection)."""
    from fangkong.screening.importing import Pipeline

    pushed = PushedList.objects.select_for_update().get(pk=self_declaration_list().pk)
    row_no = (pushed.counts or {}).get("total", 0) + 1
    pipeline = Pipeline(pushed)
    raw = {k: str(data.get(k) or "") for k in reading.DEFAULT_HEADERS}
    outcome = pipeline.batch([(row_no, raw)])[0]
    counts = pushed.counts or {}
    for key, value in pipeline.counts.as_dict().items():
        counts[key] = counts.get(key, 0) + value
    pushed.counts = counts
    pushed.save(update_fields=["counts"])
    return outcome


# --- visits and transfers ----------------------------------------------------------------


def _town_of(node: Division) -> Division:
    codes = node.ancestor_codes()
    for code in reversed(codes):
        found = Division.objects.filter(code=code).first()
        if found is not None and found.level in ("town", "county", "city"):
            return found
    return node


def _move(task: ScreeningTask, to: Division, user: Any, reason: str) -> None:
    TaskTransfer.objects.create(
        task=task,
        from_node=task.node,
        to_node=to,
        reason=reason[:200],
        by=user if getattr(user, "pk", None) else None,
    )
    task.node, task.path = to, to.path
    task.subject.node, task.subject.path = to, to.path
    task.subject.save(update_fields=["node", "path"])


def record_visit(user: Any, task: ScreeningTask, data: dict[str, Any]) -> tuple[Visit, bool]:
    """Save the screening record of a visit and apply its outcome. The same client id
    twice (a phone retrying) returns the first visit: (visit, created)."""
    client_id = data.get("client_id") or uuid.uuid4()
    earlier = Visit.objects.filter(client_id=client_id).select_related("task").first()
    if earlier is not None:
        if not can_access(user, earlier.task, "view"):
            raise PermissionDenied
        return earlier, False
    if not can_access(user, task, "visit"):
        raise PermissionDenied(_("this task is not in your area"))
    outcome = data.get("outcome")
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": [_("choose an outcome")]})
    new_address = (data.get("new_address") or "").strip()
    if outcome == Outcome.MOVED and not new_address:
        raise ValidationError({"new_address": [_("give the new address")]})
    with transaction.atomic():
        task = (
            ScreeningTask.objects.select_for_update()
            .select_related("subject", "node")
            .get(pk=task.pk)
        )
        if not can_access(user, task, "visit"):
            raise PermissionDenied(_("this task is not in your area"))
        if task.status != TaskStatus.OPEN:
            raise ValidationError({"outcome": [_("this task is closed already")]})
        fields = {k: v for k, v in data.items() if k in VISIT_FIELDS}
        try:
            with transaction.atomic():
                visit = Visit.objects.create(
                    client_id=client_id,
                    task=task,
                    visited_by=user if getattr(user, "pk", None) else None,
                    visited_at=clock.now(),
                    path=task.path,
                    outcome=outcome,
                    new_address=new_address,
                    **fields,
                )
        except IntegrityError:  # the retry raced us to the insert
            return Visit.objects.get(client_id=client_id), False
        now = clock.now()
        task.visited_at = task.visited_at or now
        task.minutes_to_visit = rules.minutes_between(task.created_at, task.visited_at)
        task.outcome = outcome
        task.version += 1
        if outcome == Outcome.MOVED:
            _moved(user, task, new_address)
        elif outcome == Outcome.NOT_FOUND:
            task.status = TaskStatus.ESCALATED
            town = _town_of(task.node)
            ExceptionItem.objects.create(
                kind=ExceptionKind.NOT_FOUND,
                subject=task.subject,
                task=task,
                address=task.subject.address,
                node=town,
                path=town.path,
            )
        else:
            task.status = TaskStatus.DONE
            task.handover = handover.hand_over(user, task) if outcome in HANDOVER_OUTCOMES else ""
        task.save()
    return visit, True


def _moved(user: Any, task: ScreeningTask, new_address: str) -> None:
    """The person lives elsewhere now: the task goes to that grid's queue (any district);
    an address we cannot place goes to the exceptions queue of the current town."""
    result = load_matcher().match(new_address)
    rules_now = ScreeningRules.in_force()
    task.subject.address = new_address[:200]
    task.subject.save(update_fields=["address"])
    if result.node_id is not None:
        to = Division.objects.get(pk=result.node_id)
        _move(task, to, user, _("moved: %s") % new_address)
        task.status, task.visited_at, task.minutes_to_visit = TaskStatus.OPEN, None, None
        task.due_at = rules.due_at(
            clock.now(), task.key_area, rules_now.default_due_hours, rules_now.key_area_due_hours
        )
        return
    task.status = TaskStatus.ESCALATED
    town = _town_of(task.node)
    ExceptionItem.objects.create(
        kind=ExceptionKind.MOVED,
        subject=task.subject,
        task=task,
        address=new_address[:200],
        node=town,
        path=town.path,
    )


VISIT_FIELDS = (
    "identity_checked",
    "phone_checked",
    "address_checked",
    "origin_checked",
    "arrival_checked",
    "transport_checked",
    "itinerary",
    "contact",
    "health",
    "temperature",
    "measures",
    "household_members",
    "notes",
)


def target_node(code: str = "", address: str = "") -> Division:
    """The village or grid a task goes to: by code, or by matching an address."""
    if code:
        node = Division.objects.filter(code=code.strip()).first()
        if node is None or node.level not in PLACEABLE:
            raise ValidationError({"to": [_("no village or grid with code “%s”") % code]})
        return node
    result = load_matcher().match(address)
    if result.node_id is None:
        raise ValidationError({"to": [_("the address cannot be placed in a grid")]})
    return Division.objects.get(pk=result.node_id)


@transaction.atomic
def transfer_task(user: Any, task: ScreeningTask, to: Division, reason: str) -> ScreeningTask:
    """Hand an open task to another village or grid (another district too): it leaves
    the sender's queue and lands in the receiver's."""
    task = (
        ScreeningTask.objects.select_for_update().select_related("subject", "node").get(pk=task.pk)
    )
    if not can_access(user, task, "transfer"):
        raise PermissionDenied(_("this task is not in your area"))
    if task.status != TaskStatus.OPEN:
        raise ValidationError({"to": [_("only an open task can be transferred")]})
    if to.pk == task.node_id:
        raise ValidationError({"to": [_("the task is in that queue already")]})
    _move(task, to, user, reason or _("transferred"))
    task.version += 1
    task.save()
    return task


# --- exceptions and aliases ----------------------------------------------------------------


@transaction.atomic
def assign_exception(user: Any, item: ExceptionItem, to: Division) -> ScreeningTask:
    """The town places a subject by hand: a task for the chosen grid (the escalated task
    reopened there, or a new one)."""
    if to.level not in PLACEABLE:
        raise ValidationError({"to": [_("choose a village or a grid")]})
    item = (
        ExceptionItem.objects.select_for_update(of=("self",))
        .select_related("subject", "task")
        .get(pk=item.pk)
    )
    if not can_access(user, item, "change"):
        raise PermissionDenied(_("this exception is not in your area"))
    if item.status != ExceptionStatus.OPEN:
        raise ValidationError({"to": [_("this exception is assigned already")]})
    subject = item.subject
    rules_now = ScreeningRules.in_force()
    due = rules.due_at(
        clock.now(), subject.key_area, rules_now.default_due_hours, rules_now.key_area_due_hours
    )
    task = item.task or subject.tasks.filter(status=TaskStatus.OPEN).first()
    if task is None:
        task = ScreeningTask.objects.create(
            subject=subject, node=to, path=to.path, key_area=subject.key_area, due_at=due
        )
        subject.node, subject.path = to, to.path
        subject.save(update_fields=["node", "path"])
    else:
        if task.node_id != to.pk:
            _move(task, to, user, _("assigned by the town"))
        task.status, task.due_at, task.outcome = TaskStatus.OPEN, due, ""
        task.visited_at, task.minutes_to_visit = None, None
        task.version += 1
        task.save()
    person = subject.person
    if person.node.level not in PLACEABLE:  # registered at the town while unplaced
        type(person).objects.filter(pk=person.pk).update(node=to, path=to.path)
    item.status, item.assigned_to = ExceptionStatus.ASSIGNED, to
    item.resolved_by = user if getattr(user, "pk", None) else None
    item.resolved_at = clock.now()
    item.save()
    audit.record_access(user, task, f"assign-exception:{item.pk}")
    return task


def add_alias(user: Any, text: str, to: Division) -> AddressAlias:
    if not user.may("screening.addressalias", "add"):
        raise PermissionDenied(_("your role may not add aliases"))
    if not Division.objects.restrict(user, "view").filter(pk=to.pk).exists():
        raise PermissionDenied(_("this grid is not in your area"))
    text = text.strip()
    if len(text) < 2 or len(text) > 60:
        raise ValidationError({"text": [_("2 to 60 characters")]})
    if to.level not in PLACEABLE:
        raise ValidationError({"to": [_("choose a village or a grid")]})
    alias, _created = AddressAlias.objects.get_or_create(text=text, node=to)
    return alias


@transaction.atomic
def keep_late_visit(user: Any, task: ScreeningTask, data: dict[str, Any], visited_at: Any) -> Visit:
    """A visit recorded on a phone without a signal, for a task that was moved or closed
    before the phone could send it: the record is kept on the task (its new owner sees
    it) without changing the task's outcome. The same client id twice is stored once."""
    client_id = data.get("client_id") or uuid.uuid4()
    earlier = Visit.objects.filter(client_id=client_id).first()
    if earlier is not None:
        return earlier
    outcome = data.get("outcome")
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": [_("choose an outcome")]})
    fields = {k: v for k, v in data.items() if k in VISIT_FIELDS}
    return Visit.objects.create(
        client_id=client_id,
        task=task,
        visited_by=user if getattr(user, "pk", None) else None,
        visited_at=visited_at,
        path=task.path,
        outcome=outcome,
        new_address=(data.get("new_address") or "").strip(),
        **fields,
    )
