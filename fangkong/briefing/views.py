"""Briefing pages: the stored briefing of a node and day (instant), its PDF, and the
button that queues a computation. A node outside the user's area is a 404."""

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.briefing import actions, pdf
from fangkong.briefing.models import Briefing, BriefingRules, RiskRules
from fangkong.briefing.present import context_for
from fangkong.core import clock
from fangkong.core import listing as lists
from fangkong.core.access import require
from fangkong.core.forms import run_action
from fangkong.geo.models import Division


def _node(request: HttpRequest, code: str) -> Division:
    require(request.user, "view", "briefing.briefing")
    return get_object_or_404(Division.objects.restrict(request.user), code=code)


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Http404 from None


@login_required
def today(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.may("briefing.briefing", "view") or user.node_id is None:
        raise PermissionDenied
    latest = Briefing.objects.restrict(user).done().filter(node=user.node).order_by("-day").first()
    day = latest.day if latest else clock.today()
    return redirect("briefing:detail", code=user.node.code, day=day.isoformat())


@login_required
def detail(request: HttpRequest, code: str, day: str) -> HttpResponse:
    node = _node(request, code)
    d = _day(day)
    b = Briefing.objects.restrict(request.user).filter(node=node, day=d).first()
    ctx = context_for(node, d, b)
    ctx.update(
        {
            "children": Division.objects.filter(parent=node, level__in=["county", "town"]).order_by(
                "code"
            ),
            "parent": _parent(request, node),
            "can_compute": request.user.may("briefing.briefing", "add"),  # type: ignore[union-attr]
            # Every dated rule set, paged (`rpage`) with the total (were the last 5).
            "rules": lists.paginate(
                request, BriefingRules.objects.order_by("-effective_from", "-pk"), prefix="r"
            ),
            "rules_open": bool(request.GET.get("rpage")),
        }
    )
    return render(request, "briefing/detail.html", ctx)


def _parent(request: HttpRequest, node: Division) -> Division | None:
    if node.parent_id is None:
        return None
    return Division.objects.restrict(request.user).filter(pk=node.parent_id).first()


@login_required
def as_pdf(request: HttpRequest, code: str, day: str) -> HttpResponse:
    node = _node(request, code)
    b = get_object_or_404(Briefing.objects.restrict(request.user).done(), node=node, day=_day(day))
    data = pdf.render(request, node, b)
    resp = HttpResponse(data, content_type="application/pdf")
    resp["Content-Disposition"] = f'inline; filename="briefing-{node.code}-{b.day}.pdf"'
    return resp


@login_required
@require_POST
def compute(request: HttpRequest, code: str, day: str) -> HttpResponse:
    node = _node(request, code)
    d = _day(day)
    try:
        job = actions.request_briefing(request.user, node, d)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("briefing:detail", code=code, day=day)
    messages.success(request, _("The briefing is being computed."))
    del job
    return redirect("briefing:detail", code=code, day=day)


class RiskRulesForm(forms.ModelForm):
    class Meta:
        model = RiskRules
        fields = ["effective_from", *actions.RISK_FIELDS, "note"]
        widgets = {"effective_from": forms.DateInput(attrs={"type": "date"})}


@login_required
def risk_rules(request: HttpRequest) -> HttpResponse:
    """R16 rule sets: the list (readers) and a new dated set (city headquarters)."""
    require(request.user, "view", "briefing.riskrules")
    can_change = request.user.may("briefing.riskrules", "change")  # type: ignore[union-attr]
    current = RiskRules.in_force(clock.today())
    initial = {name: getattr(current, name) for name in actions.RISK_FIELDS}
    form = RiskRulesForm(request.POST or None, initial={**initial, "effective_from": clock.today()})
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid() and run_action(
            request,
            form,
            lambda: actions.save_risk_rules(request.user, form.cleaned_data),
            _("The five-colour map rules were saved."),
        ):
            return redirect("briefing:risk_rules")
    from fangkong.briefing.rules import SOURCES

    return render(
        request,
        "briefing/risk_rules.html",
        {
            # Every dated rule set, paged with the total (were the last 20).
            "sets": lists.paginate(request, RiskRules.objects.order_by("-effective_from", "-pk")),
            "form": form,
            "can_change": can_change,
            "sources": SOURCES,
        },
        status=422 if form.errors else 200,
    )
