from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.core import audit
from fangkong.core.querysets import allows, can_access
from fangkong.people import actions, exports
from fangkong.people.choices import PROTECTED_FIELDS, Sex
from fangkong.people.filters import filtered_persons
from fangkong.people.forms import MergeForm, PersonForm
from fangkong.people.models import Person
from fangkong.people.pagination import keyset_page


def _get(request: HttpRequest, pk: int, action: str = "view") -> Person:
    return get_object_or_404(
        Person.objects.restrict(request.user, action).select_related("node", "household"), pk=pk
    )


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    if not allows(request.user, Person, "view"):
        raise PermissionDenied  # roles without registry work (supplies, organisation)
    params = {k: request.GET.get(k, "") for k in ("q", "node", "sex", "tag")}
    after = request.GET.get("after")
    qs = filtered_persons(request.user, params).select_related("node")
    page = keyset_page(qs, int(after) if after and after.isdigit() else None, 50)
    query = "&".join(f"{k}={v}" for k, v in params.items() if v)
    template = "people/list.html#rows" if request.headers.get("HX-Request") else "people/list.html"
    return render(
        request,
        template,
        {
            "page": page,
            "params": params,
            "query": query,
            "sexes": Sex.choices,
            "can_add": request.user.may("people.person", "add"),  # type: ignore[union-attr]
            "can_export": request.user.may("people.person", "export"),  # type: ignore[union-attr]
        },
    )


@login_required
def person_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as XLSX (masked identity columns); the export itself is audited."""
    if not request.user.may("people.person", "export"):  # type: ignore[union-attr]
        raise PermissionDenied
    params = {k: request.GET.get(k, "") for k in ("q", "node", "sex", "tag")}
    qs = filtered_persons(request.user, params)
    audit.record_export(request.user, "people.person", params, qs.count(), request)
    response = HttpResponse(
        exports.person_workbook(qs),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="persons.xlsx"'
    return response


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    if not request.user.may("people.person", "add"):  # type: ignore[union-attr]
        raise PermissionDenied
    similar: list[Person] = []
    existing = None
    form = PersonForm(
        request.POST or None,
        initial={"node_code": getattr(getattr(request.user, "node", None), "code", "")},
    )  # type: ignore[union-attr]
    if request.method == "POST" and form.is_valid():
        try:
            person, similar = actions.register_person(
                request.user, form.action_data(), form.cleaned_data["confirm_similar"]
            )
        except actions.DuplicatePerson as exc:
            existing = exc.existing if can_access(request.user, exc.existing) else None
            form.add_action_errors(exc)
        except ValidationError as exc:
            form.add_action_errors(exc)
        else:
            if person.pk:
                messages.success(request, _("Registered %s.") % person.name)
                return redirect(person)
    return render(
        request,
        "people/form.html",
        {"form": form, "similar": similar, "existing": existing, "creating": True},
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _get(request, pk)
    actions.record_view(request.user, person, request)
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "can_reveal": can_access(request.user, person, "reveal"),
            "can_change": can_access(request.user, person, "change"),
            "can_merge": can_access(request.user, person, "merge"),
            "absorbed": person.absorbed.all(),
            "can_audit": request.user.may("auditlog.logentry", "view"),  # type: ignore[union-attr]
        },
    )


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _get(request, pk, "change")
    initial = {
        "name": person.name,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "doc_type": person.doc_type,
        "node_code": person.node.code,
        "address": person.address,
        "household_number": person.household.number if person.household else "",
        "registered_residence": person.registered_residence,
        "occupation": person.occupation,
        "workplace": person.workplace,
        "tags": person.tags.replace(",", ", "),
        "version": person.version,
    }
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_person(
                request.user,
                person,
                form.action_data(changed_only=True),
                form.cleaned_data["version"],
            )
        except ValidationError as exc:
            form.add_action_errors(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(person)
    return render(request, "people/form.html", {"form": form, "person": person, "creating": False})


@login_required
def person_merge(request: HttpRequest, pk: int) -> HttpResponse:
    survivor = _get(request, pk, "merge")
    form = MergeForm(request.POST or None)
    absorbed = None
    if request.method == "POST" and form.is_valid():
        absorbed = (
            Person.objects.restrict(request.user, "merge")
            .filter(pk=form.cleaned_data["absorbed_id"])
            .first()
        )
        if absorbed is None:
            form.add_error("absorbed_id", _("no such record in your area"))
        elif request.POST.get("confirm"):
            try:
                actions.merge_persons(request.user, survivor, absorbed)
            except ValidationError as exc:
                form.add_error("absorbed_id", exc.messages)
            else:
                messages.success(request, _("Merged record %d into this one.") % absorbed.pk)
                return redirect(survivor)
    return render(
        request, "people/merge.html", {"form": form, "person": survivor, "absorbed": absorbed}
    )


@login_required
@require_POST
def person_reveal(request: HttpRequest, pk: int, field: str) -> HttpResponse:
    """htmx: swap the masked value for the full one (audited)."""
    if field not in PROTECTED_FIELDS:
        raise Http404
    person = _get(request, pk)
    try:
        value = actions.reveal(request.user, person, field, request)
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from exc
    if not value:
        return HttpResponse('<span class="muted">—</span>')
    return HttpResponse(
        format_html('<span class="revealed" data-field="{}">{}</span>', field, value)
    )
