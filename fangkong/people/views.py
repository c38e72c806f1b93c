from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from fangkong.core import audit, picking
from fangkong.core import listing as lists
from fangkong.core.access import record, require
from fangkong.core.querysets import can_access
from fangkong.geo.picker import JurisdictionField
from fangkong.people import actions, exports, rules, search
from fangkong.people.choices import PROTECTED_FIELDS, Sex
from fangkong.people.filters import PARAMS, filtered_persons
from fangkong.people.forms import MergeForm, PersonForm
from fangkong.people.models import Person
from fangkong.people.pagination import keyset_page


def _get(request: HttpRequest, pk: int, action: str = "view") -> Person:
    return record(request.user, Person.objects.select_related("node", "household"), pk, action)


def _params(source) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {k: str(source.get(k, "")).strip() for k in PARAMS}


def _query(params: dict[str, str]) -> str:
    return urlencode({k: v for k, v in params.items() if v})


@login_required
@require_http_methods(["GET", "POST"])
def person_list(request: HttpRequest) -> HttpResponse:
    """The search box posts: an ID or phone becomes a short-lived search handle (`s`), so
    the results' address, pager and export links carry no number (people/search.py)."""
    require(request.user, "view", Person)
    if request.method == "POST":
        params = _params(request.POST)
        if params["q"]:  # a new term replaces the number searched before
            params["s"] = ""
        if search.personal_kind(params["q"]):
            params["s"], params["q"] = search.make_handle(params["q"]) or "", ""
        target = reverse("people:list") + "?" + _query(params)
        if not request.headers.get("HX-Request"):
            return redirect(target, permanent=False)
        response = _render_list(request, params, None)
        response["HX-Push-Url"] = target
        return response
    params = _params(request.GET)
    if search.personal_kind(params["q"]):
        # A number typed into the address: refuse rather than search (it is in the logs).
        response = render(request, "people/list.html", _list_context(request, params, None))
        response.status_code = 400
        return response
    after = request.GET.get("after")
    return _render_list(request, params, int(after) if after and after.isdigit() else None)


def _node_field(request: HttpRequest) -> JurisdictionField:
    field = JurisdictionField(required=False)
    field.user = request.user
    return field


def _resolve_node(request: HttpRequest, params: dict[str, str]) -> str:
    """The jurisdiction filter is typed as a name (花园社区) or chosen from the picker's
    list; the filter itself takes the division's code. Returns an error to show, if any."""
    try:
        params["node"] = _node_field(request).clean(params["node"])
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


def _list_context(request: HttpRequest, params: dict[str, str], page) -> dict:  # type: ignore[no-untyped-def]
    shown = {**params, "q": "" if search.personal_kind(params["q"]) else params["q"]}
    field = _node_field(request)
    return {
        "node_input": field.widget.render(
            "node", params["node"], {"id": "id_node", "aria-label": _("Jurisdiction")}
        ),
        "page": page,
        "params": shown,
        "query": _query(shown),
        "number_in_address": page is None,
        "expired": bool(params["s"]) and search.read_handle(params["s"]) is None,
        "sexes": Sex.choices,
        "can_add": request.user.may("people.person", "add"),  # type: ignore[union-attr]
        "can_export": request.user.may("people.person", "export"),  # type: ignore[union-attr]
    }


def _render_list(request: HttpRequest, params: dict[str, str], after: int | None) -> HttpResponse:
    node_error = _resolve_node(request, params) if params["node"] else ""
    qs = filtered_persons(request.user, params).select_related("node")
    if node_error:
        qs = qs.none()
    page = keyset_page(qs, after, 50)
    page.total = qs.count()
    page.first = qs.filter(pk__lte=after).count() + 1 if after else 1
    audit.record_bulk_read(
        request.user,
        "people.person",
        {**search.audit_filters(params), "after": after},
        len(page.items),
        request,
    )
    template = "people/list.html#rows" if request.headers.get("HX-Request") else "people/list.html"
    return render(
        request, template, {**_list_context(request, params, page), "node_error": node_error}
    )


@login_required
@never_cache
def person_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as XLSX (masking policy of rules.py); the export itself is
    audited, and never kept in a cache."""
    require(request.user, "export", "people.person")
    params = _params(request.GET)
    if search.personal_kind(params["q"]):
        return HttpResponse(status=400)
    qs = filtered_persons(request.user, params)
    audit.record_export(
        request.user, "people.person", search.audit_filters(params), qs.count(), request
    )
    return lists.download(exports.person_workbook(qs), "persons.xlsx")


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "add", "people.person")
    similar: list[Person] = []
    similar_elsewhere = False
    existing = None
    node = getattr(request.user, "node", None)
    # A grid worker or a village registers into their own place unless they pick another.
    mine = node.code if node is not None and node.level in rules.HOME_LEVELS else ""
    form = PersonForm(request.POST or None, initial={"node_code": mine})
    picking.set_user(form, request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person, similar = actions.register_person(
                request.user, form.action_data(), form.cleaned_data["confirm_similar"]
            )
        except actions.DuplicatePerson as exc:
            existing = exc.existing if can_access(request.user, exc.existing) else None
            if existing is None:
                form.add_error("id_number", actions.id_elsewhere_message())
            else:
                form.add_action_errors(exc)
        except ValidationError as exc:
            form.add_action_errors(exc)
        else:
            if person.pk:
                messages.success(request, _("Registered %s.") % person.name)
                return redirect(person)
            similar, similar_elsewhere = actions.within_reach(request.user, similar)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "similar": similar,
            "similar_elsewhere": similar_elsewhere,
            "existing": existing,
            "creating": True,
        },
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
        "birth_date": person.shown_birth_date,
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
    picking.set_user(form, request.user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_person(
                request.user,
                person,
                form.action_data(changed_only=True),
                form.cleaned_data["version"],
            )
        except actions.DuplicatePerson as exc:
            if can_access(request.user, exc.existing):
                form.add_action_errors(exc)
            else:
                form.add_error("id_number", actions.id_elsewhere_message())
        except ValidationError as exc:
            form.add_action_errors(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(person)
    return render(request, "people/form.html", {"form": form, "person": person, "creating": False})


@login_required
def person_merge(request: HttpRequest, pk: int) -> HttpResponse:
    survivor = _get(request, pk, "merge")
    form = MergeForm(request.POST or None, survivor=survivor)
    picking.set_user(form, request.user)
    absorbed = None
    if request.method == "POST" and form.is_valid():
        absorbed = form.cleaned_data["absorbed"]
        if request.POST.get("confirm"):
            try:
                actions.merge_persons(request.user, survivor, absorbed)
            except ValidationError as exc:
                form.add_error("absorbed", exc.messages)
            else:
                messages.success(request, _("Merged record %d into this one.") % absorbed.pk)
                return redirect(survivor)
    return render(
        request, "people/merge.html", {"form": form, "person": survivor, "absorbed": absorbed}
    )


@login_required
@require_POST
@never_cache
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
