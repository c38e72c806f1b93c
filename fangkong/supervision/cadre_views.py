"""Cadre record pages (S3.3): commendations, accountability cases (authorised roles
only), and a cadre's front-line record with its Excel export."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fangkong.core import audit
from fangkong.core.querysets import allows
from fangkong.supervision import actions, exports, metrics, record
from fangkong.supervision.forms import CaseForm, CommendationForm
from fangkong.supervision.models import AccountabilityCase, Commendation, Finding, Inspection


def _need(request: HttpRequest, model: Any, action: str) -> None:
    if not allows(request.user, model, action):
        raise PermissionDenied


def _member(user: Any, pk: int) -> Any:
    from fangkong.mobilisation.models import Member

    return Member.objects.restrict(user).filter(pk=pk).first()


@login_required
def commendations(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _need(request, Commendation, "view")
    form = CommendationForm(request.POST or None)
    if request.method == "POST":
        _need(request, Commendation, "add")
        if form.is_valid():
            data = dict(form.cleaned_data)
            member = _member(user, data.pop("member_id"))
            try:
                if member is None:
                    raise ValidationError({"member_id": [_("No such member in your area.")]})
                actions.commend(user, member=member, **data)
                messages.success(request, _("Commendation recorded."))
                return redirect("supervision:commendations")
            except ValidationError as exc:
                form.add_action_errors(exc)
    qs = Commendation.objects.restrict(user).select_related("member", "organisation")
    return render(
        request,
        "supervision/commendations.html",
        {"items": qs[:200], "form": form, "can_add": allows(user, Commendation, "add")},
    )


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _need(request, AccountabilityCase, "view")
    form = CaseForm(request.POST or None)
    if request.method == "POST":
        _need(request, AccountabilityCase, "add")
        if form.is_valid():
            data = dict(form.cleaned_data)
            member = _member(user, data.pop("member_id"))
            fid = data.pop("finding_id")
            finding = Finding.objects.restrict(user).filter(pk=fid).first() if fid else None
            try:
                if fid and finding is None:
                    raise ValidationError({"finding_id": [_("No such finding in your area.")]})
                if member is None:
                    raise ValidationError({"member_id": [_("No such member in your area.")]})
                actions.open_case(user, finding=finding, member=member, **data)
                messages.success(request, _("Accountability case recorded."))
                return redirect("supervision:cases")
            except ValidationError as exc:
                form.add_action_errors(exc)
    qs = AccountabilityCase.objects.restrict(user).select_related("member", "decision", "finding")
    return render(
        request,
        "supervision/cases.html",
        {"items": qs[:200], "form": form, "can_add": allows(user, AccountabilityCase, "add")},
    )


@login_required
def cadre(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    _need(request, Inspection, "view")
    m = record.cadre_for(user, pk)
    r = record.build(user, m)
    audit.record_access(user, m, "cadre record", request)
    return render(
        request,
        "supervision/cadre.html",
        {"r": r, "m": m, "tasks": metrics.with_state(r.rectifications), "limit": record.LIMIT},
    )


@login_required
def cadre_export(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    _need(request, Inspection, "view")
    m = record.cadre_for(user, pk)
    r = record.build(user, m, limit=100_000)
    audit.record_access(user, m, "cadre record export", request)
    data = exports.cadre_workbook(r)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="cadre-{m.pk}.xlsx"'
    return response
