"""Pages about where addresses lead: aliases (town), grids' address keys (town), the
village's tasks not yet in a grid, moved to grids many at once (village staff), and a list
of residents registered, each placed by their address (field staff)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.core import listing as paging
from fangkong.core.access import division, record, require
from fangkong.core.picking import set_user
from fangkong.core.querysets import allows
from fangkong.geo.choices import KeyKind
from fangkong.geo.models import Division, GridAddressKey
from fangkong.geo.picker import JurisdictionField
from fangkong.people.models import Person
from fangkong.screening import placing, residents
from fangkong.screening.actions import saved_upload
from fangkong.screening.models import AddressAlias, ScreeningTask
from fangkong.screening.reads import audit_list
from fangkong.screening.views import TASK_FILTERS


class AliasForm(forms.Form):
    """The place is picked by name with its path (越城区 › 塔山街道 › 花园社区), searched
    in the user's whole area: no list of the first thousands of divisions."""

    text = forms.CharField(label=gettext_lazy("Name in addresses"), max_length=60)
    to = JurisdictionField(label=gettext_lazy("Place it means"), levels=placing.ALIASABLE)

    def __init__(self, *args, user=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        set_user(self, user)


ALIAS_FILTERS = paging.Filters(
    name=("text", "node__name"),
    name_label=gettext_lazy("Name in addresses"),
    node="path",
    date="created_at",
)
KEY_FILTERS = paging.Filters(
    name=("text", "grid__name"),
    name_label=gettext_lazy("Name in addresses"),
    node="path",
    status=("kind", KeyKind.choices),
)


@login_required
def aliases(request: HttpRequest) -> HttpResponse:
    """Aliases a town keeps (old names, natural villages, estates), with who and when."""
    require(request.user, "view", AddressAlias)
    can_add = allows(request.user, AddressAlias, "add")
    form = AliasForm(request.POST or None, user=request.user)
    if request.method == "POST":
        require(request.user, "add", AddressAlias)
        if "delete" in request.POST:
            pk = request.POST["delete"]
            alias = record(
                request.user,
                AddressAlias.objects,
                int(pk) if pk.isdigit() and len(pk) < 18 else 0,
                "delete",
            )
            placing.delete_alias(request.user, alias)
            messages.success(request, _("Deleted."))
            return redirect("screening:aliases")
        if form.is_valid():
            to = division(request.user, form.cleaned_data["to"])
            try:
                placing.add_alias(request.user, form.cleaned_data["text"], to)
            except ValidationError as exc:
                for errors in exc.message_dict.values():
                    form.add_error("text", errors)
            else:
                messages.success(request, _("Saved."))
                return redirect("screening:aliases")
    items = paging.paginate(
        request,
        AddressAlias.objects.restrict(request.user, "view")
        .select_related("node", "node__parent", "created_by")
        .order_by("-created_at", "-pk"),
        ALIAS_FILTERS,
    )
    return render(
        request,
        "screening/aliases.html",
        {"form": form, "items": items, "listing": items, "can_add": can_add},
    )


class KeysForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Grid keys file (CSV or XLSX)"))


@login_required
def grid_keys(request: HttpRequest) -> HttpResponse:
    """Import grids' address keys from a file; list the keys of the user's area."""
    require(request.user, "view", GridAddressKey)
    can_add = allows(request.user, GridAddressKey, "add")
    form = KeysForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST":
        require(request.user, "add", GridAddressKey)
        if form.is_valid():
            saved = saved_upload(form.cleaned_data["file"], ".keys")
            try:
                report = placing.import_keys(request.user, saved)
            except ValidationError as exc:
                form.add_error("file", exc.messages)
            else:
                if report.ok:
                    messages.success(request, str(report))
    keys = paging.paginate(
        request,
        GridAddressKey.objects.restrict(request.user, "view")
        .select_related("grid", "grid__parent", "created_by")
        .order_by("path", "kind", "text", "low", "pk"),
        KEY_FILTERS,
    )
    return render(
        request,
        "screening/grid_keys.html",
        {"form": form, "report": report, "keys": keys, "listing": keys, "can_add": can_add},
    )


class ResidentsForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("List of residents (CSV or XLSX)"))


@login_required
def residents_load(request: HttpRequest) -> HttpResponse:
    """Register the residents of a list (a village's household register, a survey) in the
    user's area, each placed by their address; every refused row with its reason."""
    require(request.user, "add", Person)
    form = ResidentsForm(request.POST or None, request.FILES or None)
    loaded = None
    if request.method == "POST" and form.is_valid():
        saved = saved_upload(form.cleaned_data["file"], ".residents")
        try:
            loaded = residents.load_upload(request.user, saved, request)
        except ValidationError as exc:
            form.add_error("file", exc.messages)
    return render(
        request,
        "screening/residents.html",
        {"form": form, "loaded": loaded, "most": residents.ONLINE_ROWS},
    )


def _grid_label(d: Division) -> str:
    return f"{d.parent.name} · {d.name}" if d.parent else d.name


class MoveForm(forms.Form):
    """The grids offered are every grid of the villages whose tasks wait here (no cut:
    a village keeps a handful, a town a few score)."""

    grid = forms.ChoiceField(label=gettext_lazy("Move the selected tasks to the grid"))

    def __init__(self, *args, user=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        villages = (
            ScreeningTask.objects.restrict(user, "view")
            .filter(status="open", node__level="village")
            .values("node_id")
        )
        grids = (
            Division.objects.restrict(user, "view")
            .filter(level="grid", parent_id__in=villages)
            .select_related("parent")
            .order_by("path")
        )
        self.fields["grid"].choices = [(str(g.pk), _grid_label(g)) for g in grids]


@login_required
def village_tasks(request: HttpRequest) -> HttpResponse:
    """Open tasks placed at a village (no grid key in the address), paged with their
    total: the village staff select several and send them to a grid picked by name."""
    require(request.user, "transfer", ScreeningTask)
    tasks = paging.paginate(
        request,
        ScreeningTask.objects.restrict(request.user, "view")
        .filter(status="open", node__level="village")
        .select_related("subject", "node")
        .order_by("due_at", "pk"),
        TASK_FILTERS,
    )
    form = MoveForm(request.POST or None, user=request.user)
    if request.method == "GET":
        audit_list(request, "screening.screeningtask", {"list": "village"}, len(tasks))
    if request.method == "POST" and form.is_valid():
        ids = [int(v) for v in request.POST.getlist("task") if v.isdigit() and len(v) < 18]
        grid = record(request.user, Division.objects, form.cleaned_data["grid"])
        try:
            moved = placing.move_tasks(request.user, ids, grid)
        except ValidationError as exc:
            for errors in exc.message_dict.values():
                for e in errors:
                    messages.error(request, e)
        else:
            messages.success(
                request, _("%(n)d tasks moved to %(g)s.") % {"n": moved, "g": grid.name}
            )
            return redirect("screening:village_tasks")
    return render(
        request,
        "screening/village_tasks.html",
        {"tasks": tasks, "listing": tasks, "form": form},
    )
