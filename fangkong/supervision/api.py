"""Supervision API: plans and teams, inspections and their recording, findings and
photos, rectification, commendations, accountability cases, cadre records, figures.
A record outside the caller's area (or hidden from it) is a 404."""

from typing import Any

from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from fangkong.core import listing as lists
from fangkong.core.access import record, require
from fangkong.geo.models import Division
from fangkong.supervision import actions, metrics
from fangkong.supervision import record as cadres
from fangkong.supervision import schemas as s
from fangkong.supervision.models import (
    AccountabilityCase,
    AccountabilityDecision,
    Checklist,
    Commendation,
    EvidencePhoto,
    Finding,
    Inspection,
    InspectionPlan,
    Rectification,
)

router = Router(tags=["supervision"])
LIMIT = 200  # most rows of each part of a cadre's record in one answer (`page` for more)


def _ordered(qs: Any) -> Any:
    """A list's rows in a stable order for paging (`?page=N` with `count`)."""
    return qs if qs.ordered else qs.order_by("-pk")


class _Stated(lists.Mapped):
    """Rectification tasks with their derived state, set one page at a time."""

    def __getitem__(self, index: slice) -> list:
        return metrics.with_state(self.qs[index])


def _node(request: HttpRequest, code: str, field: str = "node_code") -> Division:
    node = Division.objects.filter(code=code).first()
    if node is None:
        raise HttpError(422, _("%(field)s: no such jurisdiction") % {"field": field})
    return node


def _user(pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    from fangkong.accounts.models import User

    u = User.objects.filter(pk=pk, is_active=True).select_related("node").first()
    if u is None:
        raise HttpError(422, _("%(field)s: no such account") % {"field": field})
    return u


def _member(request: HttpRequest, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    from fangkong.mobilisation.models import Member

    m = Member.objects.restrict(request.user).filter(pk=pk).first()
    if m is None:
        raise HttpError(422, _("%(field)s: no such member in your area") % {"field": field})
    return m


def _inspection(request: HttpRequest, pk: int) -> Inspection:
    return record(request.user, Inspection.objects.select_related("node", "team"), pk)


def _finding(request: HttpRequest, pk: int) -> Finding:
    return record(request.user, Finding.objects.select_related("inspection__team"), pk)


def _task(request: HttpRequest, pk: int) -> Rectification:
    return record(
        request.user,
        Rectification.objects.select_related("owner_node", "finding__inspection__team"),
        pk,
    )


# ------------------------------------------------------------------ configuration


@router.get("/checklists", response=list[s.SupervisionChecklistOut])
def checklists(request: HttpRequest) -> Any:
    require(request.user, "view", Checklist)
    return list(Checklist.objects.all())


@router.put("/checklists/{topic}", response=s.SupervisionChecklistOut)
def save_checklist(request: HttpRequest, topic: s.TopicName, body: s.SupervisionChecklistIn) -> Any:
    return actions.save_checklist(request.user, topic, body.items, body.active)


@router.get("/decisions", response=list[s.SupervisionDecisionOut])
def decisions(request: HttpRequest) -> Any:
    require(request.user, "view", AccountabilityDecision)
    return list(AccountabilityDecision.objects.all())


# ------------------------------------------------------------------ plans and teams


@lists.paged(router, "/plans", s.PlanOut)
def plans(request: HttpRequest) -> Any:
    """Plans in the caller's area; paged (`page`) with `count` (were the first 200)."""
    qs = InspectionPlan.objects.restrict(request.user).select_related("node")
    return _ordered(qs.prefetch_related("teams__members"))


@router.post("/plans", response={201: s.PlanOut})
def create_plan(request: HttpRequest, body: s.SupervisionPlanIn) -> Any:
    node = _node(request, body.node_code)
    plan = actions.create_plan(request.user, node, **body.dict(exclude={"node_code"}))
    return Status(201, plan)


@router.get("/plans/{pk}", response=s.PlanOut)
def plan(request: HttpRequest, pk: int) -> Any:
    return record(request.user, InspectionPlan.objects, pk)


@router.post("/plans/{pk}/teams", response={201: s.TeamOut})
def add_team(request: HttpRequest, pk: int, body: s.SupervisionTeamIn) -> Any:
    p = record(request.user, InspectionPlan.objects, pk)
    members = [_user(m, "member_ids") for m in body.member_ids]
    team = actions.add_team(
        request.user, p, name=body.name, leader=_user(body.leader_id, "leader_id"), members=members
    )
    return Status(201, team)


# ------------------------------------------------------------------ inspections


class InspectionFilter(Schema):
    kind: str = ""
    status: str = ""


@lists.paged(router, "/inspections", s.InspectionOut)
def inspections(request: HttpRequest, f: Query[InspectionFilter]) -> Any:
    qs = Inspection.objects.restrict(request.user).select_related("node")
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    return _ordered(qs)


@router.post("/inspections", response={201: s.InspectionOut})
def schedule(request: HttpRequest, body: s.InspectionIn) -> Any:
    from fangkong.supervision.models import InspectionTeam

    team = InspectionTeam.objects.restrict(request.user).filter(pk=body.team_id).first()
    if team is None:
        raise HttpError(422, _("team_id: no such team in your area"))
    insp = actions.schedule_inspection(
        request.user,
        team,
        _node(request, body.node_code),
        kind=body.kind,
        planned_on=body.planned_on,
        topics=list(body.topics),
        subject=_member(request, body.subject_id, "subject_id"),
    )
    return Status(201, insp)


@router.get("/inspections/{pk}", response=s.InspectionDetail)
def inspection(request: HttpRequest, pk: int) -> Any:
    return _inspection(request, pk)


@router.put("/inspections/{pk}/results", response=list[s.ResultOut])
def save_results(request: HttpRequest, pk: int, body: s.ResultsIn) -> Any:
    insp = _inspection(request, pk)
    actions.record_results(
        request.user, insp, [(r.topic, r.item_no, r.outcome, r.note) for r in body.results]
    )
    return list(insp.results.all())


@router.post("/inspections/{pk}/findings", response={201: s.FindingOut})
def add_finding(request: HttpRequest, pk: int, body: s.FindingIn) -> Any:
    insp = _inspection(request, pk)
    f = actions.add_finding(
        request.user,
        insp,
        description=body.description,
        topic=body.topic,
        severity=body.severity,
        cadre=_member(request, body.cadre_id, "cadre_id"),
    )
    return Status(201, f)


@router.post("/inspections/{pk}/record", response=s.InspectionOut)
def record_inspection(request: HttpRequest, pk: int, body: s.RecordIn) -> Any:
    return actions.record_inspection(request.user, _inspection(request, pk), body.summary)


@router.post("/findings/{pk}/photos", response={201: s.SupervisionPhotoOut})
def add_photo(request: HttpRequest, pk: int, photo: File[UploadedFile]) -> Any:
    return Status(201, actions.add_photo(request.user, _finding(request, pk), photo))


@router.get("/photos/{pk}")
def photo(request: HttpRequest, pk: int) -> FileResponse:
    p = record(request.user, EvidencePhoto.objects, pk)
    return FileResponse(p.image.open("rb"), content_type="image/jpeg")


# ------------------------------------------------------------------ rectification


class TaskFilter(Schema):
    state: str = ""  # open, replied, verified, closed, overdue, escalated


@lists.paged(router, "/rectifications", s.RectificationOut)
def rectifications(request: HttpRequest, f: Query[TaskFilter]) -> Any:
    if f.state == "escalated":
        qs = metrics.escalated(request.user)
    else:
        qs = Rectification.objects.restrict(request.user)
        if f.state == "overdue":
            from fangkong.core import clock

            qs = qs.overdue(clock.today(), actions.rules_on().escalation_grace_days)
        elif f.state:
            qs = qs.filter(status=f.state)
    return _Stated(_ordered(qs.select_related("owner_node")), lambda task: task)


@router.post("/findings/{pk}/rectifications", response={201: s.RectificationOut})
def assign(request: HttpRequest, pk: int, body: s.RectificationIn) -> Any:
    task = actions.assign_rectification(
        request.user,
        _finding(request, pk),
        owner_node=_node(request, body.owner_node_code, "owner_node_code"),
        owner_user=_user(body.owner_user_id, "owner_user_id"),
        requirement=body.requirement,
        deadline=body.deadline,
    )
    return Status(201, metrics.with_state([task])[0])


@router.get("/rectifications/{pk}", response=s.RectificationOut)
def rectification(request: HttpRequest, pk: int) -> Any:
    return metrics.with_state([_task(request, pk)])[0]


@router.post("/rectifications/{pk}/reply", response=s.RectificationOut)
def reply(request: HttpRequest, pk: int, body: s.ReplyIn) -> Any:
    task = actions.reply_rectification(request.user, _task(request, pk), body.reply)
    return metrics.with_state([task])[0]


@router.post("/rectifications/{pk}/verify", response=s.RectificationOut)
def verify(request: HttpRequest, pk: int, body: s.SupervisionVerifyIn) -> Any:
    task = actions.verify_rectification(
        request.user, _task(request, pk), accepted=body.accepted, note=body.note
    )
    return metrics.with_state([task])[0]


@router.post("/rectifications/{pk}/close", response=s.RectificationOut)
def close(request: HttpRequest, pk: int) -> Any:
    task = actions.close_rectification(request.user, _task(request, pk))
    return metrics.with_state([task])[0]


# ------------------------------------------------------------------ cadre records


@lists.paged(router, "/commendations", s.CommendationOut)
def commendations(request: HttpRequest) -> Any:
    qs = Commendation.objects.restrict(request.user).select_related("member", "organisation")
    return _ordered(qs)


@router.post("/commendations", response={201: s.CommendationOut})
def commend(request: HttpRequest, body: s.CommendationIn) -> Any:
    org = None
    if body.organisation_id is not None:
        from fangkong.mobilisation.models import PartyOrganisation

        org = (
            PartyOrganisation.objects.restrict(request.user).filter(pk=body.organisation_id).first()
        )
        if org is None:
            raise HttpError(422, _("organisation_id: no such organisation in your area"))
    c = actions.commend(
        request.user,
        member=_member(request, body.member_id, "member_id"),
        organisation=org,
        title=body.title,
        reason=body.reason,
        decided_by=body.decided_by,
        decided_on=body.decided_on,
    )
    return Status(201, c)


@lists.paged(router, "/cases", s.SupervisionCaseOut)
def cases(request: HttpRequest) -> Any:
    require(request.user, "view", AccountabilityCase)
    qs = AccountabilityCase.objects.restrict(request.user).select_related("member", "decision")
    return _ordered(qs)


@router.post("/cases", response={201: s.SupervisionCaseOut})
def open_case(request: HttpRequest, body: s.CaseIn) -> Any:
    require(request.user, "add", AccountabilityCase)
    finding = None
    if body.finding_id is not None:
        finding = Finding.objects.restrict(request.user).filter(pk=body.finding_id).first()
        if finding is None:
            raise HttpError(422, _("finding_id: no such finding in your area"))
    decision = AccountabilityDecision.objects.filter(code=body.decision).first()
    case = actions.open_case(
        request.user,
        finding=finding,
        member=_member(request, body.member_id, "member_id"),
        decision=decision,
        decided_by=body.decided_by,
        decided_on=body.decided_on,
        summary=body.summary,
    )
    return Status(201, case)


@router.get("/cadres/{pk}/record", response=s.CadreRecordOut)
def cadre_record(request: HttpRequest, pk: int, page: int = 1, page_size: int = LIMIT) -> Any:
    """A cadre's record: page `page` of each part (`page_size` rows, newest first) and
    `counts`, every part's total (were the first 200 of each with no total); a client
    asks for the next page until it holds every part's count."""
    m = cadres.cadre_for(request.user, pk)
    r = cadres.build(request.user, m)
    size = min(max(page_size, 1), LIMIT)
    start = (max(page, 1) - 1) * size
    got = {
        name: list(qs[start : start + size])
        for name in cadres.PREFIXES
        if (qs := getattr(r, name)) is not None
    }
    return {
        "member_id": m.pk,
        "name": m.name,
        "cadre_rank": m.cadre_rank,
        "counts": {
            name: qs.count() for name in cadres.PREFIXES if (qs := getattr(r, name)) is not None
        },
        "shifts": [
            {
                "post": a.shift.post.name,
                "node_code": a.shift.post.node.code,
                "starts_at": a.starts_at,
                "ends_at": a.ends_at,
            }
            for a in got["shifts"]
        ],
        "rectifications": metrics.with_state(got["rectifications"]),
        "inspections_led": got["inspections_led"],
        "inspections_as_subject": got["inspections_as_subject"],
        "commendations": got["commendations"],
        "accountability": got.get("accountability"),
    }


@router.get("/figures", response=list[s.FigureRow])
def figures(request: HttpRequest, node: str = "") -> Any:
    require(request.user, "view", Inspection)
    user: Any = request.user
    target = user.node if not node else _node(request, node, "node")
    if target is None or not Division.objects.restrict(user).filter(pk=target.pk).exists():
        raise HttpError(404, _("Not found"))
    return metrics.per_level(user, target)
