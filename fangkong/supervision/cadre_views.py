"""Cadre record pages (S3.3): commendations, accountability cases (authorised roles
only), and a cadre's front-line record with its Excel export."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.core import audit, picking
from fangkong.core import listing as lists
from fangkong.core.access import require
from fangkong.core.forms import create_page, run_action
from fangkong.core.querysets import allows
from fangkong.mobilisation.pickers import describe as describe_member
from fangkong.supervision import actions, exports, metrics, record
from fangkong.supervision.choices import DecidingBody
from fangkong.supervision.forms import CaseForm, CommendationForm, describe_finding
from fangkong.supervision.models import AccountabilityCase, Commendation, Inspection

COMMENDATION_FILTERS = lists.Filters(
    name=("member__name", "title"),
    name_label=gettext_lazy("Name or title"),
    node="path",
    date="decided_on",
)
CASE_FILTERS = lists.Filters(
    name=("member__name",),
    node="path",
    status=("decided_by", DecidingBody.choices),
    date="decided_on",
)


def _listed(request: HttpRequest, model: Any, qs: Any, spec: lists.Filters) -> dict[str, Any]:
    listing = lists.paginate(request, qs, spec)
    return {"items": listing, "listing": listing, "can_add": allows(request.user, model, "add")}


@login_required
def commendations(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = CommendationForm(request.POST or None)
    picking.set_user(form, user)

    return create_page(
        request,
        Commendation,
        form,
        lambda d: actions.commend(user, **d),
        _("Commendation recorded."),
        lambda _c: ("supervision:commendations",),
        "supervision/commendations.html",
        lambda: _listed(
            request,
            Commendation,
            Commendation.objects.restrict(user).select_related("member", "organisation"),
            COMMENDATION_FILTERS,
        ),
    )


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require(request.user, "view", AccountabilityCase)
    form = CaseForm(request.POST or None)
    picking.set_user(form, user)
    if request.method == "POST":
        require(request.user, "add", AccountabilityCase)
        if form.is_valid():
            data = dict(form.cleaned_data)
            if data.get("finding") is None:
                form.add_error(
                    "finding",
                    _("An accountability case must rest on a finding of an inspection."),
                )
            elif request.POST.get("confirmed") != "1":
                return _confirm_case(request, form)
            elif run_action(
                request,
                form,
                lambda: actions.open_case(user, **data),
                _("Accountability case recorded against %(name)s.") % {"name": data["member"].name},
            ):
                return redirect("supervision:cases")
    qs = AccountabilityCase.objects.restrict(user).select_related("member", "decision", "finding")
    return render(
        request,
        "supervision/cases.html",
        {"form": form, **_listed(request, AccountabilityCase, qs, CASE_FILTERS)},
    )


def _confirm_case(request: HttpRequest, form: Any) -> HttpResponse:
    """Before a sanction is written: who, for what, decided by whom — named in full."""
    data = form.cleaned_data
    finding = data["finding"]
    facts = [
        (_("Cadre held accountable"), describe_member(data["member"])),
        (_("Decision"), str(data["decision"])),
        (_("Decided by"), dict(form.fields["decided_by"].choices).get(data["decided_by"], "")),
        (_("Decided on"), data["decided_on"].isoformat()),
        (_("Finding"), describe_finding(finding)),
    ]
    if data.get("summary"):
        facts.append((_("Summary"), data["summary"]))
    return picking.confirm_page(
        request,
        _("Confirm the accountability case"),
        _("Is this the cadre to hold accountable? Nothing is recorded until you confirm."),
        facts,
        picking.hidden_values(form),
        action=reverse("supervision:cases"),
        back=reverse("supervision:cases"),
        label=_("Confirm and record"),
    )


def _cadre_record(request: HttpRequest, pk: int, read_as: str) -> tuple[Any, record.CadreRecord]:
    """The cadre `pk` of the reader's area and their record, the reading audited as `read_as`."""
    user: Any = request.user
    require(user, "view", Inspection)
    m = record.cadre_for(user, pk)
    r = record.build(user, m)
    audit.record_access(user, m, read_as, request)
    return m, r


@login_required
def cadre(request: HttpRequest, pk: int) -> HttpResponse:
    m, r = _cadre_record(request, pk, "cadre record")
    # Each part paged with its total (were cut at 100 each with no total).
    parts = {
        name: lists.paginate(request, getattr(r, name), prefix=prefix)
        for name, prefix in record.PREFIXES.items()
        if getattr(r, name) is not None
    }
    return render(
        request,
        "supervision/cadre.html",
        {"r": r, "m": m, "parts": parts, "tasks": metrics.with_state(parts["rectifications"])},
    )


@login_required
def cadre_export(request: HttpRequest, pk: int) -> HttpResponse:
    m, r = _cadre_record(request, pk, "cadre record export")
    return lists.download(exports.cadre_workbook(r), f"cadre-{m.pk}.xlsx")
