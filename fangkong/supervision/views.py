"""Supervision pages: the overview with figures and escalations, plans and teams,
inspections recorded on a phone (checklist, findings, photos), rectification tasks.

Every read goes through `.restrict(user, action)`; a record outside the user's area —
or an unannounced inspection hidden from it — is a 404, like one that does not exist."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from fangkong.core import listing as lists
from fangkong.core import picking
from fangkong.core.access import invalid, record, require, shown_division
from fangkong.core.forms import create_page, flashed
from fangkong.core.querysets import allows, is_system
from fangkong.geo.models import Division
from fangkong.supervision import actions, metrics
from fangkong.supervision.forms import (
    ChecklistForm,
    FindingForm,
    InspectionForm,
    PhotoForm,
    PlanForm,
    RecordForm,
    RectificationForm,
    ReplyForm,
    TaskFilterForm,
    TeamForm,
)
from fangkong.supervision.models import (
    Checklist,
    EvidencePhoto,
    Finding,
    Inspection,
    InspectionPlan,
    InspectionTeam,
    Rectification,
)


def _errors(form: Any, exc: ValidationError) -> None:
    form.add_action_errors(exc)


def _node_by_code(form: Any, field: str) -> Division | None:
    node = Division.objects.filter(code=form.cleaned_data[field].strip()).first()
    if node is None:
        form.add_error(field, _("No such jurisdiction."))
    return node


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require(request.user, "view", Inspection)
    node = shown_division(user, request.GET.get("node", ""))
    escalated = lists.paginate(request, metrics.escalated(user).select_related("owner_node"))
    metrics.with_state(escalated.page.object_list)
    return render(
        request,
        "supervision/index.html",
        {
            "node": node,
            "rows": metrics.per_level(user, node),
            "escalated": escalated,
            "escalated_count": metrics.escalated_count(user),
            "can_plan": allows(user, InspectionPlan, "add"),
        },
    )


# ------------------------------------------------------------------ plans and teams


@login_required
def plans(request: HttpRequest) -> HttpResponse:
    user: Any = request.user

    def context() -> dict[str, Any]:
        listing = lists.paginate(
            request, InspectionPlan.objects.restrict(user).select_related("node")
        )
        return {
            "plans": listing,
            "listing": listing,
            "can_add": allows(user, InspectionPlan, "add") and user.node_id,
        }

    return create_page(
        request,
        InspectionPlan,
        PlanForm(request.POST or None),
        lambda d: actions.create_plan(user, user.node, **d),
        None,
        lambda plan: ("supervision:plan", plan.pk),
        "supervision/plans.html",
        context,
    )


def _team_accounts(user: Any) -> Any:
    from fangkong.accounts.models import User

    qs = User.objects.filter(is_active=True, role__in=actions.TEAM_ROLES)
    if not is_system(user):
        qs = qs.filter(node__path__startswith=user.node.path)
    return qs.order_by("username")


@login_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    p = record(user, InspectionPlan.objects.select_related("node"), pk)
    can_add = allows(user, InspectionTeam, "add")
    teams = InspectionTeam.objects.filter(plan=p)
    team_form = TeamForm(
        request.POST if "add_team" in request.POST else None, accounts=_team_accounts(user)
    )
    insp_form = InspectionForm(request.POST if "schedule" in request.POST else None, teams=teams)
    picking.set_user(insp_form, user)
    if request.method == "POST":
        require(request.user, "add", InspectionTeam)
        try:
            if "add_team" in request.POST and team_form.is_valid():
                actions.add_team(user, p, **team_form.cleaned_data)
                messages.success(request, _("Team added."))
                return redirect("supervision:plan", pk=p.pk)
            if "schedule" in request.POST and insp_form.is_valid():
                node = _node_by_code(insp_form, "node_code")
                data = {k: v for k, v in insp_form.cleaned_data.items() if k != "node_code"}
                subject = data.pop("subject")
                if node is not None:
                    insp = actions.schedule_inspection(
                        user, data.pop("team"), node, subject=subject, **data
                    )
                    return redirect("supervision:inspection", pk=insp.pk)
        except ValidationError as exc:
            _errors(insp_form if "schedule" in request.POST else team_form, exc)
    return render(
        request,
        "supervision/plan.html",
        {
            "plan": p,
            "teams": teams.select_related("leader").prefetch_related("members"),
            "inspections": Inspection.objects.restrict(user)
            .filter(team__plan=p)
            .select_related("node", "team"),
            "team_form": team_form,
            "insp_form": insp_form,
            "can_add": can_add,
        },
    )


# ------------------------------------------------------------------ inspections


@login_required
def inspections(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require(request.user, "view", Inspection)
    qs = Inspection.objects.restrict(user).select_related("node", "team")
    listing = lists.paginate(request, qs)
    return render(
        request, "supervision/inspections.html", {"inspections": listing, "listing": listing}
    )


def _inspection(request: HttpRequest, pk: int) -> Inspection:
    return record(request.user, Inspection.objects.select_related("node", "team", "leader"), pk)


def _save_results(request: HttpRequest, user: Any, insp: Inspection, shown: dict) -> Any:
    rows = []
    for topic, items in actions.checklist_items(insp):
        for i in range(len(items)):
            outcome = request.POST.get(f"o-{topic}-{i}", "")
            if outcome:
                note = request.POST.get(f"n-{topic}-{i}", "")[:300]
                rows.append((topic, i, outcome, note))
    actions.record_results(user, insp, rows)
    messages.success(request, _("Checklist saved."))
    return redirect("supervision:inspection", pk=insp.pk)


def _add_finding(request: HttpRequest, user: Any, insp: Inspection, shown: dict) -> Any:
    form = shown["finding_form"] = FindingForm(request.POST, request.FILES)
    if not form.is_valid():
        return None
    data = form.cleaned_data
    f = actions.add_finding(
        user, insp, description=data["description"], topic=data["topic"], severity=data["severity"]
    )
    if data.get("photo"):
        actions.add_photo(user, f, data["photo"])
    messages.success(request, _("Finding added."))
    return redirect("supervision:inspection", pk=insp.pk)


def _record(request: HttpRequest, user: Any, insp: Inspection, shown: dict) -> Any:
    form = RecordForm(request.POST)
    if not form.is_valid():
        return None
    actions.record_inspection(user, insp, form.cleaned_data["summary"])
    messages.success(request, pgettext("supervision", "Inspection recorded."))
    return redirect("supervision:inspection", pk=insp.pk)


# The forms of the inspection page, by the name of their submit button, in the order they
# are tried; a handler answers a redirect, or None to show the page (its form in `shown`).
INSPECTION_VERBS = (("results", _save_results), ("finding", _add_finding), ("record", _record))


@login_required
def inspection(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone page of one inspection: checklist answers, findings, photos, record."""
    user: Any = request.user
    insp = _inspection(request, pk)
    on_team = allows(user, Inspection, "change") and actions.on_team(user, insp)
    shown: dict[str, Any] = {"finding_form": FindingForm()}
    if request.method == "POST" and on_team:
        try:
            for verb, handle in INSPECTION_VERBS:
                if verb in request.POST and (answer := handle(request, user, insp, shown)):
                    return answer
        except ValidationError as exc:
            if "finding" in request.POST:
                _errors(shown["finding_form"], exc)
            else:
                messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    answers = {(r.topic, r.item_no): r for r in insp.results.all()}
    checklist = [
        (topic, [(i, text, answers.get((topic, i))) for i, text in enumerate(items)])
        for topic, items in actions.checklist_items(insp)
    ]
    findings = (
        Finding.objects.restrict(user)
        .filter(inspection=insp)
        .prefetch_related("photos", "rectifications__owner_node")
    )
    return render(
        request,
        "supervision/inspection.html",
        {
            "insp": insp,
            "checklist": checklist,
            "findings": findings,
            "on_team": on_team,
            "finding_form": shown["finding_form"],
            "record_form": RecordForm(),
            "rect_form": RectificationForm(),
            "photo_form": PhotoForm(),
        },
    )


def _finding(request: HttpRequest, pk: int) -> Finding:
    return record(request.user, Finding.objects.select_related("inspection__team"), pk)


@login_required
@require_POST
def add_photo(request: HttpRequest, pk: int) -> HttpResponse:
    f = _finding(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.add_photo(request.user, f, form.cleaned_data["photo"])
            messages.success(request, _("Photo added."))
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    else:
        messages.error(request, _("Choose a photo."))
    return redirect("supervision:inspection", pk=f.inspection_id)


@login_required
def photo(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence photo, only to those who may see its finding."""
    p = record(request.user, EvidencePhoto.objects, pk)
    response = FileResponse(p.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    f = _finding(request, pk)
    form = RectificationForm(request.POST)
    picking.set_user(form, request.user)
    if form.is_valid():
        node = Division.objects.filter(code=form.cleaned_data["owner_node_code"].strip()).first()
        try:
            if node is None:
                raise invalid("owner_node_code", _("No such jurisdiction."))
            actions.assign_rectification(
                request.user,
                f,
                owner_node=node,
                requirement=form.cleaned_data["requirement"],
                deadline=form.cleaned_data["deadline"],
            )
            messages.success(request, _("Rectification task assigned."))
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    else:
        messages.error(request, _("Fill in the owner and what must be rectified."))
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        for found in getattr(form.fields["owner_node_code"].widget, "choices", []):
            messages.info(request, found.path_label)  # the matches, for a phone without script
    return redirect("supervision:inspection", pk=f.inspection_id)


# ------------------------------------------------------------------ rectification


@login_required
def tasks(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require(request.user, "view", Rectification)
    form = TaskFilterForm(request.GET or None)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    if state == "escalated":
        qs = metrics.escalated(user)
    else:
        qs = Rectification.objects.restrict(user)
        if state == "overdue":
            from fangkong.core import clock

            qs = qs.overdue(clock.today(), actions.rules_on().escalation_grace_days)
        elif state:
            qs = qs.filter(status=state)
    listing = lists.paginate(request, qs.select_related("owner_node", "finding"))
    metrics.with_state(listing.page.object_list)
    return render(
        request,
        "supervision/tasks.html",
        {
            "tasks": listing,
            "listing": listing,
            "form": form,
            "escalated_count": metrics.escalated_count(user),
        },
    )


@login_required
def task(request: HttpRequest, pk: int) -> HttpResponse:
    from fangkong.supervision.forms import VerifyForm

    user: Any = request.user
    t = record(
        user,
        Rectification.objects.select_related(
            "owner_node", "owner_user", "finding__inspection__team", "finding__inspection__node"
        ),
        pk,
    )
    reply_form = ReplyForm(request.POST if "reply" in request.POST else None)
    verify_form = VerifyForm(request.POST if "verify" in request.POST else None)

    def reply() -> str | None:
        if not reply_form.is_valid():
            return None
        actions.reply_rectification(user, t, reply_form.cleaned_data["reply"])
        return _("Reply sent for verification.")

    def verify() -> str | None:
        if not verify_form.is_valid():
            return None
        actions.verify_rectification(user, t, **verify_form.cleaned_data)
        return _("Verification saved.")

    def close() -> str:
        actions.close_rectification(user, t)
        return _("Task closed.")

    # verb (the button's name) -> handler, answering what to flash when it is done
    handlers: dict[str, Callable[[], str | None]] = {
        "reply": reply,
        "verify": verify,
        "close": close,
    }
    verb = next((v for v in handlers if v in request.POST), None)
    if request.method == "POST" and verb is not None:
        try:
            if ok := handlers[verb]():
                messages.success(request, ok)
                return redirect("supervision:task", pk=t.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("You may not do this."))
    inspector = allows(user, Rectification, "verify") and actions.on_team(
        user, t.finding.inspection
    )
    return render(
        request,
        "supervision/task.html",
        {
            "t": metrics.with_state([t])[0],
            "reply_form": reply_form,
            "verify_form": verify_form,
            "can_reply": allows(user, Rectification, "change") and t.status == "open",
            "inspector": inspector,
        },
    )


# ------------------------------------------------------------------ checklists


@login_required
def checklists(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require(request.user, "view", Checklist)
    can_edit = allows(user, Checklist, "change")
    topic = request.POST.get("topic", "")
    form = ChecklistForm(request.POST or None)
    if request.method == "POST" and can_edit and form.is_valid():
        items = form.cleaned_data["items"].splitlines()
        active = form.cleaned_data["active"]
        if flashed(
            request,
            lambda: actions.save_checklist(user, topic, items, active),
            _("Checklist saved."),
        ):
            return redirect("supervision:checklists")
    return render(
        request,
        "supervision/checklists.html",
        {"checklists": Checklist.objects.all(), "can_edit": can_edit},
    )
