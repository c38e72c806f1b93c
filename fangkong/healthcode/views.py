"""Staff pages of the health code: headquarters' overview, one person's colour with its
reasons and history, overrides with a written reason, the personal link to send."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from fangkong.core import audit
from fangkong.core import listing as lists
from fangkong.core.access import record, require
from fangkong.healthcode import actions, tokens
from fangkong.healthcode.choices import Colour
from fangkong.healthcode.forms import ArrivalForm, OverrideForm
from fangkong.healthcode.models import CodeChange, CodeOverride, HealthCode

FLAGGED_FILTERS = lists.Filters(
    name=("person__name",),
    id_tail="person__id_masked",
    node="path",
    status=("colour", [(c.value, c.label) for c in (Colour.RED, Colour.YELLOW)]),
    date="since",
)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", "healthcode.healthcode")
    codes = HealthCode.objects.restrict(request.user, "view")
    counts = dict(codes.values_list("colour").annotate(n=Count("pk")).order_by())
    flagged = codes.exclude(colour="green").select_related("person").order_by("-since", "pk")
    listing = lists.paginate(request, flagged, FLAGGED_FILTERS)
    return render(
        request,
        "healthcode/dashboard.html",
        {"counts": counts, "flagged": listing, "listing": listing},
    )


def _arrival(request: HttpRequest, person: Any, page: dict[str, Any]) -> None:
    form = page["arrival_form"] = ArrivalForm(request.POST)
    if form.is_valid():
        actions.record_arrival(request.user, person, **form.cleaned_data)
        messages.success(request, _("Arrival recorded."))


def _end_override(request: HttpRequest, person: Any, page: dict[str, Any]) -> None:
    found = record(
        request.user,
        CodeOverride.objects,
        request.POST.get("override"),
        "view",
        person=person,
        active=True,
    )
    actions.end_override(request.user, found)
    messages.success(request, _("Override ended."))


def _override(request: HttpRequest, person: Any, page: dict[str, Any]) -> None:
    form = page["override_form"]
    if form.is_valid():
        actions.override_colour(request.user, person, **form.cleaned_data)
        messages.success(request, _("Colour set by headquarters."))


# The forms of a person's page: the posted `form` -> handler(request, person, page); any
# other is the override form.
PERSON_FORMS: dict[str, Callable[[HttpRequest, Any, dict[str, Any]], None]] = {
    "arrival": _arrival,
    "end_override": _end_override,
}


@login_required
def person_code(request: HttpRequest, person_id: int) -> HttpResponse:
    from fangkong.people.models import Person

    require(request.user, "view", "healthcode.healthcode")
    person = record(request.user, Person.objects, person_id)
    actions.colour_of(person.pk)
    code = HealthCode.objects.get(person_id=person.pk)
    page: dict[str, Any] = {
        "override_form": OverrideForm(request.POST or None)
        if request.method == "POST"
        else OverrideForm(),
        "arrival_form": ArrivalForm(),
    }
    if request.method == "POST":
        handler = PERSON_FORMS.get(request.POST.get("form", ""), _override)
        try:
            handler(request, person, page)
        except PermissionError as exc:
            raise PermissionDenied(str(exc)) from None
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            actions.recompute_persons([person.pk])
            return redirect("healthcode:person", person.pk)
    audit.record_access(request.user, person, "health code", request)
    return render(
        request,
        "healthcode/person.html",
        {
            "person": person,
            "code": code,
            "history": lists.paginate(
                request,
                CodeChange.objects.filter(person=person).order_by("-at", "-pk"),
                per_page=20,
                prefix="h",
            ),
            "overrides": lists.paginate(
                request,
                CodeOverride.objects.filter(person=person).order_by("-at", "-pk"),
                per_page=20,
                prefix="o",
            ),
            **page,
            "can_override": request.user.may("healthcode.codeoverride", "add"),  # type: ignore[union-attr]
            "personal_link": request.build_absolute_uri(
                reverse("healthcode:my_code", args=[tokens.personal_token(person.pk)])
            ),
        },
    )
