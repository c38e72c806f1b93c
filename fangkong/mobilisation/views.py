"""Staff pages: organisations, units, members, registrations, posts and rosters, rest
rules, figures. Every read goes through `restrict`; a record of another jurisdiction
is a 404."""

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from fangkong.core import clock
from fangkong.core import listing as lists
from fangkong.core.access import invalid, require
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
    user = _user(request)
    code = (request.GET.get("node") or "").strip()[:24]
    visible = Division.objects.restrict(user, "view")
    if code:
        return get_object_or_404(visible, code=code)
    if user.node_id:
        return user.node
    root = visible.filter(parent__isnull=True).first()
    if root is None:
        raise Http404
    return root


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
    require(request.user, "view", "mobilisation.partyorganisation")
    node = _scope_node(request)
    orgs = (
        PartyOrganisation.objects.restrict(_user(request), "view")
        .filter(path__startswith=node.path)
        .select_related("node", "unit", "parent", "secretary")
        .annotate(
            n_members=Count("members", distinct=True),
            n_registered=Count(
                "members", filter=Q(members__community__isnull=False), distinct=True
            ),
        )
        .order_by("path", "pk")
    )
    listing = lists.paginate(request, orgs, lists.Filters(name=("name",)))
    return render(
        request,
        "mobilisation/organisations.html",
        {
            "node": node,
            "orgs": listing,
            "listing": listing,
            "can_add": _user(request).may("mobilisation.partyorganisation", "add"),
        },
    )


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    org = get_object_or_404(
        PartyOrganisation.objects.restrict(user, "view").select_related(
            "node", "unit", "parent", "secretary"
        ),
        pk=pk,
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
    user = _user(request)
    org = None
    if pk is not None:
        org = get_object_or_404(PartyOrganisation.objects.restrict(user, "change"), pk=pk)
        initial = {
            "name": org.name,
            "kind": org.kind,
            "node_code": org.node.code,
            "parent": org.parent_id,
            "unit": org.unit_id,
            "secretary": org.secretary_id,
        }
    else:
        require(request.user, "add", "mobilisation.partyorganisation")
        initial = {"node_code": getattr(user.node, "code", "")}
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            org = organisations.save_organisation(
                user,
                org,
                name=d["name"],
                kind=d["kind"],
                node=_node(user, d["node_code"]),
                parent=_pick(user, PartyOrganisation, d["parent"], "parent"),
                unit=_pick(user, Unit, d["unit"], "unit"),
                secretary=_pick(user, Member, d["secretary"], "secretary"),
            )
            messages.success(request, _("Saved."))
            return redirect("mobilisation:organisation", pk=org.pk)
        except ValidationError as exc:
            form.add_action_errors(exc)
    return render(
        request, "mobilisation/form.html", {"form": form, "title": _("Party organisation")}
    )


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", "mobilisation.unit")
    node = _scope_node(request)
    units = (
        Unit.objects.restrict(_user(request), "view")
        .filter(path__startswith=node.path)
        .select_related("node")
        .annotate(n_members=Count("members"))
        .order_by("path", "pk")
    )
    listing = lists.paginate(request, units, lists.Filters(name=("name",)))
    return render(
        request,
        "mobilisation/units.html",
        {
            "node": node,
            "units": listing,
            "listing": listing,
            "can_add": _user(request).may("mobilisation.unit", "add"),
        },
    )


@login_required
def unit_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _user(request)
    unit = None
    if pk is not None:
        unit = get_object_or_404(Unit.objects.restrict(user, "change"), pk=pk)
        initial = {
            "name": unit.name,
            "kind": unit.kind,
            "node_code": unit.node.code,
            "address": unit.address,
        }
    else:
        require(request.user, "add", "mobilisation.unit")
        initial = {"node_code": getattr(user.node, "code", "")}
    form = UnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            organisations.save_unit(
                user,
                unit,
                name=d["name"],
                kind=d["kind"],
                node=_node(user, d["node_code"]),
                address=d["address"],
            )
            messages.success(request, _("Saved."))
            return redirect("mobilisation:units")
        except ValidationError as exc:
            form.add_action_errors(exc)
    return render(request, "mobilisation/form.html", {"form": form, "title": _("Unit")})


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
    member = get_object_or_404(
        Member.objects.restrict(user, "view").select_related("organisation", "unit", "community"),
        pk=pk,
    )
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


@login_required
def member_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _user(request)
    member = None
    if pk is not None:
        member = get_object_or_404(Member.objects.restrict(user, "change"), pk=pk)
        initial = {
            f: getattr(member, f)
            for f in (
                "name",
                "cadre_rank",
                "skills",
                "health_status",
                *members_actions.MEMBER_FLAGS,
            )
        }
        initial |= {"organisation": member.organisation_id, "unit": member.unit_id}
    else:
        require(request.user, "add", "mobilisation.member")
        initial = {"node_code": getattr(user.node, "code", "")}
    form = MemberForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            node = _node(user, d["node_code"]) if d["node_code"] else None
            member = members_actions.save_member(
                user,
                member,
                d,
                node=node,
                organisation=_pick(user, PartyOrganisation, d["organisation"], "organisation"),
                unit=_pick(user, Unit, d["unit"], "unit"),
            )
            messages.success(request, _("Saved."))
            return redirect("mobilisation:member", pk=member.pk)
        except ValidationError as exc:
            form.add_action_errors(exc)
    return render(request, "mobilisation/form.html", {"form": form, "title": _("Member")})


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
    reg = get_object_or_404(Registration.objects.restrict(user, "view"), pk=pk)
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
    require(request.user, "view", "mobilisation.post")
    node = _scope_node(request)
    day = _day(request)
    posts = (
        Post.objects.restrict(_user(request), "view")
        .filter(path__startswith=node.path)
        .select_related("node")
        .order_by("path", "pk")
    )
    listing = lists.paginate(request, posts, lists.Filters(name=("name",)))
    return render(
        request,
        "mobilisation/posts.html",
        {
            "node": node,
            "day": day,
            "listing": listing,
            "rows": roster.staffing(listing.rows, day),
            "can_add": _user(request).may("mobilisation.post", "add"),
        },
    )


@login_required
def post_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _user(request)
    post = None
    if pk is not None:
        post = get_object_or_404(Post.objects.restrict(user, "change"), pk=pk)
        initial = {
            f: getattr(post, f)
            for f in ("name", "kind", "required_per_shift", "shift_hours", "first_shift_hour")
        }
        initial |= {"node_code": post.node.code, "active": post.active}
    else:
        require(request.user, "add", "mobilisation.post")
        initial = {"node_code": getattr(user.node, "code", ""), "active": True}
    form = PostForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            post = rosters.save_post(user, post, node=_node(user, d["node_code"]), data=d)
            messages.success(request, _("Saved."))
            return redirect("mobilisation:roster", pk=post.pk)
        except ValidationError as exc:
            form.add_action_errors(exc)
    return render(request, "mobilisation/form.html", {"form": form, "title": _("Post")})


@login_required
def post_roster(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    post = get_object_or_404(Post.objects.restrict(user, "view").select_related("node"), pk=pk)
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
    require(request.user, "view", "mobilisation.restruleset")
    user = _user(request)
    form = RestRulesForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "add", "mobilisation.restruleset")
        if form.is_valid():
            try:
                rosters.add_rest_rules(user, form.cleaned_data)
                messages.success(request, _("Saved."))
                return redirect("mobilisation:rules")
            except ValidationError as exc:
                form.add_action_errors(exc)
    return render(
        request,
        "mobilisation/rules.html",
        {
            # Every dated rule set, paged with the total (were the last 50).
            "sets": lists.paginate(request, RestRuleSet.objects.order_by("-effective_from", "-pk")),
            "in_force": RestRuleSet.in_force(),
            "form": form if user.may("mobilisation.restruleset", "add") else None,
        },
    )
