"""The screening API under /api/v1/screening/: the same actions as the pages."""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from fangkong.core import listing as lists
from fangkong.core.access import NotAllowed, division, record, require
from fangkong.screening import actions, fates, handover, progress
from fangkong.screening.models import (
    DeclarationReview,
    ExceptionItem,
    ImportRejection,
    ListSource,
    PushedList,
    ScreeningTask,
)
from fangkong.screening.reads import (
    audit_api_page,
    audit_list,
    one_task,
    open_exceptions,
    pending_declarations,
    pending_handovers,
)

router = Router(tags=["screening"])


class ListOut(Schema):
    id: int
    source: str = Field(..., alias="source.name")
    file_name: str
    status: str
    message: str
    job_id: int | None
    progress_percent: int | None
    counts: dict[str, int]
    created: bool = True

    @staticmethod
    def resolve_progress_percent(obj: PushedList) -> int | None:
        return obj.job.percent if obj.job else None


class RejectionOut(Schema):
    row_no: int
    field: str
    reason: str
    name: str


class ReportOut(Schema):
    pushed_list: ListOut
    rejections: list[RejectionOut]  # those of rows `first`–`first`+4999
    rejections_count: int  # every rejected row of the list
    next_first: int | None  # `first` of the next rows, None after the last
    unused_columns: list[str]
    rows: list[fates.Fate]  # the report page's rows, as they are


class SubjectOut(Schema):
    name: str
    id_masked: str
    phone_masked: str
    address: str
    origin: str
    arrival_at: dt.datetime | None
    transport: str
    transport_no: str
    sources: list[str]

    @staticmethod
    def resolve_sources(obj) -> list[str]:  # type: ignore[no-untyped-def]
        return obj.source_list


class ScreeningTaskOut(Schema):
    id: int
    node_code: str = Field(..., alias="node.code")
    status: str
    key_area: bool
    due_at: dt.datetime
    overdue: bool
    visited_at: dt.datetime | None
    outcome: str
    handover: str
    subject: SubjectOut


class TaskPage(Schema):
    items: list[ScreeningTaskOut]
    next_after: int | None
    count: int = Field(0, description="all tasks of this status in the caller's area")


class TaskParams(Schema):
    status: str = "open"
    after: int | None = None
    size: int = 50


class ScreeningVisitIn(Schema):
    client_id: uuid.UUID
    outcome: str
    identity_checked: bool = False
    phone_checked: bool = False
    address_checked: bool = False
    origin_checked: bool = False
    arrival_checked: bool = False
    transport_checked: bool = False
    itinerary: str = ""
    contact: str = "none"
    health: str = "well"
    temperature: Decimal | None = None
    measures: str = ""
    household_members: int = 1
    new_address: str = ""
    notes: str = ""


class ScreeningVisitOut(Schema):
    id: int
    client_id: uuid.UUID
    task_id: int
    outcome: str
    visited_at: dt.datetime
    created: bool = True


class ScreeningTransferIn(Schema):
    to_code: str = ""
    address: str = ""
    reason: str = ""


class AssignIn(Schema):
    to_code: str


class ExceptionOut(Schema):
    id: int
    kind: str
    status: str
    name: str = Field(..., alias="subject.name")
    address: str
    queue_code: str = Field(..., alias="node.code")
    candidates: str


class ProgressOut(Schema):
    node: dict
    children: list[dict]
    checklists: list[dict]


def _list(request: HttpRequest, pk: int) -> PushedList:
    return record(request.user, PushedList.objects.select_related("source", "job"), pk)


@router.post("/lists", response={201: ListOut, 200: ListOut})
def upload_list(request: HttpRequest, source_id: Form[int], file: File[UploadedFile]):  # type: ignore[no-untyped-def]
    """Upload a pushed list (XLSX, XLS or CSV); the import runs in the background. The
    same file again returns the earlier list with `created: false`."""
    source = get_object_or_404(ListSource.objects.usable_by(request.user), pk=source_id)
    fh: Any = file
    pushed, started = actions.upload_list(request.user, source, fh, file.name or "list")
    pushed.created = started  # type: ignore[attr-defined]
    return Status(201 if started else 200, pushed)


@router.get("/lists/{pk}", response=ListOut)
def list_status(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return _list(request, pk)


REPORT_ROWS = 5000  # rows of the file in one answer of the report


@router.get("/lists/{pk}/report", response=ReportOut)
def list_report(request: HttpRequest, pk: int, first: int = 0):  # type: ignore[no-untyped-def]
    """Every row of the file with its fate (rejected, merged, placed, queued), the
    conflicts and the columns not used; row numbers `first`–`first`+4999, with the
    rejections of those rows, how many rows were rejected in all and the `first` of the
    next rows (`next_first`, None after the last): a client reads on until it is None."""
    pushed = _list(request, pk)
    first = min(max(first, 0), 10**9)  # row numbers fit a 32-bit column
    last = first + REPORT_ROWS - 1
    rejected = ImportRejection.objects.filter(pushed_list=pushed, duplicate=False)
    rejections = list(rejected.filter(row_no__gte=first, row_no__lte=last).order_by("row_no"))
    rows = list(fates.fates(pushed, first, last))
    audit_list(
        request,
        "screening.pushedrow",
        {"list": pushed.pk, "first": first, "api": True},
        len(rows),
    )
    return {
        "pushed_list": pushed,
        "rejections": rejections,
        "rejections_count": rejected.count(),
        "next_first": last + 1 if last < fates.last_row(pushed) else None,
        "unused_columns": pushed.unused_columns or [],
        "rows": rows,
    }


@router.post("/lists/{pk}/rerun", response=ListOut)
def rerun_list(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    """Run a failed import again from the file kept for that (see the rules)."""
    return actions.rerun_import(request.user, _list(request, pk))


@router.get("/tasks", response=TaskPage)
def list_tasks(request: HttpRequest, params: Query[TaskParams]):  # type: ignore[no-untyped-def]
    """Tasks in the caller's area, most urgent first; pages by `after` (last id)."""
    qs = (
        ScreeningTask.objects.restrict(request.user, "view")
        .filter(status=params.status)
        .select_related("subject", "node")
        .order_by("pk")
    )
    if params.after:
        qs = qs.filter(pk__gt=params.after)
    size = max(1, min(params.size, 500))
    items = list(qs[: size + 1])
    more = len(items) > size
    items = sorted(items[:size], key=lambda t: (t.due_at, t.pk))
    count = (
        ScreeningTask.objects.restrict(request.user, "view").filter(status=params.status).count()
    )
    audit_list(
        request,
        "screening.screeningtask",
        {"status": params.status, "after": params.after, "size": size, "api": True},
        len(items),
    )
    return {
        "items": items,
        "next_after": max(t.pk for t in items) if more else None,
        "count": count,
    }


@router.get("/tasks/{pk}", response=ScreeningTaskOut)
def get_task(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return one_task(request.user, pk)


@router.post("/tasks/{pk}/visits", response={201: ScreeningVisitOut, 200: ScreeningVisitOut})
def post_visit(request: HttpRequest, pk: int, body: ScreeningVisitIn):  # type: ignore[no-untyped-def]
    """Record a visit; the same `client_id` again returns the first visit (200)."""
    task = one_task(request.user, pk)
    visit, created = actions.record_visit(request.user, task, body.dict())
    visit.created = created  # type: ignore[attr-defined]
    return Status(201 if created else 200, visit)


@router.post("/tasks/{pk}/transfer", response=ScreeningTaskOut)
def transfer(request: HttpRequest, pk: int, body: ScreeningTransferIn):  # type: ignore[no-untyped-def]
    task = one_task(request.user, pk, "transfer")
    to = actions.target_node(body.to_code, body.address)
    return actions.transfer_task(request.user, task, to, body.reason)


class HandoverSiteIn(Schema):
    site_id: int


class HandoverSiteOut(Schema):
    id: int
    name: str
    free: int = Field(..., alias="free_beds", description="beds not taken now")


@lists.paged(router, "/handovers", ScreeningTaskOut)
def list_handovers(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Visits whose decision (observation at home or in a site, a fever-clinic referral)
    awaits hand-over, in the caller's area, oldest first; paged with `count`."""
    require(request.user, "view", ScreeningTask)
    qs = pending_handovers(request.user)
    return audit_api_page(request, "screening.screeningtask", {"list": "handovers"}, qs)


@router.get("/handovers/sites", response=list[HandoverSiteOut])
def handover_sites(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The quarantine sites of the caller's area in use, with their free beds: where a
    decision of centralised observation can be sent."""
    if not handover.may_send(request.user):
        raise NotAllowed(_("the town or county sends the person to a site"))
    return handover.sites(request.user)


@router.post("/tasks/{pk}/handover/site", response=ScreeningTaskOut)
def send_to_site(request: HttpRequest, pk: int, body: HandoverSiteIn):  # type: ignore[no-untyped-def]
    """Carry out a decision of centralised observation: the person is sent to the site
    (observation's 待入住, where the site assigns the room)."""
    task = one_task(request.user, pk, "transfer")
    site = handover.site_of(request.user, body.site_id)
    return actions.send_to_site(request.user, task, site)


@lists.paged(router, "/exceptions", ExceptionOut)
def list_exceptions(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Open exceptions in the caller's area, paged (`page`, `page_size`) with `count`."""
    qs = open_exceptions(request.user)
    return audit_api_page(request, "screening.exceptionitem", {"list": "open"}, qs)


@router.post("/exceptions/{pk}/assign", response=ScreeningTaskOut)
def assign(request: HttpRequest, pk: int, body: AssignIn):  # type: ignore[no-untyped-def]
    item = record(request.user, ExceptionItem.objects, pk, "change")
    return actions.assign_exception(request.user, item, actions.target_node(body.to_code))


@router.get("/progress/{code}", response=ProgressOut)
def get_progress(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    """Figures of a node and of each child: pushed, visited, outcomes, overdue, median
    minutes to visit, today's increment and the stock under control."""
    require(
        request.user, "view", ScreeningTask, message=_("your role may not see screening progress")
    )
    node = division(request.user, code)
    own, children = progress.figures(request.user, node)
    return {
        "node": own.as_dict(),
        "children": [c.as_dict() for c in children],
        "checklists": progress.checklists(own),
    }


from fangkong.screening import api_places  # noqa: E402,F401  (registers its endpoints here)

# --- self-declarations held for review ----------------------------------------------------


class DeclarationReviewOut(Schema):
    id: int
    name: str
    id_masked: str
    phone_masked: str
    origin: str
    arrival_date: str
    node_code: str = Field(..., alias="node.code")
    status: str
    created_at: dt.datetime

    @staticmethod
    def resolve_id_masked(obj: DeclarationReview) -> str:
        return obj.person.id_masked or ""


class ScreeningReviewIn(Schema):
    accept: bool


@lists.paged(router, "/declarations", DeclarationReviewOut)
def list_declarations(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Public self-declarations about registered persons, waiting for review; paged
    (`page`, `page_size`) with `count`."""
    qs = pending_declarations(request.user)
    return audit_api_page(request, "screening.declarationreview", {"list": "pending"}, qs)


@router.post("/declarations/{pk}/review", response=DeclarationReviewOut)
def review_declaration(request: HttpRequest, pk: int, body: ScreeningReviewIn):  # type: ignore[no-untyped-def]
    """Accept (the declaration then takes the pipeline's road) or reject it."""
    review = record(request.user, DeclarationReview.objects, pk, "review")
    actions.review_declaration(request.user, review, body.accept)
    review.refresh_from_db()
    return review
