"""Headquarters' page of the risk-area list: what is in force on a day, add a
designation with its source, lift one, import a file as announced."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from fangkong.core import clock
from fangkong.core import listing as lists
from fangkong.core.access import require
from fangkong.riskareas import actions
from fangkong.riskareas.models import Risk, RiskArea


def _day(text: str):  # type: ignore[no-untyped-def]
    try:
        return actions.parse_day(text) or clock.today()
    except ValueError:
        return clock.today()


AREA_FILTERS = lists.Filters(
    name=("name", "code"),
    name_label=_("Area"),
    status=("risk", Risk.choices),
    date="starts_on",
)


def _lists(request: HttpRequest, day) -> dict:  # type: ignore[no-untyped-def]
    """What is in force on the day and every designation, each paged with its total
    (the second filtered by name, risk and start date)."""
    return {
        "in_force": lists.paginate(
            request, RiskArea.objects.on(day).order_by("-risk", "code", "pk"), prefix="f"
        ),
        "all": (
            found := lists.paginate(
                request,
                RiskArea.objects.order_by("-starts_on", "code", "pk"),
                AREA_FILTERS,
                prefix="a",
            )
        ),
        "listing": found,
    }


@login_required
def area_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", "riskareas.riskarea")
    day = _day(request.GET.get("on", ""))
    errors: dict[str, list[str]] = {}
    report = None
    form = {"code": "", "risk": "", "starts_on": "", "ends_on": "", "source": ""}
    if request.method == "POST":
        require(request.user, "add", "riskareas.riskarea")
        try:
            if request.POST.get("form") == "import":
                upload = request.FILES.get("file")
                if upload is None:
                    errors = {"file": ["—"]}
                else:
                    report = actions.import_file(
                        request.user, upload, request.POST.get("source", "")[:300]
                    )
            else:
                form = {k: request.POST.get(k, "")[:300] for k in form}
                actions.add_area(request.user, form)
                return redirect(request.path)
        except ValidationError as exc:
            errors = exc.message_dict
        except ValueError as exc:  # FileError
            errors = {"file": [str(exc)]}
    return render(
        request,
        "riskareas/list.html",
        {
            "day": day,
            **_lists(request, day),
            "form": form,
            "errors": errors,
            "report": report,
            "risks": Risk.choices,
            "may_edit": request.user.may("riskareas.riskarea", "add"),  # type: ignore[union-attr]
        },
        status=422 if errors else 200,
    )


@login_required
@require_POST
def end(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "change", "riskareas.riskarea")
    area = get_object_or_404(RiskArea, pk=pk)
    try:
        actions.end_area(request.user, area, request.POST.get("ends_on", ""))
    except ValidationError as exc:
        return render(
            request,
            "riskareas/list.html",
            {
                "day": clock.today(),
                **_lists(request, clock.today()),
                "form": {},
                "errors": exc.message_dict,
                "risks": Risk.choices,
                "may_edit": True,
            },
            status=422,
        )
    return redirect("riskareas:list")
