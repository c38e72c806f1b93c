"""Staff pages of the public side. Every read goes through `.restrict(user, action)`;
a record outside the user's area is a 404, like one that does not exist."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.core import clock
from fangkong.core import listing as lists
from fangkong.core.access import chosen_division, record, require
from fangkong.core.forms import create_page, run_action
from fangkong.public import actions, forms, returns
from fangkong.public import choices as ch
from fangkong.public.choices import Department
from fangkong.public.models import (
    Article,
    Bulletin,
    Gathering,
    Question,
    Rumour,
    SchoolPlan,
    WorkApplication,
)

BULLETIN_FILTERS = lists.Filters(
    name=("title",), node="path", status=("status", ch.BulletinStatus.choices), date="day"
)
ARTICLE_FILTERS = lists.Filters(name=("title",), node="path", date="created_at")
RUMOUR_FILTERS = lists.Filters(
    name=("text", "where_seen"),
    node="path",
    status=("status", ch.RumourStatus.choices),
    date="created_at",
)
QUESTION_FILTERS = lists.Filters(name=("ticket", "text"), node="path", date="due_at")
APPLICATION_FILTERS = lists.Filters(
    name=("company", "credit_code"),
    node="path",
    status=("status", ch.ApplicationStatus.choices),
    date="resume_date",
)
SCHOOL_FILTERS = lists.Filters(
    name=("school",), node="path", status=("status", ch.PlanStatus.choices), date="return_date"
)
GATHERING_FILTERS = lists.Filters(
    name=("organiser", "venue"),
    node="path",
    status=("handling", ch.Handling.choices),
    date="planned_on",
)


@login_required
def bulletins(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = forms.DraftForm(
        request.POST or None,
        initial={"day": clock.today(), "node_code": user.node.code if user.node else "3306"},
    )

    def draft(d: dict) -> Any:
        node = chosen_division(user, d["node_code"])
        try:
            figures = form.parsed_figures()
        except ValidationError as exc:
            raise ValidationError({"figures": exc.messages}) from exc
        return actions.draft_bulletin(user, node, d["day"], figures)

    def listed() -> dict[str, Any]:
        qs = Bulletin.objects.restrict(user).select_related("node")
        items = lists.paginate(request, qs, BULLETIN_FILTERS)
        return {"bulletins": items, "listing": items}

    return create_page(
        request,
        "public.bulletin",
        form,
        draft,
        _("Bulletin drafted."),
        lambda b: ("public:bulletin", b.pk),
        "public/bulletins.html",
        listed,
    )


@login_required
def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    b = record(user, Bulletin.objects.select_related("node"), pk)
    form = forms.EditForm(request.POST or None, initial={"title": b.title, "text": b.text})
    if request.method == "POST":
        if request.POST.get("publish"):
            require(request.user, "publish", "public.bulletin")
            try:
                actions.publish_bulletin(user, b)
                messages.success(request, _("Bulletin published."))
                return redirect("public:bulletin", b.pk)
            except ValidationError as exc:
                form.add_action_errors(exc)
        else:
            require(request.user, "change", "public.bulletin")
            if form.is_valid() and run_action(
                request,
                form,
                lambda: actions.edit_bulletin(user, b, **form.cleaned_data),
                _("Bulletin saved."),
            ):
                return redirect("public:bulletin", b.pk)
    return render(
        request,
        "public/bulletin.html",
        {"b": b, "form": form, "can_publish": user.may("public.bulletin", "publish")},
    )


def _create_page(
    request: HttpRequest,
    label: str,
    form_class: Any,
    create: Any,
    ok: str,
    done: Any,
    template: str,
    context: Any,
    *,
    by_node: bool = False,
) -> HttpResponse:
    """A list page with a form that creates one more record (`core.forms.create_page`),
    which belongs to the chosen division (`by_node`) or to the user's own; `done(result)`
    names where to go next, `context(user)` fills the list."""
    user: Any = request.user

    def act(d: dict) -> Any:
        data = {k: v for k, v in d.items() if k != "node_code"}
        return create(user, chosen_division(user, d["node_code"]) if by_node else user.node, **data)

    return create_page(
        request,
        label,
        form_class(request.POST or None),
        act,
        ok,
        done,
        template,
        lambda: context(user),
    )


def _action_page(
    request: HttpRequest,
    obj: Any,
    permission: tuple[str, str],
    form_class: Any,
    act: Any,
    ok: str,
    url_name: str,
    template: str,
    name: str,
) -> HttpResponse:
    """A record's page with one form that applies `act(user, obj, **fields)` to it."""
    form = form_class(request.POST or None)
    if request.method == "POST":
        label, action = permission
        require(request.user, action, label)
        if form.is_valid() and run_action(
            request, form, lambda: act(request.user, obj, **form.cleaned_data), ok
        ):
            return redirect(url_name, obj.pk)
    return render(request, template, {name: obj, "form": form})


def _listed(request: HttpRequest, name: str, qs: Any, spec: lists.Filters) -> dict[str, Any]:
    """A create page's list: paged with its total and filters (core/listing.py)."""
    listing = lists.paginate(request, qs, spec)
    return {name: listing, "listing": listing}


@login_required
def articles(request: HttpRequest) -> HttpResponse:
    return _create_page(
        request,
        "public.article",
        forms.ArticleForm,
        actions.write_article,
        _("Article published."),
        lambda _a: ("public:articles",),
        "public/articles.html",
        lambda user: _listed(request, "articles", Article.objects.restrict(user), ARTICLE_FILTERS),
    )


@login_required
def rumours(request: HttpRequest) -> HttpResponse:
    return _create_page(
        request,
        "public.rumour",
        forms.RumourForm,
        actions.report_rumour,
        _("Rumour reported."),
        lambda _r: ("public:rumours",),
        "public/rumours.html",
        lambda user: _listed(
            request,
            "rumours",
            Rumour.objects.restrict(user).select_related("node"),
            RUMOUR_FILTERS,
        ),
    )


@login_required
def rumour_detail(request: HttpRequest, pk: int) -> HttpResponse:
    r = record(request.user, Rumour.objects, pk)
    return _action_page(
        request,
        r,
        ("public.rumour", "change"),
        forms.ClarifyForm,
        actions.clarify_rumour,
        _("Clarification published."),
        "public:rumour",
        "public/rumour.html",
        "r",
    )


@login_required
def questions(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require(request.user, "view", "public.question")
    now = clock.now()
    mine = Question.objects.restrict(user).select_related("node", "escalated_to")
    department = request.GET.get("department", "")
    if department:
        mine = mine.filter(department=department)
    return render(
        request,
        "public/questions.html",
        {
            "open": (listing := lists.paginate(request, mine.open(), QUESTION_FILTERS)),
            "listing": listing,
            "overdue": mine.overdue(now).count(),
            "answered": lists.paginate(
                request,
                mine.filter(answered_at__isnull=False).order_by("-answered_at"),
                prefix="a",
            ),
            "now": now,
            "can_escalate": user.may("public.question", "escalate"),
            "departments": Department.choices,
            "department": department,
        },
    )


@login_required
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    q = record(request.user, Question.objects.select_related("node"), pk)
    return _action_page(
        request,
        q,
        ("public.question", "change"),
        forms.AnswerForm,
        actions.answer_question,
        _("Answer sent."),
        "public:question",
        "public/question.html",
        "q",
    )


@login_required
@require_POST
def escalate(request: HttpRequest) -> HttpResponse:
    require(request.user, "escalate", "public.question")
    n = actions.escalate_overdue()
    messages.success(request, _("%(n)d overdue questions escalated.") % {"n": n})
    return redirect("public:questions")


@login_required
def applications(request: HttpRequest) -> HttpResponse:
    def context(user: Any) -> dict[str, Any]:
        mine = WorkApplication.objects.restrict(user).select_related("node")
        return {
            "queue": lists.paginate(request, mine.queue(), APPLICATION_FILTERS, prefix="w"),
            "others": (
                listing := lists.paginate(
                    request,
                    mine.exclude(status__in=["submitted", "inspected"]),
                    APPLICATION_FILTERS,
                )
            ),
            "listing": listing,
            "can_approve": user.may("public.workapplication", "approve"),
        }

    return _create_page(
        request,
        "public.workapplication",
        forms.ApplicationForm,
        returns.apply_to_resume,
        _("Application registered; send each employee their declaration link."),
        lambda app: ("public:application", app.pk),
        "public/applications.html",
        context,
        by_node=True,
    )


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    app = record(user, WorkApplication.objects.select_related("node"), pk)
    inspect_form = forms.InspectionForm(request.POST if "inspect" in request.POST else None)
    decide_form = forms.DecisionForm(request.POST if "decide" in request.POST else None)
    if request.method == "POST":
        done = None
        if "submit" in request.POST:
            require(request.user, "add", "public.workapplication")
            done = run_action(
                request, decide_form, lambda: returns.submit_application(user, app), _("Submitted.")
            )
        elif "inspect" in request.POST:
            require(request.user, "inspect", "public.workapplication")
            if inspect_form.is_valid():
                done = run_action(
                    request,
                    inspect_form,
                    lambda: returns.record_inspection(user, app, **inspect_form.cleaned_data),
                    _("Inspection recorded."),
                )
        elif "decide" in request.POST:
            require(request.user, "approve", "public.workapplication")
            if decide_form.is_valid():
                done = run_action(
                    request,
                    decide_form,
                    lambda: returns.decide_application(user, app, **decide_form.cleaned_data),
                    _("Decision recorded."),
                )
        if done:
            return redirect("public:application", app.pk)
    return render(
        request,
        "public/application.html",
        {
            "app": app,
            "employees": app.employees.all(),
            "check": returns.r17_check(app),
            "inspect_form": inspect_form,
            "decide_form": decide_form,
        },
    )


@login_required
@require_POST
def publish_batch(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require(request.user, "approve", "public.workapplication")
    try:
        batch = returns.publish_batch(user, user.node)
        messages.success(request, _("Batch %(n)d published.") % {"n": batch.number})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("public:applications")


@login_required
def schools(request: HttpRequest) -> HttpResponse:
    return _create_page(
        request,
        "public.schoolplan",
        forms.SchoolForm,
        returns.file_school_plan,
        _("Plan filed."),
        lambda _p: ("public:schools",),
        "public/schools.html",
        lambda user: _listed(
            request,
            "plans",
            SchoolPlan.objects.restrict(user).select_related("node"),
            SCHOOL_FILTERS,
        ),
        by_node=True,
    )


@login_required
def school_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = record(request.user, SchoolPlan.objects, pk)
    return _action_page(
        request,
        plan,
        ("public.schoolplan", "approve"),
        forms.DecisionForm,
        returns.decide_school_plan,
        _("Decision recorded."),
        "public:school",
        "public/school.html",
        "plan",
    )


@login_required
def gatherings(request: HttpRequest) -> HttpResponse:
    return _create_page(
        request,
        "public.gathering",
        forms.GatheringForm,
        returns.report_gathering,
        _("Gathering recorded."),
        lambda _g: ("public:gatherings",),
        "public/gatherings.html",
        lambda user: _listed(
            request,
            "gatherings",
            Gathering.objects.restrict(user).select_related("node"),
            GATHERING_FILTERS,
        ),
        by_node=True,
    )


@login_required
def gathering_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    g = record(user, Gathering.objects.select_related("node"), pk)
    handle = forms.HandlingForm(request.POST if "handling" in request.POST else None)
    follow = forms.FollowUpForm(request.POST if "follow_up" in request.POST else None)
    if request.method == "POST":
        require(request.user, "change", "public.gathering")
        done = None
        if handle.is_bound and handle.is_valid():
            done = run_action(
                request,
                handle,
                lambda: returns.handle_gathering(user, g, **handle.cleaned_data),
                _("Handling recorded."),
            )
        elif follow.is_bound and follow.is_valid():
            done = run_action(
                request,
                follow,
                lambda: returns.follow_up_gathering(user, g, follow.cleaned_data["follow_up"]),
                _("Follow-up recorded."),
            )
        if done:
            return redirect("public:gathering", g.pk)
    return render(request, "public/gathering.html", {"g": g, "handle": handle, "follow": follow})
