"""The command API under /api/v1/command/: the same actions and reads as the pages.

Every object is fetched through `.restrict(user, action)`; outside the caller's area it
is a 404, like one that does not exist."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from fangkong.command import actions, metrics
from fangkong.command.models import (
    Decision,
    Directive,
    DirectiveReceipt,
    Indicator,
    MeasureList,
    Meeting,
    ReportTemplate,
    ResponseLevel,
    Submission,
    Target,
    TaskForce,
)
from fangkong.command.schemas import (
    CloseIn,
    CommandChecklistIn,
    CommandChecklistOut,
    CommandDecisionIn,
    CommandDecisionOut,
    CommandLevelOut,
    CommandSweepOut,
    DirectiveCoverageOut,
    DirectiveIn,
    DirectiveOut,
    FeedbackIn,
    LevelIn,
    MarkIn,
    MeetingIn,
    MeetingOut,
    RatesOut,
    ReceiptOut,
    SubmissionIn,
    SubmissionOut,
    TargetIn,
    TargetOut,
    TaskForceIn,
    TaskForceOut,
    TemplateIn,
    TemplateOut,
    ValueIn,
    ValueOut,
)
from fangkong.core import listing as lists
from fangkong.core.access import division, record, require
from fangkong.core.querysets import is_system

router = Router(tags=["command"])


def _placed(request: HttpRequest, model: Any, related: str) -> Any:
    """A list of the caller's area with each record's node and its `related` rows."""
    return (
        model.objects.restrict(request.user)
        .select_related("node")
        .prefetch_related(related)
        .order_by("pk")
    )


def _user(request: HttpRequest, pk: int) -> Any:
    from fangkong.accounts.models import User

    return get_object_or_404(User.objects.filter(node__path__startswith=_own_path(request)), pk=pk)


def _own_path(request: HttpRequest) -> str:
    user: Any = request.user
    if is_system(user):
        return ""
    return user.node.path if user.node_id else "\x00"


# ---------------------------------------------------------------- response level, targets


@router.get("/response-levels", response=list[CommandLevelOut])
def list_levels(request: HttpRequest):  # type: ignore[no-untyped-def]
    require(request.user, "view", "command.responselevel")
    return list(ResponseLevel.objects.all())


@router.post("/response-levels", response={201: CommandLevelOut})
def set_level(request: HttpRequest, body: LevelIn):  # type: ignore[no-untyped-def]
    return Status(
        201, actions.set_response_level(request.user, body.effective_from, body.grade, body.note)
    )


@lists.paged(router, "/targets", TargetOut)
def list_targets(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Targets of the caller's area, paged (`page`, `page_size`) with `count`."""
    return _placed(request, Target, "indicators")


@router.post("/targets", response={201: TargetOut})
def create_target(request: HttpRequest, body: TargetIn):  # type: ignore[no-untyped-def]
    target = actions.create_target(
        request.user,
        division(request.user, body.node_code),
        body.name,
        request.user,
        [i.dict() for i in body.indicators],
        body.description,
    )
    return Status(201, target)


@router.post("/indicators/{pk}/values", response={201: ValueOut})
def record_value(request: HttpRequest, pk: int, body: ValueIn):  # type: ignore[no-untyped-def]
    indicator = record(request.user, Indicator.objects.select_related("target__node"), pk)
    return Status(201, actions.record_indicator(request.user, indicator, body.day, body.value))


@router.get("/checklists", response=list[CommandChecklistOut])
def list_checklists(request: HttpRequest):  # type: ignore[no-untyped-def]
    require(request.user, "view", "command.measurelist")
    return list(MeasureList.objects.filter(active=True))


@router.post("/checklists", response={201: CommandChecklistOut})
def create_checklist(request: HttpRequest, body: CommandChecklistIn):  # type: ignore[no-untyped-def]
    return Status(201, actions.create_measure_list(request.user, body.name, body.level, body.items))


@router.post("/checklists/{pk}/marks")
def mark(request: HttpRequest, pk: int, body: MarkIn):  # type: ignore[no-untyped-def]
    require(request.user, "view", "command.measurelist")
    checklist = get_object_or_404(MeasureList, pk=pk)
    s = actions.mark_measure(
        request.user,
        checklist,
        division(request.user, body.node_code),
        body.item,
        body.done,
        body.note,
    )
    return {"item": s.item, "done": s.done}


@lists.paged(router, "/task-forces", TaskForceOut)
def list_task_forces(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Task forces, paged (`page`, `page_size`) with `count`."""
    return _placed(request, TaskForce, "members")


@router.post("/task-forces", response={201: TaskForceOut})
def create_task_force(request: HttpRequest, body: TaskForceIn):  # type: ignore[no-untyped-def]
    tf = actions.create_task_force(
        request.user,
        division(request.user, body.node_code),
        body.name,
        _user(request, body.leader_id),
        [_user(request, m) for m in body.member_ids],
        body.responsibilities,
    )
    return Status(201, tf)


# ---------------------------------------------------------------- directives


def _directive(request: HttpRequest, pk: int, action: str = "view") -> Directive:
    return record(request.user, Directive.objects.select_related("node"), pk, action)


@lists.paged(router, "/directives", DirectiveOut)
def list_directives(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Directives issued in the caller's area or addressed to it, newest first, paged
    (`page`, `page_size`) with `count`."""
    return Directive.objects.restrict(request.user).select_related("node")


@router.post("/directives", response={201: DirectiveOut})
def issue(request: HttpRequest, body: DirectiveIn):  # type: ignore[no-untyped-def]
    """Issue to every node of `levels` in the issuer's subtree and/or the `node_codes`;
    one of them is required."""
    d = actions.issue_directive(
        request.user,
        division(request.user, body.node_code),
        owner=request.user,
        **body.dict(exclude={"node_code"}),
    )
    return Status(201, d)


@router.get("/directives/{pk}", response=DirectiveOut)
def get_directive(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    d = _directive(request, pk)
    actions.mark_received(request.user, d.receipts.all())
    return d


@router.get("/directives/{pk}/coverage", response=DirectiveCoverageOut)
def coverage(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    cov = metrics.directive_coverage(request.user, _directive(request, pk))
    return {
        "total": cov["total"].as_dict(),
        "by_level": {k: v.as_dict() for k, v in cov["by_level"].items()},
        "by_node": [
            {"node_code": n.code, "node_name": n.name, **c.as_dict()} for n, c in cov["by_node"]
        ],
    }


@lists.paged(router, "/directives/{pk}/laggards", ReceiptOut)
def directive_laggards(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return metrics.laggards(request.user, _directive(request, pk))


def _receipt(request: HttpRequest, pk: int, action: str = "view") -> DirectiveReceipt:
    return record(
        request.user, DirectiveReceipt.objects.select_related("node", "directive"), pk, action
    )


@lists.paged(router, "/receipts", ReceiptOut)
def inbox(request: HttpRequest, escalated: bool = False):  # type: ignore[no-untyped-def]
    """Receipts of the caller's own organisation (or, with `escalated`, those escalated to it)."""
    user: Any = request.user
    qs = DirectiveReceipt.objects.restrict(user).select_related("node", "escalated_to")
    qs = qs.filter(escalated_to=user.node) if escalated else qs.filter(node=user.node)
    return qs.order_by("-directive__issued_at", "-pk")


@router.post("/receipts/{pk}/acknowledge", response=ReceiptOut)
def ack(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return actions.acknowledge(request.user, _receipt(request, pk, "change"))


@router.post("/receipts/{pk}/report", response=ReceiptOut)
def report(request: HttpRequest, pk: int, body: FeedbackIn):  # type: ignore[no-untyped-def]
    return actions.report_back(request.user, _receipt(request, pk, "change"), body.feedback)


@router.post("/sweeps/escalate", response=CommandSweepOut)
def sweep(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Escalate every overdue receipt to the level above (headquarters only)."""
    require(request.user, "change", "command.directive")
    return {"escalated": actions.escalate_overdue()}


# ---------------------------------------------------------------- meetings


def _meeting(request: HttpRequest, pk: int, action: str = "view") -> Meeting:
    return record(request.user, Meeting.objects.select_related("node"), pk, action)


@lists.paged(router, "/meetings", MeetingOut)
def list_meetings(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Meetings, newest first, paged (`page`, `page_size`) with `count`; each with its
    decisions and those carried over, read in one query each for the page."""
    return (
        Meeting.objects.restrict(request.user)
        .select_related("node")
        .prefetch_related("decisions", "carried")
    )


@router.post("/meetings", response={201: MeetingOut})
def open_meeting(request: HttpRequest, body: MeetingIn):  # type: ignore[no-untyped-def]
    return Status(
        201,
        actions.open_meeting(
            request.user, division(request.user, body.node_code), body.day, body.title
        ),
    )


@router.get("/meetings/{pk}", response=MeetingOut)
def get_meeting(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return _meeting(request, pk)


@router.post("/meetings/{pk}/decisions", response={201: CommandDecisionOut})
def decide(request: HttpRequest, pk: int, body: CommandDecisionIn):  # type: ignore[no-untyped-def]
    meeting = _meeting(request, pk, "view")
    return Status(
        201,
        actions.record_decision(
            request.user, meeting, body.text, _user(request, body.owner_id), body.deadline
        ),
    )


@router.post("/decisions/{pk}/close", response=CommandDecisionOut)
def close(request: HttpRequest, pk: int, body: CloseIn):  # type: ignore[no-untyped-def]
    d = record(request.user, Decision.objects.select_related("meeting__node"), pk, "change")
    return actions.close_decision(request.user, d, body.outcome)


# ---------------------------------------------------------------- reports upward


def _template(request: HttpRequest, pk: int) -> ReportTemplate:
    require(request.user, "view", "command.reporttemplate")
    return record(request.user, ReportTemplate.objects.select_related("node"), pk)


@router.get("/report-templates", response=list[TemplateOut])
def list_templates(request: HttpRequest):  # type: ignore[no-untyped-def]
    require(request.user, "view", "command.reporttemplate")
    return list(ReportTemplate.objects.restrict(request.user).select_related("node"))


@router.post("/report-templates", response={201: TemplateOut})
def create_template(request: HttpRequest, body: TemplateIn):  # type: ignore[no-untyped-def]
    node = division(request.user, body.node_code)
    t = actions.create_report_template(request.user, node, **body.dict(exclude={"node_code"}))
    return Status(201, t)


@router.post("/report-templates/{pk}/submissions", response={201: SubmissionOut})
def submit(request: HttpRequest, pk: int, body: SubmissionIn):  # type: ignore[no-untyped-def]
    sub = actions.submit_report(
        request.user,
        _template(request, pk),
        division(request.user, body.node_code),
        body.period,
        body.data,
    )
    return Status(201, sub)


@lists.paged(router, "/report-templates/{pk}/submissions", SubmissionOut)
def list_submissions(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    """Submissions of a report, paged (`page`, `page_size`) with `count`."""
    t = _template(request, pk)
    return Submission.objects.restrict(request.user).filter(template=t).select_related("node")


@router.get("/report-templates/{pk}/rates", response=RatesOut)
def rates(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    """DHIS2 reporting rates: expected, actual, on time; per branch and per node."""
    r = metrics.reporting_rates(request.user, _template(request, pk))
    return {
        "periods": r["periods"],
        "total": r["total"].as_dict(),
        "by_branch": [
            {"node_code": n.code, "node_name": n.name, **x.as_dict()} for n, x in r["by_branch"]
        ],
        "by_node": [
            {"node_code": n.code, "node_name": n.name, **x.as_dict()} for n, x in r["by_node"]
        ],
    }
