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
from fangkong.core.access import division, require
from fangkong.core.forms import run_action
from fangkong.geo.models import Division


def _node(request: HttpRequest, code: str) -> Division:
    require(request.user, "view", "briefing.briefing")
    return division(request.user, code)


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


class DatedRulesForm(forms.ModelForm):
    def validate_unique(self) -> None:
        """A date already taken is the action's to refuse (a set in force is history,
        one not yet in force is amended), with the kernel's message."""


class RulesForm(DatedRulesForm):
    class Meta:
        model = BriefingRules
        fields = [
            "effective_from",
            "cutoff",
            "history_days",
            "rt_window",
            "si_mean",
            "si_sd",
            "si_source",
            "growth_days",
            "forecast_days",
            "rt_min_cases",
            "rt_max_width",
            "note",
        ]
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}),
            "cutoff": forms.TimeInput(attrs={"type": "time"}),
        }


def _rule_sets(
    request: HttpRequest, model: Any, form: forms.ModelForm, save: Any, saved: str, **shown: Any
) -> HttpResponse:
    """A page of dated rule sets: the stored sets for readers, and for those who may
    change them a new set, saved through the action (which names a refused field)."""
    user: Any = request.user
    label = model._meta.label_lower
    may_change = user.may(label, "change")
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        if form.is_valid() and run_action(
            request, form, lambda: save(user, form.cleaned_data), saved
        ):
            return redirect(request.path)
    # Every dated rule set, paged with the total.
    sets = lists.paginate(request, model.objects.order_by("-effective_from", "-pk"))
    context = {"sets": sets, "form": form, "can_change": may_change}
    page = f"briefing/{shown.pop('page')}.html"
    return render(request, page, context | shown, status=422 if form.errors else 200)


def _opened(request: HttpRequest, form_class: Any, fields: Any, day: dt.date) -> Any:
    """The form of a new set, filled from the set in force today and dated `day`."""
    current = form_class._meta.model.in_force(clock.today())
    initial = {name: getattr(current, name) for name in fields}
    return form_class(request.POST or None, initial={**initial, "effective_from": day})


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    """Briefing rule sets, a new one from tomorrow unless told: a set already in force
    is not rewritten."""
    require(request.user, "view", "briefing.briefingrules")
    tomorrow = clock.today() + dt.timedelta(days=1)
    form = _opened(request, RulesForm, RulesForm.Meta.fields, tomorrow)
    return _rule_sets(
        request,
        BriefingRules,
        form,
        actions.save_rules,
        _("The briefing rules were saved."),
        page="rules",
    )


class RiskRulesForm(DatedRulesForm):
    class Meta:
        model = RiskRules
        fields = ["effective_from", *actions.RISK_FIELDS, "note"]
        widgets = {"effective_from": forms.DateInput(attrs={"type": "date"})}


@login_required
def risk_rules(request: HttpRequest) -> HttpResponse:
    """R16 rule sets: the list (readers) and a new dated set (city headquarters)."""
    from fangkong.briefing.rules import SOURCES

    require(request.user, "view", "briefing.riskrules")
    form = _opened(request, RiskRulesForm, actions.RISK_FIELDS, clock.today())
    saved = _("The five-colour map rules were saved.")
    return _rule_sets(
        request, RiskRules, form, actions.save_risk_rules, saved, page="risk_rules", sources=SOURCES
    )
