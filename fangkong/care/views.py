"""Staff pages of care. Every read goes through `.restrict(user, action)`; a record
outside the user's area is a 404, like one that does not exist."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from fangkong.care import actions, forms
from fangkong.care.choices import DeedStatus
from fangkong.care.models import Deed, DeedPhoto, Difficulty
from fangkong.core import clock, picking
from fangkong.core import listing as lists
from fangkong.core.access import chosen_division, record, require
from fangkong.core.forms import bound_to, create_page, dispatch, flashed, posted, run_action
from fangkong.core.querysets import can_access
from fangkong.geo.models import Division


@login_required
def difficulties(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require(request.user, "view", "care.difficulty")
    filters = forms.FilterForm(request.GET or None)
    qs = Difficulty.objects.restrict(user).select_related("category", "node", "owner")
    if filters.is_valid():
        if filters.cleaned_data["state"]:
            qs = qs.in_state(filters.cleaned_data["state"])
        if filters.cleaned_data["category"]:
            qs = qs.filter(category__code=filters.cleaned_data["category"])
    form = forms.ReportForm(request.POST or None, user=user)
    if request.method == "POST":
        require(request.user, "add", "care.difficulty")
        if form.is_valid():
            data = form.cleaned_data
            code = data.pop("node_code")
            node = Division.objects.restrict(user).filter(code=code).first() if code else None
            d = run_action(
                request,
                form,
                lambda: actions.report_difficulty(user, node=node, **data),
                _("Difficulty recorded."),
            )
            if d:
                return redirect("care:difficulty", d.pk)
    return render(
        request,
        "care/difficulties.html",
        {
            "items": (listing := lists.paginate(request, qs)),
            "listing": listing,
            "filters": filters,
            "form": form,
            "totals": Difficulty.objects.restrict(user).totals(),
            "can_add": user.may("care.difficulty", "add"),
        },
    )


@login_required
@never_cache  # answers a reveal: never kept in a cache
def difficulty(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    d = record(user, Difficulty.objects.select_related("category", "node", "owner", "member"), pk)
    owners = (
        get_user_model()
        .objects.filter(
            is_active=True,
            node__path__in=[d.path[: i + 1] for i, c in enumerate(d.path) if c == "/"],
        )
        .order_by("username")
    )
    owner_form = forms.OwnerForm(bound_to(request, "owner"), owners=owners)
    solve_form = forms.SolveForm(bound_to(request, "solve"))
    revealed: list[str] = []

    def reveal() -> None:  # shows the number on this page, no redirect
        require(request.user, "reveal", "care.difficulty")
        revealed.append(actions.reveal_phone(user, d, request))

    handlers = {
        "reveal": reveal,
        "owner": lambda: posted(
            request,
            owner_form,
            lambda c: actions.assign_owner(user, d, c["owner"]),
            _("Owner assigned."),
        ),
        "take": lambda: flashed(
            request, lambda: actions.take_in_hand(user, d), _("Taken in hand.")
        ),
        "solve": lambda: posted(
            request,
            solve_form,
            lambda c: actions.solve(user, d, c["solution"]),
            _("Marked solved."),
        ),
    }
    if request.method == "POST":
        require(request.user, "change", "care.difficulty")
        if dispatch(request, handlers, strict=False):
            return redirect("care:difficulty", d.pk)
    return render(
        request,
        "care/difficulty.html",
        {
            "d": d,
            "owner_form": owner_form,
            "solve_form": solve_form,
            "can_change": user.may("care.difficulty", "change"),
            "can_reveal": user.may("care.difficulty", "reveal"),
            "revealed": "".join(revealed),
        },
    )


@login_required
def levels(request: HttpRequest) -> HttpResponse:
    """Open, overdue and solved difficulties per child node, rolled up."""
    user: Any = request.user
    require(request.user, "view", "care.difficulty")
    code = request.GET.get("node", "")[:24]
    nodes = Division.objects.restrict(user)
    node = nodes.filter(code=code).first() if code else user.node
    if node is None:
        node = nodes.filter(level="city").first()
    if node is None or not can_access(user, node):
        raise Http404
    children = list(Division.objects.filter(parent=node).order_by("code"))
    counts = Difficulty.objects.restrict(user).level_counts(node, children)
    rows = [{"node": c, **counts[c.code]} for c in children]
    # The subtree is the children's subtrees plus the node itself: no second scan.
    at_node = Difficulty.objects.restrict(user).filter(path=node.path).totals()
    total = {
        k: sum(counts[c.code][k] for c in children) + at_node[k]
        for k in ("open", "overdue", "solved")
    }
    # "Up" only where the account may go: above its own node the page is a 404.
    parent = node.parent
    up = parent if parent is not None and can_access(user, parent) else None
    return render(
        request, "care/levels.html", {"node": node, "rows": rows, "total": total, "up": up}
    )


DEED_FILTERS = lists.Filters(
    name=("title", "hero_name"),
    node="path",
    status=("status", DeedStatus.choices),
    date="created_at",
)


@login_required
def deeds(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = forms.DeedForm(
        request.POST or None,
        request.FILES or None,
        initial={"node_code": user.node.code if user.node else ""},
    )
    picking.set_user(form, user)

    def submit(d: dict) -> Any:
        deed = {k: v for k, v in d.items() if k != "node_code"}
        return actions.submit_deed(user, chosen_division(user, d["node_code"]), **deed)

    def listed() -> dict[str, Any]:
        qs = Deed.objects.restrict(user).select_related("node")
        items = lists.paginate(request, qs, DEED_FILTERS)
        return {"items": items, "listing": items, "can_add": user.may("care.deed", "add")}

    return create_page(
        request,
        "care.deed",
        form,
        submit,
        _("Deed submitted for review."),
        lambda deed: ("care:deed", deed.pk),
        "care/deeds.html",
        listed,
    )


@login_required
def deed(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    d = record(user, Deed.objects.select_related("node", "member", "organisation"), pk)
    review_form = forms.ReviewForm(bound_to(request, "review"))
    edit_form = forms.DeedForm(
        bound_to(request, "edit"),
        request.FILES if bound_to(request, "edit") else None,
        initial={
            "title": d.title,
            "text": d.text,
            "hero_name": d.hero_name,
            "node_code": d.node.code,
        },
    )
    picking.set_user(edit_form, user)
    commend_form = None
    if user.may("care.deed", "review") and d.is_published and not d.commendation_id:
        commend_form = forms.CommendForm(
            bound_to(request, "commend"),
            initial={"decided_on": clock.today(), "title": "", "reason": d.title},
        )

    def review() -> Any:
        require(request.user, "review", "care.deed")
        return posted(
            request,
            review_form,
            lambda c: actions.review_deed(user, d, c["decision"], c["reason"]),
            _("Review recorded."),
        )

    def edit(c: dict) -> Any:
        actions.edit_deed(user, d, title=c["title"], text=c["text"], hero_name=c["hero_name"])
        if c["photos"]:
            actions.add_photos(user, d, c["photos"])
        return d

    def edited() -> Any:
        require(request.user, "add", "care.deed")
        return posted(request, edit_form, edit, _("Deed saved and sent back to review."))

    handlers = {"review": review, "edit": edited}
    if commend_form is not None:
        handlers["commend"] = lambda: posted(
            request,
            commend_form,
            lambda c: actions.commend_deed(user, d, **c),
            _("Commendation recorded."),
        )
    if request.method == "POST" and dispatch(request, handlers):
        return redirect("care:deed", d.pk)
    return render(
        request,
        "care/deed.html",
        {
            "d": d,
            "photos": d.photos.all(),
            "review_form": review_form,
            "edit_form": edit_form,
            "commend_form": commend_form,
            "can_review": user.may("care.deed", "review"),
            "can_edit": user.may("care.deed", "add") and d.status in ("submitted", "returned"),
        },
    )


def photo_response(photo: DeedPhoto, public: bool) -> FileResponse:
    response = FileResponse(photo.image.open("rb"), content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response


@login_required
def photo(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    """A deed's photo for staff who may see the deed (before and after publication)."""
    d = record(request.user, Deed.objects, pk)
    return photo_response(get_object_or_404(d.photos, pk=photo_pk), public=False)


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    """The dated care rules and the categories of difficulty."""
    from fangkong.care.models import CareRules, Category

    user: Any = request.user
    require(request.user, "view", "care.carerules")
    current = actions.rules_on()
    form = forms.RulesForm(
        None,
        initial={
            "effective_from": clock.today(),
            **{
                f: getattr(current, f)
                for f in ("solve_days", "photo_max_kb", "photos_per_deed", "reports_per_hour")
            },
        },
    )
    cat_form = forms.CategoryForm(None)
    if request.method == "POST":
        if request.POST.get("verb") == "category":
            require(request.user, "change", "care.category")
            cat_form = forms.CategoryForm(request.POST)
            saved = _("Category saved.")
            if posted(request, cat_form, lambda d: actions.save_category(user, **d), saved):
                return redirect("care:rules")
        else:
            require(request.user, "add", "care.carerules")
            form = forms.RulesForm(request.POST)
            if posted(request, form, lambda d: actions.add_rules(user, **d), _("Rule set added.")):
                return redirect("care:rules")
    return render(
        request,
        "care/rules.html",
        {
            # Every dated rule set, paged with the total (were the last 50).
            "sets": lists.paginate(request, CareRules.objects.order_by("-effective_from", "-pk")),
            "current": current,
            "form": form,
            "cat_form": cat_form,
            "categories": Category.objects.all(),
            "can_add": user.may("care.carerules", "add"),
            "can_categories": user.may("care.category", "change"),
        },
    )
