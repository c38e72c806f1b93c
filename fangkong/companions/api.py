"""The companions API under /api/v1/companions/: runs, their cases and ranked candidates."""

import datetime as dt

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from fangkong.companions import actions
from fangkong.companions.models import CandidateExposure, CompanionRun
from fangkong.core import listing as lists
from fangkong.core.access import division, record, require

router = Router(tags=["companions"])


class CompanionCaseOut(Schema):
    ref: int
    person_id: int | None
    window_from: dt.datetime | None
    window_to: dt.datetime | None
    companions: int
    note: str


class RunOut(Schema):
    id: int
    dataset: str
    engine: str
    node_code: str = Field(..., alias="node.code")
    status: str = Field(..., alias="job.status")
    percent: int | None = Field(..., alias="job.percent")
    message: str = Field(..., alias="job.message")
    theta_seconds: int
    bucket_seconds: int
    created_at: dt.datetime
    cases: list[CompanionCaseOut]
    report: dict


class RunIn(Schema):
    dataset: str
    engine: str = "duckdb"
    cases: list[int]
    node_code: str = ""


class CandidateOut(Schema):
    id: int
    case_ref: int = Field(..., alias="case.ref")
    ref: int
    person_id: int | None
    person_name: str
    rank: int
    overlap_seconds: int
    cell_seconds: int
    venue_seconds: int
    exposure: int
    shared_stays: int
    first_at: dt.datetime
    last_at: dt.datetime
    decision: str
    decision_note: str

    @staticmethod
    def resolve_person_name(obj: CandidateExposure) -> str:
        return obj.person.name if obj.person else ""


class CandidatePage(Schema):
    items: list[CandidateOut]
    next_after: int | None
    has_more: bool


class CandidateParams(Schema):
    case: int | None = None
    decision: str = ""
    after: int | None = None
    size: int = settings.PAGE_SIZE


class CompanionDecisionIn(Schema):
    decision: str
    note: str = ""


def _run(request: HttpRequest, pk: int) -> CompanionRun:
    return record(request.user, CompanionRun.objects.select_related("job", "node"), pk)


@router.get("/datasets", response=list[str])
def list_datasets(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Data sets under the companions data root (for those who may start runs)."""
    require(
        request.user,
        "add",
        "companions.companionrun",
        message=_("You may not run companion detection."),
    )
    return actions.datasets()


@lists.paged(router, "/runs", RunOut)
def list_runs(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Runs of the caller's subtree, newest first, paged (`page`, `page_size`) with `count`."""
    qs = CompanionRun.objects.restrict(request.user, "view").select_related("job", "node")
    return qs.prefetch_related("cases")


@router.post("/runs", response={201: RunOut})
def create_run(request: HttpRequest, body: RunIn):  # type: ignore[no-untyped-def]
    """Start detection for the cases (ids of the data set); the job runs in the background."""
    node = None
    if body.node_code:
        node = division(request.user, body.node_code)
    run = actions.start_run(
        request.user, node, body.dataset, body.engine, list(dict.fromkeys(body.cases))
    )
    return Status(201, _run(request, run.pk))


@router.get("/runs/{pk}", response=RunOut)
def get_run(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return _run(request, pk)


@router.get("/runs/{pk}/candidates", response=CandidatePage)
def list_candidates(request: HttpRequest, pk: int, params: Query[CandidateParams]):  # type: ignore[no-untyped-def]
    """Candidates of a run by case and rank; page with `after` (the last id seen)."""
    run = _run(request, pk)
    qs = CandidateExposure.objects.restrict(request.user, "view").filter(run=run)
    if params.case is not None:
        qs = qs.filter(case__ref=params.case)
    if params.decision:
        qs = qs.filter(decision=params.decision)
    size = max(1, min(params.size, 500))
    if params.after:
        qs = qs.filter(pk__gt=params.after)
    items = list(qs.select_related("case", "person").order_by("pk")[: size + 1])
    more = len(items) > size
    items = items[:size]
    return {"items": items, "next_after": items[-1].pk if more else None, "has_more": more}


@router.post("/candidates/{pk}/decision", response=CandidateOut)
def decide(request: HttpRequest, pk: int, body: CompanionDecisionIn):  # type: ignore[no-untyped-def]
    """Confirm or dismiss a candidate exposure; confirming hands it to contact tracing."""
    qs = CandidateExposure.objects.restrict(request.user, "view").select_related("case", "person")
    candidate = get_object_or_404(qs, pk=pk)
    actions.decide(request.user, candidate, body.decision, body.note)
    return qs.get(pk=pk)
