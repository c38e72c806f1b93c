"""Staff pages: self-declarations of one's area (with contradictions of stored facts),
appeals with their deadline, the overdue ones escalated, and the decision form."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fangkong.core import audit, clock
from fangkong.core import listing as lists
from fangkong.core.access import record, require
from fangkong.core.querysets import is_system
from fangkong.selfservice import actions
from fangkong.selfservice.choices import AppealStatus
from fangkong.selfservice.models import Appeal, Declaration

DECLARATION_FILTERS = lists.Filters(
    name=("person__name", "applicant_name"),
    id_tail="person__id_masked",
    node="path",
    date="day",
)
APPEAL_FILTERS = lists.Filters(
    name=("number", "person__name"),
    id_tail="person__id_masked",
    status=("status", AppealStatus.choices),
    date="filed_at",
)


@login_required
def declarations(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", "selfservice.declaration")
    qs = Declaration.objects.restrict(request.user, "view").select_related("person", "node")
    only = request.GET.get("contradicting") == "1"
    if only:
        qs = qs.contradicting()
    rows = lists.paginate(request, qs.order_by("-declared_at", "-pk"), DECLARATION_FILTERS)
    return render(
        request,
        "selfservice/declarations.html",
        {"rows": rows, "listing": rows, "contradicting": only},
    )


def appeals_for(user, escalated: bool):  # type: ignore[no-untyped-def]
    """Appeals of the user's area; with `escalated`, the overdue ones escalated to the
    user's node from below (derived from the clock)."""
    if not escalated:
        return Appeal.objects.restrict(user, "view")
    qs = Appeal.objects.restrict(user, "view").overdue(clock.now())
    node_path = getattr(getattr(user, "node", None), "path", None)
    if node_path and not is_system(user):
        qs = qs.filter(Q(escalate_path__startswith=node_path))
    return qs


@login_required
def appeals(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", "selfservice.appeal")
    escalated = request.GET.get("escalated") == "1"
    qs = appeals_for(request.user, escalated).select_related("person")
    status = request.GET.get("status", "")
    rows = lists.paginate(request, qs, APPEAL_FILTERS)
    return render(
        request,
        "selfservice/appeals.html",
        {
            "rows": rows,
            "listing": rows,
            "escalated": escalated,
            "status": status,
            "now": clock.now(),
        },
    )


@login_required
def appeal(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "view", "selfservice.appeal")
    found = record(request.user, Appeal.objects, pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            actions.decide_appeal(
                request.user,
                found,
                upheld=request.POST.get("decision") == "upheld",
                reason=request.POST.get("reason", "")[:1000],
                colour=request.POST.get("colour", "")[:6],
            )
            return redirect("selfservice:appeal", pk=found.pk)
        except ValidationError as exc:
            errors = exc.message_dict
        except PermissionError as exc:
            raise PermissionDenied(str(exc)) from exc
    audit.record_access(request.user, found, "appeal")
    decls = Declaration.objects.restrict(request.user, "view").filter(person_id=found.person_id)
    from fangkong.healthcode.models import CodeChange

    return render(
        request,
        "selfservice/appeal.html",
        {
            "a": found,
            "errors": errors,
            # The person's every declaration and code change, paged (were the last 5 and 10).
            "declarations": lists.paginate(request, decls.order_by("-pk"), prefix="d"),
            "history": lists.paginate(
                request,
                CodeChange.objects.filter(person_id=found.person_id).order_by("-at", "-pk"),
                prefix="h",
            ),
            "may_decide": request.user.may("selfservice.appeal", "decide"),  # type: ignore[union-attr]
        },
        status=422 if errors else 200,
    )
