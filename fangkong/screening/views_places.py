"""Pages about where addresses lead: aliases (town), grids' address keys (town), and the
village's tasks not yet in a grid, moved to grids many at once (village staff)."""

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.core.access import invalid, require
from fangkong.core.querysets import allows
from fangkong.geo.models import Division, GridAddressKey
from fangkong.screening import placing
from fangkong.screening.actions import upload_dir
from fangkong.screening.models import AddressAlias, ScreeningTask
from fangkong.screening.reads import audit_list


def _node_label(d: Division) -> str:
    return f"{d.parent.name if d.parent else ''} · {d.name}" if d.level == "grid" else d.name


class AliasForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Name in addresses"), max_length=60)
    to = forms.ChoiceField(label=gettext_lazy("Place it means"))

    def __init__(self, *args, user=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        nodes = (
            Division.objects.restrict(user, "view")
            .filter(level__in=placing.ALIASABLE)
            .select_related("parent")
            .order_by("path")[:3000]
        )
        self.fields["to"].choices = [(str(d.pk), _node_label(d)) for d in nodes]


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
            alias = get_object_or_404(
                AddressAlias.objects.restrict(request.user, "delete"),
                pk=int(pk) if pk.isdigit() and len(pk) < 18 else 0,
            )
            placing.delete_alias(request.user, alias)
            messages.success(request, _("Deleted."))
            return redirect("screening:aliases")
        if form.is_valid():
            to = get_object_or_404(
                Division.objects.restrict(request.user, "view"), pk=form.cleaned_data["to"]
            )
            try:
                placing.add_alias(request.user, form.cleaned_data["text"], to)
            except ValidationError as exc:
                for errors in exc.message_dict.values():
                    form.add_error("text", errors)
            else:
                messages.success(request, _("Saved."))
                return redirect("screening:aliases")
    items = (
        AddressAlias.objects.restrict(request.user, "view")
        .select_related("node", "created_by")
        .order_by("-created_at")[:500]
    )
    return render(
        request, "screening/aliases.html", {"form": form, "items": items, "can_add": can_add}
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
            target = upload_dir()
            target.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=target, delete=False, suffix=".keys") as out:
                for chunk in form.cleaned_data["file"].chunks():
                    out.write(chunk)
            try:
                report = placing.import_keys(request.user, Path(out.name))
            except ValidationError as exc:
                form.add_error("file", exc.messages)
            else:
                if report.ok:
                    messages.success(request, str(report))
    keys = (
        GridAddressKey.objects.restrict(request.user, "view")
        .select_related("grid", "grid__parent", "created_by")
        .order_by("path", "kind", "text", "low")[:500]
    )
    return render(
        request,
        "screening/grid_keys.html",
        {"form": form, "report": report, "keys": keys, "can_add": can_add},
    )


@login_required
def village_tasks(request: HttpRequest) -> HttpResponse:
    """Open tasks placed at a village (no grid key in the address): the village staff
    select several and send them to a grid chosen by name."""
    require(request.user, "transfer", ScreeningTask)
    tasks = list(
        ScreeningTask.objects.restrict(request.user, "view")
        .filter(status="open", node__level="village")
        .select_related("subject", "node")
        .order_by("due_at", "pk")[:300]
    )
    grids = placing.grids_for(request.user)
    if request.method == "GET":
        audit_list(request, "screening.screeningtask", {"list": "village"}, len(tasks))
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("task") if v.isdigit()]
        grid = next((g for g in grids if str(g.pk) == request.POST.get("grid")), None)
        try:
            if grid is None:
                raise invalid("to", _("choose a grid"))
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
        {"tasks": tasks, "grids": [(g.pk, _node_label(g)) for g in grids]},
    )
