"""Every write of the screening app, one function per verb. Views, the API, the import
task and the self-declaration page call these."""

import datetime as dt
import hashlib
import json
import tempfile
import uuid
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fangkong.core import audit, clock, crypto, facts, partition
from fangkong.core.access import NotAllowed, account_of, actor, invalid, require, save_unique
from fangkong.core.jobs import start_job
from fangkong.core.models import Job
from fangkong.core.querysets import can_access
from fangkong.geo.models import Division
from fangkong.people import rules as person_rules
from fangkong.screening import handover, reading, rules
from fangkong.screening.choices import (
    HANDOVER_OUTCOMES,
    ExceptionKind,
    ExceptionStatus,
    Handover,
    ListStatus,
    Outcome,
    SourceKind,
    TaskStatus,
)
from fangkong.screening.matching import load_matcher
from fangkong.screening.models import (
    DeclarationReview,
    ExceptionItem,
    ListSource,
    PushedList,
    ScreeningRules,
    ScreeningTask,
    TaskTransfer,
    Visit,
)

PLACEABLE = ("village", "grid")
REVIEW_FIELD = "screening.declaration"


def upload_dir() -> Path:
    return Path(
        getattr(settings, "SCREENING_UPLOAD_DIR", None)
        or Path(settings.VAR_DIR) / "uploads" / "screening"
    )


def saved_upload(uploaded: Any, suffix: str) -> Path:
    """An uploaded file written to the upload folder under a name of its own, for a
    reader that deletes it when done (grid keys, a list of residents)."""
    target = upload_dir()
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target, delete=False, suffix=suffix) as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    return Path(out.name)


# --- sources ---------------------------------------------------------------------------


def save_source(
    user: Any, name: str, kind: str, column_map: dict[str, str], source: ListSource | None = None
) -> ListSource:
    """Create or edit a list source and its column mapping at the user's node."""
    if not user.may("screening.listsource", "change" if source else "add") or user.node is None:
        raise NotAllowed(_("your role may not manage list sources"))
    if source is not None and not can_access(user, source, "change"):
        raise NotAllowed(_("this source belongs to another jurisdiction"))
    name = name.strip()
    if not name or len(name) > 80:
        raise invalid("name", _("give a name of at most 80 characters"))
    if kind not in SourceKind.values:
        raise invalid("kind", _("unknown kind"))
    unknown = set(column_map) - set(reading.DEFAULT_HEADERS)
    if unknown:
        raise invalid("column_map", _("unknown fields: %s") % ", ".join(unknown))
    mapping = {k: v.strip() for k, v in column_map.items() if v and v.strip()}
    source = source or ListSource(node=user.node)
    source.name, source.kind, source.column_map = name, kind, mapping
    return save_unique(source, "name", _("a source of this name exists already"))


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


def _synonyms() -> dict[str, tuple[str, ...]]:
    return reading.synonyms(ScreeningRules.in_force(clock.today()).header_synonyms)


def purge_uploads() -> int:
    """Delete the files of failed imports whose re-run time has passed (the rules'
    `upload_keep_hours`); returns how many. Called on every upload and import."""
    expired = PushedList.objects.filter(keep_until__lte=clock.now()).exclude(stored_as="")
    n = 0
    for pushed in expired:
        Path(pushed.stored_as).unlink(missing_ok=True)
        n += 1
    expired.update(stored_as="", keep_until=None)
    return n


def upload_list(
    user: Any, source: ListSource, fh: BinaryIO, file_name: str
) -> tuple[PushedList, bool]:
    """Take a pushed file: refuse an unreadable one with a clear message, return the
    earlier list for a file already uploaded (nothing new), else queue the import.
    Towns and above upload for their area, villages and communities for theirs.
    Returns (list, started)."""
    if not user.may("screening.pushedlist", "add") or user.node is None:
        raise NotAllowed(_("your role may not upload lists"))
    if not ListSource.objects.usable_by(user).filter(pk=source.pk).exists():
        raise NotAllowed(_("this source belongs to another jurisdiction"))
    purge_uploads()
    temp, sha = _store(fh)
    earlier = PushedList.objects.filter(sha256=sha).first()
    if earlier is not None and earlier.status != ListStatus.FAILED:
        temp.unlink(missing_ok=True)
        return earlier, False
    try:
        table = reading.open_table(temp)
        reading.resolve_mapping(table.headers, source.column_map, _synonyms())
    except reading.FileError as exc:
        temp.unlink(missing_ok=True)
        raise invalid("file", str(exc)) from None
    final = temp.with_name(f"{sha}{Path(file_name).suffix.lower()[:6]}")
    temp.replace(final)
    with transaction.atomic():
        # A list whose import failed may be sent again: rows already stored are skipped.
        pushed = earlier or PushedList(sha256=sha)
        pushed.source, pushed.file_name = source, Path(file_name).name[:200]
        pushed.stored_as, pushed.node, pushed.uploaded_by = str(final), user.node, user
        pushed.status, pushed.message, pushed.keep_until = ListStatus.QUEUED, "", None
        pushed.save()
        _queue(user, pushed)
    return pushed, True


def _queue(user: Any, pushed: PushedList) -> None:
    from fangkong.screening.tasks import import_list

    job = start_job(user, "screening_import", pushed.node, import_list, pushed.pk)
    pushed.job = job
    pushed.save(update_fields=["job"])


def rerun_import(user: Any, pushed: PushedList) -> PushedList:
    """Run a failed import again from the kept file (no new upload), only while the
    rules keep it; rows stored by the failed attempt are not imported twice."""
    require(user, "add", pushed, message=_("this list belongs to another jurisdiction"))
    purge_uploads()
    with transaction.atomic():
        pushed = PushedList.objects.select_for_update().get(pk=pushed.pk)
        if pushed.status != ListStatus.FAILED:
            raise invalid("file", _("only a failed import can be run again"))
        if not pushed.stored_as or not Path(pushed.stored_as).exists():
            raise invalid("file", _("the file is no longer kept; upload it again"))
        pushed.status, pushed.message, pushed.keep_until = ListStatus.QUEUED, "", None
        pushed.save(update_fields=["status", "message", "keep_until"])
        _queue(user, pushed)
    return pushed


def _failed(pushed: PushedList, message: str, job: Job | None) -> None:
    """Mark the import failed; keep the file for a re-run only as long as the rules say."""
    hours = ScreeningRules.in_force(clock.today()).upload_keep_hours
    pushed.status, pushed.message = ListStatus.FAILED, message[:2000]
    if hours and pushed.stored_as:
        pushed.keep_until = clock.now() + dt.timedelta(hours=hours)
    else:
        if pushed.stored_as:
            Path(pushed.stored_as).unlink(missing_ok=True)
        pushed.stored_as, pushed.keep_until = "", None
    pushed.save(update_fields=["status", "message", "stored_as", "keep_until"])
    if job is not None:
        job.fail(message)


def _workers(rows: int | None) -> int:
    """Worker processes for a list of `rows` rows: the setting's number, or one (in this
    process) for a list too short to pay for starting them."""
    if (rows or 0) < settings.FANGKONG_IMPORT_WORKERS_FROM:
        return 1
    return partition.worker_count()


def run_import(pushed: PushedList, job: Job | None = None, batch_size: int = 2000) -> dict:
    """Read the stored file and feed every row through the pipeline (the task's body).
    The file is deleted when the import ends; a failed one is kept for a re-run only
    for the rules' `upload_keep_hours`."""
    from fangkong.screening.importing import Pipeline

    purge_uploads()
    pushed.status = ListStatus.RUNNING
    pushed.save(update_fields=["status"])
    try:
        table = reading.open_table(Path(pushed.stored_as))
        mapping = reading.resolve_mapping(table.headers, pushed.source.column_map, _synonyms())
        pushed.unused_columns = reading.unused_columns(table.headers, mapping)
        pushed.save(update_fields=["unused_columns"])
        # Rejections and merges are derived from the file again on a re-run.
        pushed.rejections.all().delete()
        pipeline = Pipeline(pushed)
        if job is not None:
            job.advance(0, table.total)

        def progress(done: int) -> None:
            if job is not None:
                job.advance(min(done, table.total or done), table.total)

        counts = pipeline.feed(
            reading.numbered_rows(table), batch_size, progress, _workers(table.total), mapping
        )
    except reading.FileError as exc:
        _failed(pushed, str(exc), job)
        return {}
    except Exception as exc:  # the import broke: say why, keep nothing longer than allowed
        _failed(pushed, _("The import stopped: %s") % type(exc).__name__, job)
        raise
    result = counts.as_dict()
    # The rows are stored (IDs and phones encrypted); the plain file need not stay on disk.
    Path(pushed.stored_as).unlink(missing_ok=True)
    pushed.status, pushed.counts, pushed.stored_as = ListStatus.DONE, result, ""
    pushed.keep_until = None
    pushed.save(update_fields=["status", "counts", "stored_as", "keep_until"])
    if job is not None:
        job.total = counts.total
        job.finish(
            result, _("%(a)d of %(t)d rows imported") % {"a": counts.accepted, "t": counts.total}
        )
    return result


# --- self-declaration (R14) --------------------------------------------------------------


def self_declaration_list() -> PushedList:
    """Today's list of self-declarations, at the root of the tree (one per day)."""
    root = Division.objects.root()
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


def _feed_declaration(raw: dict[str, str], pipeline: Any = None, prepared: Any = None) -> Any:
    """One declaration through the pipeline onto today's list (locked: one row number
    each). `prepared` is the row `declare` already prepared (its resident ID parsed)."""
    from fangkong.screening.importing import Pipeline

    today = pipeline.pl if pipeline is not None else self_declaration_list()
    pushed = PushedList.objects.select_for_update().get(pk=today.pk)
    row_no = (pushed.counts or {}).get("total", 0) + 1
    if pipeline is None:
        pipeline = Pipeline(pushed)
    else:
        pipeline.pl = pushed
    if prepared is not None:
        pipeline.ready[row_no] = prepared._replace(row_no=row_no)
    outcome = pipeline.batch([(row_no, raw)])[0]
    pipeline.add_counts()
    return outcome


@transaction.atomic
def declare(data: dict[str, str]) -> Any:
    """An arrival declares themselves on the public page (phone already verified by an
    SMS code); a new person takes the same road as a pushed row. A declaration about a
    person already in the registry changes nothing: it waits for staff review in a
    DeclarationReview (returned). Else returns the pipeline's outcome (row or rejection).
    The row is prepared once (its resident ID parsed once) for both questions."""
    from fangkong.screening.importing import Pipeline

    raw = {k: str(data.get(k) or "") for k in reading.DEFAULT_HEADERS}
    pipeline = Pipeline(self_declaration_list())
    prepared = pipeline.prepare(raw)
    person = pipeline.existing(prepared)
    if person is None:
        return _feed_declaration(raw, pipeline, prepared)
    return DeclarationReview.objects.create(
        person=person,
        node_id=person.node_id,
        path=person.path,
        name=raw["name"][:50],
        origin=raw.get("origin", "")[:100],
        arrival_date=raw.get("arrival_date", "")[:10],
        phone_masked=person_rules.mask_phone(raw.get("phone", "")),
        row_enc=crypto.encrypt(json.dumps(raw, ensure_ascii=False), REVIEW_FIELD),
    )


def review_declaration(user: Any, review: DeclarationReview, accept: bool) -> Any:
    """Staff accept a held self-declaration (it then takes the pipeline's road, changing
    the person's screening) or reject it. Returns the pipeline's outcome or None."""
    require(user, "review", review, message=_("this declaration is not in your area"))
    with transaction.atomic(), actor(user):
        review = DeclarationReview.objects.select_for_update().get(pk=review.pk)
        if review.status != DeclarationReview.Status.PENDING:
            raise invalid("status", _("this declaration was already reviewed"))
        outcome = None
        if accept:
            outcome = _feed_declaration(
                json.loads(crypto.decrypt(bytes(review.row_enc), REVIEW_FIELD))
            )
            if outcome.rejection is not None:
                raise ValidationError({outcome.rejection.field: [outcome.rejection.reason]})
        review.status = (
            DeclarationReview.Status.ACCEPTED if accept else DeclarationReview.Status.REJECTED
        )
        review.reviewed_at, review.reviewed_by = clock.now(), user
        review.save(update_fields=["status", "reviewed_at", "reviewed_by"])
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
        by=account_of(user),
    )
    task.node, task.path = to, to.path
    task.subject.node, task.subject.path = to, to.path
    task.subject.save(update_fields=["node", "path"])


def record_visit(
    user: Any,
    task: ScreeningTask,
    data: dict[str, Any],
    *,
    at: dt.datetime | None = None,
    late: bool = False,
) -> tuple[Visit, bool]:
    """Save the screening record of a visit and apply its outcome. The same client id
    twice (a phone retrying) returns the first visit: (visit, created).

    `at` is when the visit happened, for a record sent later by a phone that had no
    signal (the clock's now by default). `late` keeps the record on a task that was
    moved or closed meanwhile without applying its outcome (`keep_late_visit`)."""
    client_id = data.get("client_id") or uuid.uuid4()
    earlier = Visit.objects.filter(client_id=client_id).select_related("task").first()
    if earlier is not None:
        if not (late and earlier.task_id == task.pk) and not can_access(user, earlier.task, "view"):
            raise PermissionDenied
        return earlier, False
    if not late and not can_access(user, task, "visit"):
        raise NotAllowed(_("this task is not in your area"))
    outcome = data.get("outcome")
    if outcome not in Outcome.values:
        raise invalid("outcome", _("choose an outcome"))
    new_address = (data.get("new_address") or "").strip()
    if outcome == Outcome.MOVED and not new_address:
        raise invalid("new_address", _("give the new address"))
    with transaction.atomic():
        task = (
            ScreeningTask.objects.select_for_update()
            .select_related("subject", "node")
            .get(pk=task.pk)
        )
        if not late and not can_access(user, task, "visit"):
            raise NotAllowed(_("this task is not in your area"))
        if not late and task.status != TaskStatus.OPEN:
            raise invalid("outcome", _("this task is closed already"))
        fields = {k: v for k, v in data.items() if k in VISIT_FIELDS}
        now = at or clock.now()
        try:
            with transaction.atomic():
                visit = Visit.objects.create(
                    client_id=client_id,
                    task=task,
                    visited_by=account_of(user),
                    visited_at=now,
                    path=task.path,
                    outcome=outcome,
                    new_address=new_address,
                    **fields,
                )
        except IntegrityError:  # the retry raced us to the insert
            return Visit.objects.get(client_id=client_id), False
        if late:
            return visit, True
        task.visited_at = task.visited_at or now
        task.minutes_to_visit = rules.minutes_between(task.created_at, task.visited_at)
        task.outcome = outcome
        task.version += 1
        if outcome == Outcome.MOVED:
            _moved(user, task, new_address)
        elif outcome == Outcome.NOT_FOUND:
            _escalate(task, ExceptionKind.NOT_FOUND, task.subject.address)
        else:
            task.status = TaskStatus.DONE
            task.handover = handover.hand_over(user, task) if outcome in HANDOVER_OUTCOMES else ""
        task.save()
        facts.changed(facts.SCREENING, [task.subject.person_id], outcome=outcome)
    return visit, True


def keep_late_visit(user: Any, task: ScreeningTask, data: dict[str, Any], visited_at: Any) -> Visit:
    """A visit recorded on a phone without a signal, for a task that was moved or closed
    before the phone could send it: `record_visit` keeps it on the task (its new owner
    sees it) at the time it happened, without applying its outcome. The caller checks
    that the task was the worker's when the visit was made. Same client id → one visit."""
    visit, _created = record_visit(user, task, data, at=visited_at, late=True)
    return visit


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
    _escalate(task, ExceptionKind.MOVED, new_address[:200])


def _escalate(task: ScreeningTask, kind: str, address: str) -> None:
    """The task goes to the exceptions queue of its town."""
    task.status = TaskStatus.ESCALATED
    town = _town_of(task.node)
    ExceptionItem.objects.create(
        kind=kind, subject=task.subject, task=task, address=address, node=town, path=town.path
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
            raise invalid("to", _("no village or grid with code “%s”") % code)
        return node
    result = load_matcher().match(address)
    if result.node_id is None:
        raise invalid("to", _("the address cannot be placed in a grid"))
    return Division.objects.get(pk=result.node_id)


@transaction.atomic
def transfer_task(user: Any, task: ScreeningTask, to: Division, reason: str) -> ScreeningTask:
    """Hand an open task to another village or grid (another district too): it leaves
    the sender's queue and lands in the receiver's."""
    task = (
        ScreeningTask.objects.select_for_update().select_related("subject", "node").get(pk=task.pk)
    )
    require(user, "transfer", task, message=_("this task is not in your area"))
    if task.status != TaskStatus.OPEN:
        raise invalid("to", _("only an open task can be transferred"))
    if to.pk == task.node_id:
        raise invalid("to", _("the task is in that queue already"))
    _move(task, to, user, reason or _("transferred"))
    task.version += 1
    task.save()
    return task


@transaction.atomic
def send_to_site(user: Any, task: ScreeningTask, site: Any) -> ScreeningTask:
    """A town or county carries out a visit's decision of centralised observation: the
    person is sent to a quarantine site of its area, and the decision leaves the list of
    those awaiting hand-over."""
    task = (
        ScreeningTask.objects.select_for_update()
        .select_related("subject__person", "node")
        .get(pk=task.pk)
    )
    require(user, "transfer", task, message=_("this task is not in your area"))
    if not handover.may_send(user):
        raise NotAllowed(_("the town or county sends the person to a site"))
    if task.outcome != Outcome.CENTRAL or task.handover != Handover.PENDING:
        raise invalid(
            "task", _("only a decision of centralised observation awaiting hand-over is sent")
        )
    if task.subject.person is None:
        raise invalid("task", _("the person of this visit is not in the registry"))
    handover.to_site(user, task, site)
    task.handover = Handover.DONE
    task.version += 1
    with actor(user):
        task.save(update_fields=["handover", "version"])
    return task


# --- exceptions and aliases ----------------------------------------------------------------


@transaction.atomic
def assign_exception(user: Any, item: ExceptionItem, to: Division) -> ScreeningTask:
    """The town places a subject by hand: a task for the chosen grid (the escalated task
    reopened there, or a new one). Only a village or grid of the exception's queue, in
    the user's area, may take it (elsewhere is a transfer, not an assignment)."""
    if to.level not in PLACEABLE:
        raise invalid("to", _("choose a village or a grid"))
    item = (
        ExceptionItem.objects.select_for_update(of=("self",))
        .select_related("subject", "task", "node")
        .get(pk=item.pk)
    )
    require(user, "change", item, message=_("this exception is not in your area"))
    if not (
        to.path.startswith(item.node.path)
        and Division.objects.restrict(user, "view").filter(pk=to.pk).exists()
    ):
        raise invalid("to", _("choose a village or a grid of this exception's queue"))
    if item.status != ExceptionStatus.OPEN:
        raise invalid("to", _("this exception is assigned already"))
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
    item.resolved_by = account_of(user)
    item.resolved_at = clock.now()
    item.save()
    audit.record_access(user, task, f"assign-exception:{item.pk}")
    return task


from fangkong.screening.placing import add_alias  # noqa: E402,F401  (moved; kept importable)
