"""Pages of screening: lists and import reports (headquarters), today's visits and the
visit form (grid worker, phone), exceptions and aliases (town), progress (every level)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fangkong.core import listing as paging
from fangkong.core import picking
from fangkong.core.access import record, require, shown_division
from fangkong.core.forms import add_action_errors, create_page, flashed, posted, run_action
from fangkong.core.querysets import allows, can_access
from fangkong.geo.models import Division
from fangkong.screening import actions, exports, fates, handover, progress
from fangkong.screening.choices import Outcome, TaskStatus
from fangkong.screening.forms import (
    AssignForm,
    SourceForm,
    TransferForm,
    UploadForm,
    VisitForm,
)
from fangkong.screening.models import (
    DeclarationReview,
    ExceptionItem,
    ImportRejection,
    ListSource,
    PushedList,
    ScreeningTask,
)
from fangkong.screening.reads import (
    audit_list,
    one_task,
    open_exceptions,
    pending_declarations,
    pending_handovers,
)

# --- lists and import reports --------------------------------------------------------------


@login_required
def lists(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", PushedList)
    can_upload = allows(request.user, PushedList, "add") and request.user.node is not None  # type: ignore[union-attr]
    sources = ListSource.objects.usable_by(request.user).order_by("name")
    form = UploadForm(request.POST or None, request.FILES or None, sources=sources)
    if request.method == "POST":
        if not can_upload:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                pushed, started = actions.upload_list(
                    request.user, form.cleaned_data["source"], upload, upload.name
                )
            except ValidationError as exc:
                form.add_error("file", exc.message_dict.get("file", exc.messages))
            else:
                if not started:
                    messages.warning(request, _("This file was uploaded before; nothing new."))
                return redirect("screening:report", pushed.pk)
    recent = paging.paginate(
        request,
        PushedList.objects.restrict(request.user, "view").select_related("source", "job"),
        paging.Filters(
            name=("file_name", "source__name"), name_label=gettext_lazy("File"), date="created_at"
        ),
    )
    return render(
        request,
        "screening/lists.html",
        {
            "form": form,
            "lists": recent,
            "listing": recent,
            "can_upload": can_upload,
            "sources": sources,
        },
    )


def _list(request: HttpRequest, pk: int, action: str = "view") -> PushedList:
    return record(request.user, PushedList.objects.select_related("source", "job"), pk, action)


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    pushed = _list(request, pk)
    running = pushed.status in ("queued", "running")
    if request.headers.get("HX-Request"):
        response = render(request, "screening/report.html#status", {"pushed": pushed})
        if not running:
            response["HX-Refresh"] = "true"
        return response
    counts = pushed.counts or {}
    page = max(1, int(request.GET["page"])) if request.GET.get("page", "").isdigit() else 1
    last_row = fates.last_row(pushed)
    first = 2 + (page - 1) * REPORT_PAGE
    rows = list(fates.fates(pushed, first, first + REPORT_PAGE - 1))
    audit_list(request, "screening.pushedrow", {"list": pushed.pk, "page": page}, len(rows))
    return render(
        request,
        "screening/report.html",
        {
            "pushed": pushed,
            "running": running,
            "counts": [
                (label, counts.get(key, 0)) for key, label in exports.count_labels().items()
            ],
            "fates": rows,
            "page": page,
            "previous": page - 1 if page > 1 else None,
            "next": page + 1 if first + REPORT_PAGE <= last_row else None,
            "can_rerun": pushed.status == "failed"
            and bool(pushed.stored_as)
            and can_access(request.user, pushed, "add"),
        },
    )


REPORT_PAGE = 500


@login_required
def rerun(request: HttpRequest, pk: int) -> HttpResponse:
    """Run a failed import again from the kept file."""
    if request.method != "POST":
        raise Http404
    pushed = _list(request, pk)
    try:
        actions.rerun_import(request.user, pushed)
    except ValidationError as exc:
        for e in exc.messages:
            messages.error(request, e)
    return redirect("screening:report", pk=pushed.pk)


@login_required
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    pushed = _list(request, pk)
    data = exports.import_report(request.user, pushed)
    rows = pushed.rows.count() + ImportRejection.objects.filter(pushed_list=pushed).count()
    audit_list(request, "screening.pushedrow", {"list": pushed.pk}, rows, "export")
    return paging.download(data, f"import-report-{pushed.pk}.xlsx")


@login_required
def sources(request: HttpRequest) -> HttpResponse:
    form = SourceForm(request.POST or None)
    return create_page(
        request,
        ListSource,
        form,
        lambda d: actions.save_source(request.user, d["name"], d["kind"], form.column_map()),
        _("Saved."),
        lambda _source: ("screening:sources",),
        "screening/sources.html",
        lambda: {
            "sources": ListSource.objects.usable_by(request.user).order_by("name"),
            "can_add": allows(request.user, ListSource, "add"),
        },
    )


# --- grid worker: today's tasks, visit, transfer -----------------------------------------------

TASK_FILTERS = paging.Filters(
    name=("subject__name", "subject__address"),
    name_label=gettext_lazy("Name or address"),
    id_tail="subject__id_masked",
    node="path",
    date="due_at",
)


def _audited(
    request: HttpRequest, qs: Any, filters: paging.Filters, label: str, name: str
) -> paging.Listing:
    """One page of the filtered rows, its reading recorded as list `name` of model
    `label` with the filters asked."""
    listing = paging.paginate(request, qs, filters)
    audit_list(request, label, {"list": name, **request.GET.dict()}, len(listing))
    return listing


@login_required
def today(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", ScreeningTask)
    tasks = (
        ScreeningTask.objects.restrict(request.user, "view")
        .for_today()
        .select_related("subject", "node")
    )
    listing = _audited(request, tasks, TASK_FILTERS, "screening.screeningtask", "today")
    return render(request, "screening/today.html", {"listing": listing, "tasks": listing})


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = one_task(request.user, pk)
    can_visit = can_access(request.user, task, "visit") and task.status == "open"
    form = VisitForm(request.POST or None)
    if request.method == "POST":
        if not can_visit and not form.data.get("client_id"):
            raise PermissionDenied
        if form.is_valid():
            try:
                _visit, created = actions.record_visit(request.user, task, form.cleaned_data)
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                if created:
                    messages.success(request, _("Visit saved."))
                return redirect("screening:today")
    return render(
        request,
        "screening/task.html",
        {
            "task": task,
            "form": form,
            "can_visit": can_visit,
            "visits": task.visits.select_related("visited_by"),
            "transfers": task.transfers.select_related("from_node", "to_node"),
        },
    )


@login_required
def task_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    task = one_task(request.user, pk, "transfer")
    form = TransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        to = run_action(
            request, form, lambda: actions.target_node(d["to_code"], d["address"]), None
        )
        if to and request.POST.get("confirmed") != "1":
            return _confirm_transfer(request, task, to, form)
        if to and run_action(
            request,
            form,
            lambda: actions.transfer_task(request.user, task, to, d["reason"]),
            _("Task sent to %s.") % to.name,
        ):
            return redirect("screening:today")
    return render(request, "screening/transfer.html", {"task": task, "form": form})


def _confirm_transfer(
    request: HttpRequest, task: ScreeningTask, to: Division, form: TransferForm
) -> HttpResponse:
    """Whose task goes where, named in full, before it leaves the queue."""
    from fangkong.geo.picker import path_labels

    facts = [
        (_("Person"), picking.named(task.subject)),
        (_("Now in"), path_labels([task.node])[task.node.code]),
        (_("Sent to"), path_labels([to])[to.code]),
    ]
    if form.cleaned_data["reason"]:
        facts.append((_("Reason"), form.cleaned_data["reason"]))
    hidden = [("to_code", to.code), ("reason", form.cleaned_data["reason"])]
    return picking.confirm_page(
        request,
        _("Confirm the transfer"),
        _("Send this person's task to another queue? It leaves yours."),
        facts,
        hidden,
        action=reverse("screening:transfer", args=[task.pk]),
        back=reverse("screening:task", args=[task.pk]),
    )


# --- town: exceptions, aliases, handovers ------------------------------------------------------


EXCEPTION_FILTERS = paging.Filters(
    name=("subject__name", "subject__address"),
    name_label=gettext_lazy("Name or address"),
    id_tail="subject__id_masked",
    node="path",
)


@login_required
def exceptions(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", ExceptionItem)
    items = _audited(
        request,
        open_exceptions(request.user),
        EXCEPTION_FILTERS,
        "screening.exceptionitem",
        "open",
    )
    return render(
        request,
        "screening/exceptions.html",
        {
            "items": items,
            "listing": items,
            "can_assign": allows(request.user, ExceptionItem, "change"),
        },
    )


ASSIGN_LIST = 400  # more villages and grids than this under a queue: the picker instead


def _assign_places(request: HttpRequest, item: ExceptionItem) -> Any:
    """Villages and grids under the exception's queue node in the user's area."""
    return Division.objects.restrict(request.user, "view").filter(
        path__startswith=item.node.path, level__in=("village", "grid")
    )


def _assign_choices(places: Any, item: ExceptionItem) -> list[tuple[str, str]]:
    """Every place of the queue, by name; the matcher's candidates (and their grids) first."""
    nodes = list(places.select_related("parent").order_by("path"))
    named = {c.rsplit(" ", 1)[-1] for c in item.candidates.split("、") if c.strip()}

    def label(d: Division) -> str:
        return f"{d.parent.name} · {d.name}" if d.level == "grid" and d.parent else d.name

    first = [d for d in nodes if d.code in named or (d.parent and d.parent.code in named)]
    rest = [d for d in nodes if d not in first]
    return [(d.code, label(d)) for d in first + rest]


@login_required
def exception_assign(request: HttpRequest, pk: int) -> HttpResponse:
    item = record(
        request.user, ExceptionItem.objects.select_related("subject", "node"), pk, "change"
    )
    places = _assign_places(request, item)
    if places.count() > ASSIGN_LIST:  # a list would be too long to read (it was cut at 3000)
        form = AssignForm(request.POST or None, user=request.user, queue=item.node)
    else:
        form = AssignForm(request.POST or None, choices=_assign_choices(places, item))

    def assign(d: dict[str, Any]) -> Division:
        to = actions.target_node(d["to_code"])
        actions.assign_exception(request.user, item, to)
        return to

    if to := posted(request, form, assign):
        messages.success(request, _("Assigned to %s.") % to.name)
        return redirect("screening:exceptions")
    return render(request, "screening/assign.html", {"item": item, "form": form})


@login_required
def handovers(request: HttpRequest) -> HttpResponse:
    """Decisions to start observation or a referral, awaiting those capabilities."""
    require(request.user, "view", ScreeningTask)
    tasks = _audited(
        request,
        pending_handovers(request.user),
        TASK_FILTERS,
        "screening.screeningtask",
        "handovers",
    )
    may_send = handover.may_send(request.user)
    sites = list(handover.sites(request.user)) if may_send else []
    return render(
        request,
        "screening/handovers.html",
        {
            "tasks": tasks,
            "listing": tasks,
            "sites": sites,
            "may_send": may_send,
            "central": Outcome.CENTRAL,
        },
    )


@login_required
@require_POST
def handover_site(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the person of a centralised-observation decision to the chosen site."""
    task = one_task(request.user, pk, "transfer")

    def send() -> Any:
        site = handover.site_of(request.user, request.POST.get("site", ""))
        return actions.send_to_site(request.user, task, site), site

    done = flashed(request, send)
    if done:
        messages.success(
            request,
            _("%(name)s is sent to %(site)s, which assigns the room.")
            % {"name": task.subject.name, "site": done[1].name},
        )
    return redirect("screening:handovers")


# --- progress --------------------------------------------------------------------------------


@login_required
def progress_page(request: HttpRequest, code: str | None = None) -> HttpResponse:
    require(request.user, "view", ScreeningTask)
    node = shown_division(request.user, code)
    own, children = progress.figures(request.user, node)
    crumbs = [a for a in node.ancestors() if can_access(request.user, a, "view")]
    tasks = None
    if not children:
        tasks = paging.paginate(
            request,
            ScreeningTask.objects.restrict(request.user, "view")
            .filter(path__startswith=node.path)
            .select_related("subject")
            .order_by("status", "due_at", "pk"),
            paging.Filters(
                name=("subject__name",),
                id_tail="subject__id_masked",
                status=("status", TaskStatus.choices),
                date="due_at",
            ),
        )
    return render(
        request,
        "screening/progress.html",
        {
            "node": node,
            "own": own,
            "children": children,
            "rest": progress.remainder(own, children) if children else None,
            "crumbs": crumbs,
            "checklists": progress.checklists(own),
            "tasks": tasks,
            "export_url": reverse("screening:progress_xlsx", args=[node.code]),
        },
    )


@login_required
def progress_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    require(request.user, "view", ScreeningTask)
    node = shown_division(request.user, code)
    own, children = progress.figures(request.user, node)
    return paging.download(
        exports.progress_table(own, children), f"screening-progress-{node.code}.xlsx"
    )


# --- self-declarations held for review ----------------------------------------------------


@login_required
def declarations(request: HttpRequest) -> HttpResponse:
    """Self-declarations about persons already registered: nothing changes their record
    until staff accept it here."""
    require(request.user, "view", DeclarationReview)
    items = _audited(
        request,
        pending_declarations(request.user),
        paging.Filters(
            name=("person__name",), id_tail="person__id_masked", node="path", date="created_at"
        ),
        "screening.declarationreview",
        "pending",
    )
    can_review = allows(request.user, DeclarationReview, "review")
    return render(
        request,
        "screening/declarations.html",
        {"items": items, "listing": items, "can_review": can_review},
    )


@login_required
@require_POST
def declaration_review(request: HttpRequest, pk: int) -> HttpResponse:
    review = record(request.user, DeclarationReview.objects, pk, "review")
    accept = request.POST.get("decision") == "accept"
    ok = _("Accepted.") if accept else _("Rejected.")
    flashed(request, lambda: actions.review_declaration(request.user, review, accept), ok)
    return redirect("screening:declarations")
