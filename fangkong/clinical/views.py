"""Pages for clinic doctors, hospitals and headquarters. Every read goes through
`.restrict(user, action)`; a record outside the user's area (or, for a doctor attached
to facilities, outside them) is a 404 like one that does not exist."""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.clinical import boards, care, investigation, labimport, samples
from fangkong.clinical.actions import cases, rulesets, visits
from fangkong.clinical.forms import (
    ClassifyForm,
    DailyForm,
    DisposeForm,
    ExposureForm,
    FindingsForm,
    LabImportForm,
    OnsetSourceForm,
    SampleForm,
    TransferForm,
    VisitForm,
)
from fangkong.clinical.models import (
    Bed,
    Case,
    ClinicVisit,
    Cluster,
    ExpertTeam,
    Facility,
    Sample,
    Transfer,
    Ward,
)
from fangkong.core import audit, clock
from fangkong.core import listing as lists
from fangkong.core.access import record, require
from fangkong.core.forms import run_action
from fangkong.core.rulepages import RulesPage


def _visit(request: HttpRequest, pk: int, action: str = "view") -> ClinicVisit:
    return record(
        request.user,
        ClinicVisit.objects.select_related(
            "person", "facility", "first_doctor", "responsible_doctor"
        ),
        pk,
        action,
    )


def _case(request: HttpRequest, pk: int, action: str = "view") -> Case:
    return record(
        request.user,
        Case.objects.select_related("person", "facility", "visit", "expert_team"),
        pk,
        action,
    )


def _errors(request: HttpRequest, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        groups = exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]
        for msgs in groups:
            for m in msgs:
                messages.error(request, m)
    else:
        messages.error(request, str(exc))


def _valid(form: Any) -> dict[str, Any]:
    """The form's cleaned data, or its errors raised for `_errors` to show."""
    if not form.is_valid():
        raise ValidationError(
            {k: [e["message"] for e in v] for k, v in form.errors.get_json_data().items()}
        )
    return form.cleaned_data


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """The patient board: counts, running and overdue clocks, incoming referrals,
    free beds and the time from confirmation to admission."""
    require(request.user, "view", "clinical.case")
    ctx = boards.board(request.user)
    page = partial(lists.paginate, request, per_page=10)
    ctx["overdue"] = {k: page(qs, prefix=f"o{k[0]}") for k, qs in ctx["overdue"].items()}
    ctx["incoming"] = {k: page(qs, prefix=f"i{k[0]}") for k, qs in ctx["incoming"].items()}
    ctx["open_visits"] = page(ctx["open_visits"], prefix="v", per_page=25)
    ctx["patients_listing"] = page(ctx["patients"], prefix="p", per_page=50)
    ctx["patients"] = [(c, boards.clocks(c, ctx["now"])) for c in ctx["patients_listing"]]
    return render(request, "clinical/board.html", ctx)


@login_required
def visit_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "add", "clinical.clinicvisit")
    facilities = Facility.objects.restrict(request.user, "view").clinics().filter(active=True)
    initial: dict[str, Any] = {"facility": facilities.first()}
    referral = boards.pending_referral(request.user, request.GET.get("referral", ""))
    task = boards.pending_screening(request.user, request.GET.get("task", ""))
    if referral is not None:
        initial.update(referral_id=referral.pk, person_id=referral.period.person_id)
    if task is not None:
        initial.update(task_id=task.pk)
    form = VisitForm(request.POST or None, initial=initial, facilities=facilities)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        person = None
        if d.get("referral_id"):
            referral = boards.pending_referral(request.user, str(d["referral_id"]))
            person = referral.period.person if referral else None
        if d.get("task_id"):
            task = boards.pending_screening(request.user, str(d["task_id"]))
            person = task.subject.person if task else person
        visit = run_action(
            request,
            form,
            lambda: visits.register_visit(
                request.user,
                d["facility"],
                person=person,
                id_number=d["id_number"],
                person_data={"name": d["name"], "node_code": d["node_code"], "phone": d["phone"]},
                observation_referral=referral if d.get("referral_id") and person else None,
                screening_task=task if d.get("task_id") else None,
                **{k: d[k] for k in FindingsForm.base_fields},
            ),
            _("Visit registered."),
        )
        if visit:
            return redirect(visit)
    return render(
        request, "clinical/visit_new.html", {"form": form, "referral": referral, "task": task}
    )


@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    audit.record_access(request.user, visit, "clinic visit", request)
    from django.db.models import Q

    from fangkong.accounts.models import User

    doctors = User.objects.filter(
        Q(clinical_facilities=visit.facility) | Q(node=visit.facility.node),
        role="medical",
        is_active=True,
    ).distinct()
    return render(
        request,
        "clinical/visit.html",
        {
            "visit": visit,
            "r7": rulesets.visit_r7(visit),
            "handovers": visit.handovers.select_related("from_doctor", "to_doctor"),
            "case": Case.objects.filter(visit=visit).first(),
            "is_responsible": visit.responsible_doctor_id == request.user.pk,
            "doctors": doctors.exclude(pk=visit.responsible_doctor_id),
            "findings_form": FindingsForm(initial=_findings_initial(visit)),
            "dispose_form": DisposeForm(),
        },
    )


def _findings_initial(visit: ClinicVisit) -> dict:
    return {k: getattr(visit, k) for k in FindingsForm.base_fields}


def _findings(request: HttpRequest, visit: ClinicVisit) -> None:
    visits.record_findings(request.user, visit, _valid(FindingsForm(request.POST)))
    messages.success(request, _("Findings saved."))


def _handover(request: HttpRequest, visit: ClinicVisit) -> None:
    from fangkong.accounts.models import User

    to = User.objects.filter(pk=request.POST.get("to_doctor") or 0).first()
    visits.hand_over(request.user, visit, to, request.POST.get("reason", ""))
    messages.success(request, _("Patient handed over."))


def _dispose(request: HttpRequest, visit: ClinicVisit) -> HttpResponse | None:
    d = _valid(DisposeForm(request.POST))
    visits.dispose(
        request.user, visit, d["disposition"], note=d["note"], diagnosed_at=d["diagnosed_at"]
    )
    messages.success(request, _("Visit closed."))
    case = Case.objects.filter(visit=visit).first()
    return redirect(case) if case is not None else None


# The forms of the visit page: verb -> handler(request, visit), which raises
# ValidationError or PermissionError for the page to show, or answers a page to go to.
VISIT_VERBS: dict[str, Callable[[HttpRequest, ClinicVisit], HttpResponse | None]] = {
    "findings": _findings,
    "handover": _handover,
    "dispose": _dispose,
}


@login_required
@require_POST
def visit_action(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    """The forms of the visit page, one verb each (VISIT_VERBS)."""
    visit = _visit(request, pk, "change")
    handler = VISIT_VERBS.get(verb)
    if handler is None:
        raise PermissionDenied
    try:
        page = handler(request, visit)
    except (ValidationError, PermissionError) as exc:
        _errors(request, exc)
        page = None
    return page or redirect(visit)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    audit.record_access(request.user, case, "case", request)
    context = boards.case_context(request.user, case)
    # Every day of the stay and every exposure, paged with their totals (were the last 30).
    context["daily"] = lists.paginate(request, case.daily.order_by("-day", "-pk"), prefix="d")
    if context["investigation"] is not None:
        exposures = context["investigation"].exposures.order_by("pk")
        context["exposures"] = lists.paginate(request, exposures, prefix="e")
    return render(request, "clinical/case.html", context)


def _ward(request: HttpRequest, transfer: Transfer) -> Ward:
    qs = Ward.objects.restrict(request.user, "view").filter(facility=transfer.to_facility)
    return get_object_or_404(qs, pk=request.POST.get("ward") or 0)


def _classify(request: HttpRequest, case: Case) -> None:
    d = _valid(ClassifyForm(request.POST))
    cases.classify(
        request.user,
        case,
        d["status"],
        severity=d["severity"],
        reason=d["reason"],
        diagnosed_at=d["diagnosed_at"],
    )


def _result(request: HttpRequest, case: Case) -> None:
    user, post = request.user, request.POST
    sample = record(user, Sample.objects, post.get("sample") or 0, "change", case=case)
    samples.record_result(
        user, sample, post.get("result"), ct_orf1ab=post.get("ct_orf1ab"), ct_n=post.get("ct_n")
    )


def _transfer_of(request: HttpRequest, case: Case) -> Transfer:
    return record(
        request.user, Transfer.objects, request.POST.get("transfer") or 0, "change", case=case
    )


def _bed(request: HttpRequest, case: Case) -> None:
    transfer = _transfer_of(request, case)
    care.assign_bed(request.user, transfer, _ward(request, transfer))


def _experts(request: HttpRequest, case: Case) -> None:
    team = record(request.user, ExpertTeam.objects, request.POST.get("team") or 0)
    care.assign_experts(request.user, case, team)


def _transfer_form(request: HttpRequest) -> dict[str, Any]:
    return _valid(TransferForm(request.POST, hospitals=boards.hospitals(request.user)))


# The forms of the case page: verb -> handler(request, case), which raises
# ValidationError or PermissionError for the page to show.
CASE_VERBS: dict[str, Callable[[HttpRequest, Case], Any]] = {
    "classify": _classify,
    "emergency": lambda r, c: cases.mark_emergency_reported(r.user, c),
    "sample": lambda r, c: samples.record_sample(r.user, c, **_valid(SampleForm(r.POST))),
    "result": _result,
    "transfer": lambda r, c: care.request_transfer(r.user, c, **_transfer_form(r)),
    "bed": _bed,
    "depart": lambda r, c: care.depart(
        r.user, _transfer_of(r, c), vehicle=r.POST.get("vehicle", "")
    ),
    "arrive": lambda r, c: care.arrive(r.user, _transfer_of(r, c)),
    "daily": lambda r, c: care.record_daily(r.user, c, _valid(DailyForm(r.POST))),
    "experts": _experts,
    "discharge": lambda r, c: care.discharge(
        r.user, c, override_reason=r.POST.get("override_reason", "")
    ),
    "death": lambda r, c: care.record_death(r.user, c, cause=r.POST.get("cause", "")),
    "setting": lambda r, c: investigation.set_setting(r.user, c, r.POST.get("setting", "")),
    "onset": lambda r, c: investigation.set_onset_source(
        r.user, c, **_valid(OnsetSourceForm(r.POST))
    ),
    "exposure": lambda r, c: investigation.add_exposure(
        r.user, c.investigation, _valid(ExposureForm(r.POST))
    ),
    "investigated": lambda r, c: investigation.complete_investigation(
        r.user, c.investigation, r.POST.get("summary", "")
    ),
}


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    """The forms of the case page, one verb each (CASE_VERBS)."""
    case = _case(request, pk)
    handler = CASE_VERBS.get(verb)
    if handler is None:
        raise PermissionDenied
    try:
        handler(request, case)
        messages.success(request, _("Saved."))
    except (ValidationError, PermissionError) as exc:
        _errors(request, exc)
    return redirect(case)


SAMPLE_FILTERS = lists.Filters(
    name=("code", "case__number", "case__person__name"),
    id_tail="case__person__id_masked",
    node="path",
    date="taken_at",
)


@login_required
def lab_import(request: HttpRequest) -> HttpResponse:
    require(request.user, "change", "clinical.sample")
    form = LabImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            n = labimport.import_results(
                request.user,
                Sample.objects.restrict(request.user, "change"),
                upload.name,
                upload.read(),
            )
        except ValidationError as exc:
            errors = [m for msgs in exc.message_dict.values() for m in msgs]
        else:
            messages.success(request, _("%d results recorded.") % n)
            return redirect("clinical:lab_import")
    pending = lists.paginate(
        request,
        Sample.objects.restrict(request.user, "view").pending().select_related("case"),
        SAMPLE_FILTERS,
    )
    return render(
        request,
        "clinical/lab_import.html",
        {"form": form, "errors": errors, "pending": pending, "listing": pending},
    )


@login_required
def facilities(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", "clinical.facility")
    return render(request, "clinical/facilities.html", boards.facilities(request.user))


@login_required
def facility_detail(request: HttpRequest, pk: int) -> HttpResponse:
    facility = record(request.user, Facility.objects, pk)
    beds = Bed.objects.restrict(request.user, "view").filter(ward__facility=facility)
    occupied = set(beds.occupied().values_list("pk", flat=True))
    wards = [
        (w, [(b, b.pk in occupied) for b in w.beds.all()])
        for w in facility.wards.prefetch_related("beds")
    ]
    return render(
        request,
        "clinical/facility.html",
        {
            "facility": facility,
            "wards": wards,
            "teams": facility.teams.prefetch_related("members"),
            "cases": lists.paginate(
                request,
                Case.objects.restrict(request.user, "view")
                .filter(facility=facility)
                .active()
                .select_related("person")
                .order_by("number", "pk"),
                lists.Filters(name=("person__name", "number"), id_tail="person__id_masked"),
            ),
        },
    )


CLUSTER_FILTERS = lists.Filters(name=("setting",), node="path", date="detected_at")


@login_required
def clusters(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", "clinical.cluster")
    qs = lists.paginate(
        request,
        Cluster.objects.restrict(request.user, "view").prefetch_related("cases__person"),
        CLUSTER_FILTERS,
    )
    return render(
        request, "clinical/clusters.html", {"clusters": qs, "listing": qs, "now": clock.now()}
    )


@login_required
@require_POST
def cluster_report(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = record(request.user, Cluster.objects, pk, "report")
    try:
        cases.report_cluster(request.user, cluster)
        messages.success(request, _("Emergency report recorded."))
    except (ValidationError, PermissionError) as exc:
        _errors(request, exc)
    return redirect("clinical:clusters")


RULES_PAGE = RulesPage("clinical.clinicalrules", "clinical:rules", "clinical/rules.html")


@login_required
def rules_view(request: HttpRequest) -> HttpResponse:
    """The dated rule sets (R7–R10); headquarters adds one from a date on."""
    from fangkong.clinical.forms import RulesForm
    from fangkong.clinical.models import ClinicalRules

    form = RulesForm(request.POST or None)
    return RULES_PAGE.render(request, form, rulesets.save_rules, ClinicalRules.objects.all())
