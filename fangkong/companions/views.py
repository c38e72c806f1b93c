from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.companions import actions
from fangkong.companions.forms import DecisionForm, RunForm
from fangkong.companions.models import CandidateExposure, CompanionRun
from fangkong.core import listing as lists
from fangkong.core.access import record, require
from fangkong.core.forms import run_action
from fangkong.core.querysets import allows

PAGE = 50


@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    """Runs of the user's area with their progress, and the form to start one."""
    require(request.user, "view", CompanionRun)
    may_run = allows(request.user, CompanionRun, "add")
    sets = [(d, actions.dataset_label(d)) for d in actions.datasets()] if may_run else []
    form = RunForm(request.POST or None, datasets=sets)
    if request.method == "POST":
        if not may_run:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            terms = (d["dataset"], d["engine"], d["cases"])
            run = run_action(
                request,
                form,
                lambda: actions.start_run(request.user, None, *terms),
                _("Detection started."),
            )
            if run:
                return redirect(run)
    qs = CompanionRun.objects.restrict(request.user, "view").select_related("job", "node")
    runs = lists.paginate(request, qs.prefetch_related("cases"))  # every run (was the last 50)
    labels = dict(sets)
    for run in runs:
        run.dataset_label = labels.get(run.dataset) or actions.dataset_label(run.dataset)
    return render(
        request,
        "companions/runs.html",
        {"runs": runs, "listing": runs, "form": form, "may_run": may_run},
    )


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A run: its progress, its cases with the number of companions, ranked candidates."""
    run = record(request.user, CompanionRun.objects.select_related("job", "node"), pk)
    cases = list(run.cases.all())
    chosen = request.GET.get("case", "")
    case = next((c for c in cases if str(c.ref) == chosen), None)
    if case is None:
        case = next((c for c in cases if c.companions), cases[0] if cases else None)
    candidates = CandidateExposure.objects.restrict(request.user, "view").filter(case=case)
    candidates_total = candidates.count()  # shown beside the keyset pages
    after = request.GET.get("after", "")
    if after.isdigit():
        candidates = candidates.filter(rank__gt=int(after))
    rows = list(candidates.select_related("person", "case").order_by("rank")[: PAGE + 1])
    return render(
        request,
        "companions/run.html",
        {
            "run": run,
            "dataset_label": actions.dataset_label(run.dataset),
            "job": run.job,
            "cases": cases,
            "case": case,
            "candidates": rows[:PAGE],
            "candidates_total": candidates_total,
            "next_rank": rows[PAGE - 1].rank if len(rows) > PAGE else None,
            "may_decide": request.user.may("companions.candidateexposure", "decide"),  # type: ignore[union-attr]
        },
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm or dismiss one candidate; answers htmx with the updated row."""
    candidate = record(request.user, CandidateExposure.objects.select_related("case", "person"), pk)
    require(request.user, "decide", candidate)
    form = DecisionForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            candidate = actions.decide(
                request.user, candidate, form.cleaned_data["decision"], form.cleaned_data["note"]
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _("Choose confirm or dismiss.")
    candidate = CandidateExposure.objects.select_related("case", "person").get(pk=candidate.pk)
    if request.headers.get("HX-Request"):
        return render(
            request,
            "companions/run.html#candidate",
            {"c": candidate, "may_decide": True, "error": error},
        )
    if error:
        messages.error(request, error)
    return redirect(f"{candidate.run.get_absolute_url()}?case={candidate.case.ref}")
