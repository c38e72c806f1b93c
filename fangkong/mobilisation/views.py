"""Staff pages: organisations, units, members, registrations, posts and rosters, rest
rules, figures. Every read goes through `restrict`; a record of another jurisdiction
is a 404."""

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from fangkong.core import clock
from fangkong.core import listing as lists
from fangkong.core.access import invalid, record, require, shown_division
from fangkong.core.forms import create_page, posted
from fangkong.geo.models import Division
from fangkong.mobilisation import figures, roster
from fangkong.mobilisation.actions import members as members_actions
from fangkong.mobilisation.actions import organisations, registration, rosters
from fangkong.mobilisation.choices import RegistrationStatus
from fangkong.mobilisation.forms import (
    MemberForm,
    OrganisationForm,
    PlanForm,
    PostForm,
    RestRulesForm,
    UnitForm,
)
from fangkong.mobilisation.models import (
    Member,
    PartyOrganisation,
    Post,
    Registration,
    RestRuleSet,
    Unit,
)
from fangkong.mobilisation.querysets import phone_index
from fangkong.people import search as people_search


def _user(request: HttpRequest) -> Any:
    return request.user


def _scope_node(request: HttpRequest) -> Division:
    """The node the page looks at: ?node=<code> within the user's subtree, else the
    user's own node (the root for a superuser without one)."""
    return shown_division(_user(request), (request.GET.get("node") or "").strip()[:24])


def _node(user: Any, code: str) -> Division:
    node = Division.objects.restrict(user, "view").filter(code=(code or "").strip()).first()
    if node is None:
        raise invalid("node_code", _("No jurisdiction with this code in your area."))
    return node


def _pick(user: Any, model: Any, pk: Any, field: str) -> Any:
    if not pk:
        return None
    obj = model.objects.restrict(user, "view").filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: [_("No such record in your area.")]})
    return obj


def _day(request: HttpRequest) -> dt.date:
    try:
        day = dt.date.fromisoformat(request.GET.get("day", "")[:10])
    except ValueError:
        return clock.today()
    return day if dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31) else clock.today()


def _node_list(request: HttpRequest, model: Any, shape: Callable[[Any], Any]) -> dict:
    """A list page of records placed at nodes: the node looked at, its records (shaped by
    `shape`), filtered by name and paged, and whether the user may add one."""
    label = model._meta.label_lower
    require(request.user, "view", label)
    node = _scope_node(request)
    rows = shape(model.objects.restrict(_user(request), "view").under(node))
    listing = lists.paginate(request, rows.order_by("path", "pk"), lists.Filters(name=("name",)))
    return {"node": node, "listing": listing, "can_add": _user(request).may(label, "add")}


def _edit(
    request: HttpRequest,
    pk: int | None,
    model: Any,
    form_class: Any,
    initial_of: Callable[[Any], dict],
    save: Callable[[Any, Any, dict], Any],
    done: Callable[[Any], str],
    title: str,
    blank: dict | None = None,
) -> HttpResponse:
    """The form page that adds a record (`pk` None, started at the user's node) or
    changes one of the user's area; `save(user, obj, data)` calls the action and `done`
    names where a saved record leads."""
    user = _user(request)
    obj = None
    if pk is None:
        require(user, "add", model._meta.label_lower)
        initial = {"node_code": getattr(user.node, "code", ""), **(blank or {})}
    else:
        obj = record(user, model.objects, pk, "change")
        initial = initial_of(obj)
    form = form_class(request.POST or None, initial=initial)
    if saved := posted(request, form, lambda d: save(user, obj, d), _("Saved.")):
        return redirect(done(saved))
    return render(request, "mobilisation/form.html", {"form": form, "title": title})


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", "mobilisation.member")
    node = _scope_node(request)
    day = _day(request)
    values = figures.compute(node.path, day)
    return render(
        request,
        "mobilisation/overview.html",
        {"node": node, "day": day, "figures": figures.labelled(values)},
    )


# Organisations and units ------------------------------------------------------------------


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    context = _node_list(
        request,
        PartyOrganisation,
        lambda qs: qs.select_related("node", "unit", "parent", "secretary").annotate(
            n_members=Count("members", distinct=True),
            n_registered=Count(
                "members", filter=Q(members__community__isnull=False), distinct=True
            ),
        ),
    )
    return render(
        request, "mobilisation/organisations.html", {**context, "orgs": context["listing"]}
    )


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    org = record(
        user, PartyOrganisation.objects.select_related("node", "unit", "parent", "secretary"), pk
    )
    members = Member.objects.restrict(user, "view").filter(organisation=org)
    children = PartyOrganisation.objects.restrict(user, "view").filter(parent=org)
    return render(
        request,
        "mobilisation/organisation.html",
        {
            "org": org,
            "members": lists.paginate(request, members.select_related("community")),
            "n_members": members.count(),
            "children": children,
            "can_change": user.may("mobilisation.partyorganisation", "change"),
        },
    )


@login_required
def organisation_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    def save(user: Any, org: Any, d: dict) -> PartyOrganisation:
        return organisations.save_organisation(
            user,
            org,
            name=d["name"],
            kind=d["kind"],
            node=_node(user, d["node_code"]),
            parent=_pick(user, PartyOrganisation, d["parent"], "parent"),
            unit=_pick(user, Unit, d["unit"], "unit"),
            secretary=_pick(user, Member, d["secretary"], "secretary"),
        )

    return _edit(
        request,
        pk,
        PartyOrganisation,
        OrganisationForm,
        lambda org: {
            "name": org.name,
            "kind": org.kind,
            "node_code": org.node.code,
            "parent": org.parent_id,
            "unit": org.unit_id,
            "secretary": org.secretary_id,
        },
        save,
        lambda org: reverse("mobilisation:organisation", args=[org.pk]),
        _("Party organisation"),
    )


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    context = _node_list(
        request,
        Unit,
        lambda qs: qs.select_related("node").annotate(n_members=Count("members")),
    )
    return render(request, "mobilisation/units.html", {**context, "units": context["listing"]})


@login_required
def unit_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _edit(
        request,
        pk,
        Unit,
        UnitForm,
        lambda unit: {
            "name": unit.name,
            "kind": unit.kind,
            "node_code": unit.node.code,
            "address": unit.address,
        },
        lambda user, unit, d: organisations.save_unit(
            user,
            unit,
            name=d["name"],
            kind=d["kind"],
            node=_node(user, d["node_code"]),
            address=d["address"],
        ),
        lambda _unit: reverse("mobilisation:units"),
        _("Unit"),
    )


# Members ------------------------------------------------------------------------------------


MEMBER_SEARCH = "fangkong.mobilisation.search"


@login_required
@require_http_methods(["GET", "POST"])
def member_list(request: HttpRequest) -> HttpResponse:
    """The search box posts: a phone number becomes a short-lived handle (`s`) holding its
    blind index, so no number sits in the address, the pager or the access log."""
    require(request.user, "view", "mobilisation.member")
    if request.method == "POST":
        params = {k: (request.POST.get(k) or "").strip()[:50] for k in ("node", "q", "kind", "s")}
        if params["q"]:
            params["s"] = ""
        if people_search.personal_kind(params["q"]) == "phone":
            params["s"] = people_search.sign("phone", phone_index(params["q"]), MEMBER_SEARCH)
            params["q"] = ""
        query = urlencode({k: v for k, v in params.items() if v})
        return redirect(reverse("mobilisation:members") + "?" + query)
    node = _scope_node(request)
    q = (request.GET.get("q") or "").strip()[:50]
    handle = (request.GET.get("s") or "").strip()
    kind = request.GET.get("kind", "")
    refused = bool(people_search.personal_kind(q))
    qs = (
        Member.objects.restrict(_user(request), "view")
        .filter(path__startswith=node.path)
        .search("" if refused else q)
        .select_related("organisation", "unit", "community")
    )
    if refused:
        qs = qs.none()
    if handle:
        found = people_search.read_handle(handle, MEMBER_SEARCH)
        qs = qs.filter(phone_index=found[1]) if found else qs.none()
    if kind in members_actions.MEMBER_FLAGS:
        qs = qs.filter(**{kind: True})
    rows = lists.paginate(request, qs.order_by("pk"))
    response = render(
        request,
        "mobilisation/members.html",
        {
            "node": node,
            "members": rows,
            "listing": rows,
            "q": "" if refused else q,
            "s": handle,
            "refused": refused,
            "kind": kind,
            "can_add": _user(request).may("mobilisation.member", "add"),
        },
    )
    if refused:
        response.status_code = 400
    return response


@login_required
@never_cache  # answers a reveal: never kept in a cache
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    member = record(user, Member.objects.select_related("organisation", "unit", "community"), pk)
    phone = None
    if request.method == "POST" and request.POST.get("reveal") == "phone":
        try:
            phone = members_actions.reveal_phone(user, member, request)
        except PermissionDenied:
            messages.error(request, _("Your role may not see the full phone number."))
    return render(
        request,
        "mobilisation/member.html",
        {
            "member": member,
            "phone": phone,
            # Every registration and shift, paged with totals (were the last 20 and 60).
            "registrations": lists.paginate(
                request,
                member.registrations.select_related("community").order_by("-created_at", "-pk"),
                prefix="r",
            ),
            "assignments": lists.paginate(
                request,
                member.assignments.select_related("shift__post").order_by("-starts_at", "-pk"),
                prefix="a",
            ),
            "can_reveal": user.may("mobilisation.member", "reveal"),
            "can_change": user.may("mobilisation.member", "change"),
        },
    )


MEMBER_FIELDS = ("name", "cadre_rank", "skills", "health_status", *members_actions.MEMBER_FLAGS)


@login_required
def member_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    def save(user: Any, member: Any, d: dict) -> Member:
        return members_actions.save_member(
            user,
            member,
            d,
            node=_node(user, d["node_code"]) if d["node_code"] else None,
            organisation=_pick(user, PartyOrganisation, d["organisation"], "organisation"),
            unit=_pick(user, Unit, d["unit"], "unit"),
        )

    return _edit(
        request,
        pk,
        Member,
        MemberForm,
        lambda member: (
            {f: getattr(member, f) for f in MEMBER_FIELDS}
            | {"organisation": member.organisation_id, "unit": member.unit_id}
        ),
        save,
        lambda member: reverse("mobilisation:member", args=[member.pk]),
        _("Member"),
    )


# Registrations --------------------------------------------------------------------------------


@login_required
def registration_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", "mobilisation.registration")
    user = _user(request)
    node = _scope_node(request)
    status = request.GET.get("status", RegistrationStatus.PENDING)
    if status not in RegistrationStatus.values:
        status = RegistrationStatus.PENDING
    regs = (
        Registration.objects.restrict(user, "view")
        .filter(path__startswith=node.path, status=status)
        .select_related("member", "community")
    )
    listing = lists.paginate(
        request,
        regs,
        lists.Filters(name=("member__name", "community__name"), date="created_at"),
    )
    return render(
        request,
        "mobilisation/registrations.html",
        {
            "node": node,
            "regs": listing,
            "listing": listing,
            "status": status,
            "statuses": RegistrationStatus.choices,
            "can_decide": user.may("mobilisation.registration", "decide"),
        },
    )


@login_required
@require_POST
def registration_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    reg = record(user, Registration.objects, pk)
    try:
        if request.POST.get("decision") == "confirm":
            registration.confirm(user, reg)
            messages.success(request, _("%(name)s is confirmed.") % {"name": reg.member.name})
        else:
            registration.decline(user, reg, request.POST.get("reason", ""))
            messages.success(request, _("Declined."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:
        messages.error(request, _("Your role may not decide registrations."))
    return redirect("mobilisation:registrations")


# Posts and rosters ------------------------------------------------------------------------------


@login_required
def post_list(request: HttpRequest) -> HttpResponse:
    context = _node_list(request, Post, lambda qs: qs.select_related("node"))
    day = _day(request)
    return render(
        request,
        "mobilisation/posts.html",
        {**context, "day": day, "rows": roster.staffing(context["listing"].rows, day)},
    )


POST_FIELDS = ("name", "kind", "required_per_shift", "shift_hours", "first_shift_hour")


@login_required
def post_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _edit(
        request,
        pk,
        Post,
        PostForm,
        lambda post: (
            {f: getattr(post, f) for f in POST_FIELDS}
            | {"node_code": post.node.code, "active": post.active}
        ),
        lambda user, post, d: rosters.save_post(
            user, post, node=_node(user, d["node_code"]), data=d
        ),
        lambda post: reverse("mobilisation:roster", args=[post.pk]),
        _("Post"),
        blank={"active": True},
    )


@login_required
def post_roster(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    post = record(user, Post.objects.select_related("node"), pk)
    day = _day(request)
    plan = PlanForm(request.POST or None, initial={"first_day": day, "days": 7}, prefix="plan")
    warning = None
    chosen: dict[str, Any] = {}
    if request.method == "POST":
        if "plan-days" in request.POST:
            if plan.is_valid():
                try:
                    made = rosters.plan_shifts(
                        user, post, plan.cleaned_data["first_day"], plan.cleaned_data["days"]
                    )
                    messages.success(request, _("%(n)s shifts planned.") % {"n": len(made)})
                    return redirect(f"{request.path}?day={plan.cleaned_data['first_day']}")
                except ValidationError as exc:
                    plan.add_action_errors(exc)
                except PermissionDenied:
                    messages.error(request, _("Your role may not plan shifts."))
        else:
            warning, chosen = roster.handle_post(request, user, post)
            if warning is None:
                return redirect(f"{request.path}?day={day}")
    return render(
        request,
        "mobilisation/roster.html",
        {
            "post": post,
            "day": day,
            "prev": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
            "shifts": roster.day_shifts(post, day),
            "candidates": roster.candidates(user, post),
            "plan": plan,
            "warning": warning,
            "chosen": chosen,
            "can_roster": user.may("mobilisation.assignment", "add"),
            "can_plan": user.may("mobilisation.shift", "add"),
            "ppe": roster.ppe_choices(user, post),
        },
    )


# Rest rules ----------------------------------------------------------------------------------------


@login_required
def rest_rules(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = RestRulesForm(request.POST or None)
    return create_page(
        request,
        "mobilisation.restruleset",
        form,
        lambda d: rosters.add_rest_rules(user, d),
        _("Saved."),
        lambda _rules: ("mobilisation:rules",),
        "mobilisation/rules.html",
        lambda: {
            # Every dated rule set, paged with the total (were the last 50).
            "sets": lists.paginate(request, RestRuleSet.objects.order_by("-effective_from", "-pk")),
            "in_force": RestRuleSet.in_force(),
            "form": form if user.may("mobilisation.restruleset", "add") else None,
        },
    )
