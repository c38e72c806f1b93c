"""Command pages: the dashboard, directives and receipts, meetings, reports upward.

Every read goes through `.restrict(user, action)`; a record outside the user's area is
a 404, like one that does not exist."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fangkong.command import actions, metrics, prefill
from fangkong.command.forms import (
    CloseForm,
    DecisionForm,
    DirectiveForm,
    FeedbackForm,
    LevelForm,
    MeetingForm,
    SubmissionForm,
    TemplateForm,
)
from fangkong.command.models import (
    Decision,
    Directive,
    DirectiveReceipt,
    IndicatorValue,
    MeasureList,
    MeasureStatus,
    Meeting,
    ReportTemplate,
    ResponseLevel,
    Submission,
    Target,
    TaskForce,
)
from fangkong.core import clock, picking
from fangkong.core import listing as lists
from fangkong.core.access import record, require
from fangkong.core.forms import create_page, flashed, posted
from fangkong.core.querysets import is_system


def _owners(user: Any) -> Any:
    from fangkong.accounts.models import User

    if is_system(user):
        return User.objects.filter(is_active=True)
    return User.objects.filter(is_active=True, node__path__startswith=user.node.path)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require(request.user, "view", "command.responselevel")
    today = clock.today()
    form = LevelForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "change", "command.responselevel")
    if posted(
        request,
        form,
        lambda d: actions.set_response_level(user, **d),
        _("Response level saved."),
    ):
        return redirect("command:dashboard")
    target_page = lists.paginate(
        request,
        Target.objects.restrict(user)
        .select_related("node", "owner")
        .prefetch_related("indicators")
        .order_by("pk"),
        prefix="t",
    )
    targets = target_page.rows
    latest: dict[int, Any] = {}
    for v in (
        IndicatorValue.objects.restrict(user)
        .filter(indicator__target__in=targets, day__lte=today)
        .order_by("indicator", "-day")
    ):
        latest.setdefault(v.indicator_id, v)
    indicators = [(t, [(i, latest.get(i.pk)) for i in t.indicators.all()]) for t in targets]
    checklists = []
    for cl in MeasureList.objects.filter(active=True):
        done = MeasureStatus.objects.restrict(user).filter(checklist=cl, done=True).count()
        from fangkong.geo.models import Division

        nodes = Division.objects.restrict(user).filter(level=cl.level).count()
        expected = nodes * len(cl.items)
        checklists.append((cl, done, expected, done / expected if expected else None))
    return render(
        request,
        "command/dashboard.html",
        {
            "level": actions.level_on(today),
            "levels": ResponseLevel.objects.all(),
            "form": form,
            "can_set_level": user.may("command.responselevel", "change"),
            "indicators": indicators,
            "targets": target_page,
            "task_forces": lists.paginate(
                request,
                TaskForce.objects.restrict(user)
                .select_related("node", "leader")
                .prefetch_related("members"),
                prefix="f",
            ),
            "checklists": checklists,
            "open_decisions": lists.paginate(
                request, Decision.objects.restrict(user).open().select_related("owner"), prefix="d"
            ),
            "today": today,
        },
    )


@login_required
def directive_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require(request.user, "view", "command.directive")
    form = DirectiveForm(request.POST or None, request.FILES or None)
    picking.set_user(form, user)
    if request.method == "POST":
        require(request.user, "add", "command.directive")
    if d := posted(
        request,
        form,
        lambda c: actions.issue_directive(
            user,
            user.node,
            owner=user,
            node_codes=form.node_codes(),  # the picked nodes, as codes
            **{k: v for k, v in c.items() if k != "nodes"},
        ),
    ):
        n = d.receipts.count()
        messages.success(request, _("Directive issued to %(n)d organisations.") % {"n": n})
        return redirect("command:directive", pk=d.pk)
    listing = lists.paginate(
        request,
        Directive.objects.restrict(user).select_related("node"),
        lists.Filters(
            name=("title",), name_label=gettext_lazy("Title"), node="path", date="issued_at"
        ),
    )
    return render(
        request,
        "command/directives.html",
        {
            "directives": listing,
            "listing": listing,
            "form": form,
            "can_issue": user.may("command.directive", "add") and user.node_id,
            "now": clock.now(),
        },
    )


def _directive(request: HttpRequest, pk: int) -> Directive:
    return record(request.user, Directive.objects.select_related("node", "owner"), pk)


@login_required
def directive_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    d = _directive(request, pk)
    actions.mark_received(user, d.receipts.all())
    own = DirectiveReceipt.objects.filter(directive=d, node_id=user.node_id).first()
    return render(
        request,
        "command/directive.html",
        {
            "d": d,
            "coverage": metrics.directive_coverage(user, d),
            "laggards": lists.paginate(request, metrics.laggards(user, d), prefix="l"),  # were 200
            "own": own,
            "feedback_form": FeedbackForm(),
            "can_answer": user.may("command.directivereceipt", "change"),
            "now": clock.now(),
        },
    )


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    d = _directive(request, pk)
    if not d.attachment:
        raise Http404
    return FileResponse(
        d.attachment.open("rb"),
        as_attachment=True,
        filename=(d.attachment.name or "").rsplit("/", 1)[-1],
    )


def _receipt(request: HttpRequest, pk: int) -> DirectiveReceipt:
    return record(
        request.user, DirectiveReceipt.objects.select_related("node", "directive"), pk, "change"
    )


@login_required
@require_POST
def receipt_ack(request: HttpRequest, pk: int) -> HttpResponse:
    r = _receipt(request, pk)
    flashed(request, lambda: actions.acknowledge(request.user, r), _("Acknowledged."))
    return redirect("command:directive", pk=r.directive_id)


@login_required
@require_POST
def receipt_report(request: HttpRequest, pk: int) -> HttpResponse:
    r = _receipt(request, pk)
    try:
        actions.report_back(request.user, r, request.POST.get("feedback", ""))
        messages.success(request, _("Reported back."))
    except ValidationError as exc:
        messages.error(request, _("Feedback: %(msg)s") % {"msg": " ".join(exc.messages)})
    return redirect("command:directive", pk=r.directive_id)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require(request.user, "view", "command.directivereceipt")
    qs = DirectiveReceipt.objects.restrict(user).select_related("directive", "node")
    return render(
        request,
        "command/inbox.html",
        {
            "own": lists.paginate(
                request,
                qs.filter(node_id=user.node_id).order_by("-directive__issued_at"),
                prefix="o",
            ),
            "escalated": lists.paginate(
                request,
                qs.filter(escalated_to_id=user.node_id).order_by("-escalated_at"),
                prefix="e",
            ),
        },
    )


@login_required
@require_POST
def sweep(request: HttpRequest) -> HttpResponse:
    require(request.user, "change", "command.directive")
    n = actions.escalate_overdue()
    messages.success(request, _("%(n)d overdue receipts escalated to the level above.") % {"n": n})
    return redirect("command:directives")


MEETING_FILTERS = lists.Filters(name=("title",), node="path", date="day")


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user

    def context() -> dict[str, Any]:
        listing = lists.paginate(
            request, Meeting.objects.restrict(user).select_related("node"), MEETING_FILTERS
        )
        return {
            "meetings": listing,
            "listing": listing,
            "can_open": user.may("command.meeting", "add") and user.node_id,
        }

    return create_page(
        request,
        "command.meeting",
        MeetingForm(request.POST or None, initial={"day": clock.today()}),
        lambda d: actions.open_meeting(user, user.node, d["day"], d["title"]),
        None,
        lambda m: ("command:meeting", m.pk),
        "command/meetings.html",
        context,
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    m = record(user, Meeting.objects.select_related("node"), pk)
    form = DecisionForm(request.POST or None, owners=_owners(user))
    if posted(
        request,
        form,
        lambda d: actions.record_decision(user, m, d["text"], d["owner"], d["deadline"]),
    ):
        return redirect("command:meeting", pk=m.pk)
    return render(
        request,
        "command/meeting.html",
        {
            "m": m,
            "decisions": m.decisions.select_related("owner"),
            "carried": m.carried.select_related("owner"),
            "form": form,
            "close_form": CloseForm(),
            "can_decide": user.may("command.decision", "add"),
            "today": clock.today(),
        },
    )


@login_required
@require_POST
def decision_close(request: HttpRequest, pk: int) -> HttpResponse:
    d = record(request.user, Decision.objects.select_related("meeting__node"), pk, "change")
    try:
        actions.close_decision(request.user, d, request.POST.get("outcome", ""))
    except ValidationError as exc:
        messages.error(request, _("Outcome: %(msg)s") % {"msg": " ".join(exc.messages)})
    return redirect("command:meeting", pk=d.meeting_id)


def _template(user: Any, d: dict) -> ReportTemplate:
    data = dict(d)
    data["fields"] = [f for f in data.pop("figures").splitlines() if f.strip()]
    return actions.create_report_template(user, user.node, **data)


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    return create_page(
        request,
        "command.reporttemplate",
        TemplateForm(request.POST or None, initial={"starts_on": clock.today()}),
        lambda d: _template(user, d),
        None,
        lambda t: ("command:report", t.pk),
        "command/reports.html",
        lambda: {
            "templates": ReportTemplate.objects.restrict(user).select_related("node"),
            "can_add": user.may("command.reporttemplate", "add") and user.node_id,
        },
    )


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    t = record(user, ReportTemplate.objects.select_related("node"), pk)
    expected_here = (
        user.node_id and user.node.level == t.level and user.node.path.startswith(t.path)
    )
    initial: dict[str, Any] = {"period": clock.today()}
    if expected_here and request.method != "POST":  # figures other apps offer (prefill.py)
        initial.update(prefill.initial_for(t, user.node, clock.today()))
    form = SubmissionForm(request.POST or None, figures=t.fields, initial=initial)
    if request.method == "POST":
        if not expected_here:
            raise PermissionDenied
    if posted(
        request,
        form,
        lambda d: actions.submit_report(user, t, user.node, d["period"], form.data_dict()),
        _("Report submitted."),
    ):
        return redirect("command:report", pk=t.pk)
    rates = metrics.reporting_rates(user, t)
    last = rates["periods"][-1] if rates["periods"] else None
    return render(
        request,
        "command/report.html",
        {
            "t": t,
            "rates": rates,
            "last": last,
            "late": metrics.late_nodes(user, t, last) if last else [],
            "form": form if expected_here and user.may("command.submission", "add") else None,
            # Every report of the node, paged with the total (were the last 14).
            "mine": lists.paginate(
                request,
                Submission.objects.restrict(user)
                .filter(template=t, node_id=user.node_id)
                .order_by("-period", "-pk"),
                prefix="m",
            ),
            "tz": timezone.get_current_timezone_name(),
        },
    )
