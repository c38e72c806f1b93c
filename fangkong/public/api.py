"""The public-side API under /api/v1/public/: staff endpoints (bearer token, scoped by
`.restrict`, 404 outside the caller's area) and open endpoints for residents under
/open/ (no token, rate limited, reading only the published copies)."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from fangkong.core import listing as lists
from fangkong.core import otp_codes, ratelimit
from fangkong.core.access import division, record, require
from fangkong.geo.models import Division
from fangkong.public import actions, returns
from fangkong.public import schemas as s
from fangkong.public.models import (
    Article,
    Bulletin,
    Gathering,
    PublishedBulletin,
    Question,
    Rumour,
    SchoolPlan,
    WorkApplication,
)

router = Router(tags=["public"])


@lists.paged(router, "/bulletins", s.BulletinOut)
def list_bulletins(request: HttpRequest) -> Any:
    """Bulletins of the caller's area, newest first, paged (`page`) with `count`."""
    require(request.user, "view", "public.bulletin")
    return Bulletin.objects.restrict(request.user).select_related("node")


@router.post("/bulletins", response={201: s.BulletinOut})
def draft_bulletin(request: HttpRequest, body: s.DraftIn) -> Any:
    node = division(request.user, body.node_code)
    figures = [f.dict() for f in body.figures] if body.figures is not None else None
    if figures:
        names = dict(
            Division.objects.filter(code__in=[f["code"] for f in figures]).values_list(
                "code", "name"
            )
        )
        for f in figures:
            f["name"] = f["name"] or names.get(f["code"], f["code"])
    b = actions.draft_bulletin(request.user, node, body.day, figures, body.text, body.title)
    return Status(201, b)


def _own_bulletin(request: HttpRequest, pk: int) -> Bulletin:
    return record(request.user, Bulletin.objects.select_related("node"), pk)


@router.get("/bulletins/{pk}", response=s.BulletinOut)
def get_bulletin(request: HttpRequest, pk: int) -> Any:
    return _own_bulletin(request, pk)


@router.put("/bulletins/{pk}", response=s.BulletinOut)
def edit_bulletin(request: HttpRequest, pk: int, body: s.EditIn) -> Any:
    b = _own_bulletin(request, pk)
    return actions.edit_bulletin(request.user, b, body.title, body.text)


@router.post("/bulletins/{pk}/publish", response=s.BulletinOut)
def publish_bulletin(request: HttpRequest, pk: int) -> Any:
    b = _own_bulletin(request, pk)
    actions.publish_bulletin(request.user, b)
    return b


@lists.paged(router, "/articles", s.ArticleOut)
def list_articles(request: HttpRequest) -> Any:
    """Articles, newest first, paged (`page`) with `count`."""
    require(request.user, "view", "public.article")
    return Article.objects.restrict(request.user)


@router.post("/articles", response={201: s.ArticleOut})
def write_article(request: HttpRequest, body: s.ArticleIn, node_code: str) -> Any:
    node = division(request.user, node_code)
    return Status(201, actions.write_article(request.user, node, body.title, body.body))


@lists.paged(router, "/rumours", s.RumourOut)
def list_rumours(request: HttpRequest) -> Any:
    """Rumours, newest first, paged (`page`) with `count`."""
    require(request.user, "view", "public.rumour")
    return Rumour.objects.restrict(request.user)


@router.post("/rumours", response={201: s.RumourOut})
def report_rumour(request: HttpRequest, body: s.RumourIn, node_code: str) -> Any:
    node = division(request.user, node_code)
    return Status(201, actions.report_rumour(request.user, node, body.text, body.where_seen))


@router.post("/rumours/{pk}/clarify", response=s.RumourOut)
def clarify_rumour(request: HttpRequest, pk: int, body: s.ClarifyIn) -> Any:
    r = record(request.user, Rumour.objects, pk)
    return actions.clarify_rumour(request.user, r, body.clarification, body.sources, body.dismiss)


@lists.paged(router, "/questions", s.QuestionOut)
def list_questions(request: HttpRequest, open_only: bool = True, department: str = "") -> Any:
    require(request.user, "view", "public.question")
    qs = Question.objects.restrict(request.user).select_related("node", "escalated_to")
    if department:
        qs = qs.filter(department=department)
    if open_only:
        qs = qs.open()
    return qs


@router.get("/questions/{pk}", response=s.QuestionOut)
def get_question(request: HttpRequest, pk: int) -> Any:
    return record(request.user, Question.objects.select_related("node", "escalated_to"), pk)


@router.post("/questions/{pk}/answer", response=s.QuestionOut)
def answer_question(request: HttpRequest, pk: int, body: s.PublicAnswerIn) -> Any:
    q = record(request.user, Question.objects.select_related("node", "escalated_to"), pk)
    return actions.answer_question(request.user, q, body.answer, body.publish)


@router.post("/sweeps/escalate", response=s.CountOut)
def escalate(request: HttpRequest) -> Any:
    require(request.user, "escalate", "public.question")
    return {"count": actions.escalate_overdue()}


def _application(a: WorkApplication) -> dict:
    employees = list(a.employees.all())
    return {
        "id": a.pk,
        "company": a.company,
        "node_code": a.node.code,
        "status": a.status,
        "resume_date": a.resume_date,
        "essential": a.essential,
        "approval_level": a.approval_level,
        "inspection_required": a.inspection_required,
        "employees": len(employees),
        "declared": sum(1 for e in employees if e.declared_at),
        "batch": a.batch.number if a.batch else None,
    }


def _own_application(request: HttpRequest, pk: int) -> WorkApplication:
    return record(request.user, WorkApplication.objects.select_related("node", "batch"), pk)


@lists.paged(router, "/applications", s.ApplicationOut)
def list_applications(request: HttpRequest, queue: bool = False) -> Any:
    require(request.user, "view", "public.workapplication")
    qs = WorkApplication.objects.restrict(request.user).select_related("node", "batch")
    qs = qs.queue() if queue else qs
    return lists.Mapped(
        qs.prefetch_related("employees").order_by("-created_at", "-pk"), _application
    )


@router.post("/applications", response={201: s.ApplicationOut})
def apply(request: HttpRequest, body: s.PublicApplicationIn) -> Any:
    node = division(request.user, body.node_code)
    data = body.dict(exclude={"node_code"})
    return Status(201, _application(returns.apply_to_resume(request.user, node, **data)))


@router.get("/applications/{pk}", response=s.ApplicationOut)
def get_application(request: HttpRequest, pk: int) -> Any:
    return _application(_own_application(request, pk))


@router.get("/applications/{pk}/employees", response=list[s.EmployeeOut])
def application_employees(request: HttpRequest, pk: int) -> Any:
    app = _own_application(request, pk)
    return [
        {
            "id": e.pk,
            "name": e.name,
            "phone_masked": e.phone_masked,
            "declared": bool(e.declared_at),
        }
        for e in app.employees.all()
    ]


@router.post("/applications/{pk}/submit", response=s.ApplicationOut)
def submit(request: HttpRequest, pk: int) -> Any:
    return _application(returns.submit_application(request.user, _own_application(request, pk)))


@router.post("/applications/{pk}/inspect", response=s.ApplicationOut)
def inspect(request: HttpRequest, pk: int, body: s.InspectIn) -> Any:
    app = _own_application(request, pk)
    return _application(returns.record_inspection(request.user, app, body.passed, body.note))


@router.post("/applications/{pk}/decide", response=s.ApplicationOut)
def decide(request: HttpRequest, pk: int, body: s.PublicDecideIn) -> Any:
    app = _own_application(request, pk)
    return _application(returns.decide_application(request.user, app, body.approve, body.note))


@router.post("/batches", response={201: s.PublicBatchOut})
def publish_batch(request: HttpRequest, body: s.PublicBatchIn) -> Any:
    batch = returns.publish_batch(request.user, division(request.user, body.node_code))
    companies = list(batch.applications.values_list("company", flat=True))
    return Status(201, {"id": batch.pk, "number": batch.number, "companies": companies})


@lists.paged(router, "/schools", s.SchoolOut)
def list_schools(request: HttpRequest) -> Any:
    """School return plans, paged (`page`) with `count`."""
    require(request.user, "view", "public.schoolplan")
    return SchoolPlan.objects.restrict(request.user)


@router.post("/schools", response={201: s.SchoolOut})
def file_school(request: HttpRequest, body: s.SchoolIn) -> Any:
    node = division(request.user, body.node_code)
    return Status(
        201, returns.file_school_plan(request.user, node, **body.dict(exclude={"node_code"}))
    )


@router.post("/schools/{pk}/decide", response=s.SchoolOut)
def decide_school(request: HttpRequest, pk: int, body: s.PublicDecideIn) -> Any:
    plan = record(request.user, SchoolPlan.objects, pk)
    return returns.decide_school_plan(request.user, plan, body.approve, body.note)


@lists.paged(router, "/gatherings", s.GatheringOut)
def list_gatherings(request: HttpRequest) -> Any:
    """Gatherings, by planned day, paged (`page`) with `count`."""
    require(request.user, "view", "public.gathering")
    return Gathering.objects.restrict(request.user).select_related("node")


@router.post("/gatherings", response={201: s.GatheringOut})
def record_gathering(request: HttpRequest, body: s.GatheringIn) -> Any:
    node = division(request.user, body.node_code)
    g = returns.report_gathering(request.user, node, **body.dict(exclude={"node_code"}))
    return Status(201, g)


def _own_gathering(request: HttpRequest, pk: int) -> Gathering:
    return record(request.user, Gathering.objects.select_related("node"), pk)


@router.post("/gatherings/{pk}/handle", response=s.GatheringOut)
def handle_gathering(request: HttpRequest, pk: int, body: s.HandleIn) -> Any:
    g = _own_gathering(request, pk)
    return returns.handle_gathering(request.user, g, body.handling)


@router.post("/gatherings/{pk}/follow-up", response=s.GatheringOut)
def follow_up(request: HttpRequest, pk: int, body: s.FollowIn) -> Any:
    g = _own_gathering(request, pk)
    return returns.follow_up_gathering(request.user, g, body.follow_up)


# Open endpoints for residents (no token) ---------------------------------------------


class _Limited(Exception):
    pass


def _limit(request: HttpRequest, scope: str) -> None:
    if not ratelimit.hit(request, scope, actions.rules_on().submissions_per_hour):
        raise _Limited


@router.get("/open/bulletin", auth=None, response={200: s.PublishedOut, 404: dict})
def open_bulletin(request: HttpRequest, node_code: str = "3306") -> Any:
    b = PublishedBulletin.objects.filter(node_code=node_code).first()
    if b is None:
        return Status(404, {"detail": _("no bulletin published yet")})
    return b


@lists.paged(router, "/open/bulletins", s.PublishedOut, auth=None)
def open_bulletins(request: HttpRequest, node_code: str = "3306") -> Any:
    """Published bulletins of an area, newest first, paged (`page`) with `count`."""
    return PublishedBulletin.objects.filter(node_code=node_code[:24])


@router.post("/open/codes", auth=None, response={202: dict, 429: dict})
def open_code(request: HttpRequest, body: s.CodeIn) -> Any:
    try:
        _limit(request, "code")
    except _Limited:
        return Status(429, {"detail": str(ratelimit.message())})
    otp_codes.send(body.phone)
    return Status(202, {"detail": _("A code was sent to your phone.")})


@router.post("/open/questions", auth=None, response={201: s.AskedOut, 404: dict, 429: dict})
def open_ask(request: HttpRequest, body: s.AskIn) -> Any:
    try:
        _limit(request, "ask")
    except _Limited:
        return Status(429, {"detail": str(ratelimit.message())})
    node = Division.objects.filter(code=body.node_code).first()
    if node is None:
        return Status(404, {"detail": _("unknown division")})
    q = actions.ask_question(node, body.department, body.text, body.phone, body.code)
    return Status(201, {"ticket": q.ticket, "due_at": q.due_at})


@lists.paged(router, "/open/answers", s.PublicAnswerOut, auth=None)
def open_answers(request: HttpRequest, q: str = "") -> Any:
    """Published answers holding `q`, paged (`page`) with `count`."""
    found = Question.objects.published_answers(q[:50]).select_related("node")
    return found
