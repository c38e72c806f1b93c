from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.core import audit, navigation
from fangkong.core import home as home_cards
from fangkong.core.access import record, require
from fangkong.core.listing import paginate
from fangkong.core.picking import set_user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The home page of the signed-in account: its role's cockpit (what needs doing
    today, registered by the apps) above the cards of its work."""
    ctx: dict = {
        "cards": navigation.first_the_role_s_jobs(request.user, home_cards.cards_for(request.user))
    }
    cockpit = home_cards.cockpit_for(request.user)
    if cockpit is not None and getattr(request.user, "node_id", None) is not None:
        built = cockpit.build(request)  # its names are the fragment's own (never "cards")
        ctx.update(built, cockpit=built, cockpit_template=cockpit.template)
    return render(request, "core/home.html", ctx)


class AuditFilterForm(forms.Form):
    """Whose records (picked with the field of the registered subject: a person by name,
    shown with the masked ID), who read them (an account), and when."""

    user = forms.CharField(label=_("Account"), required=False, max_length=150)
    start = forms.DateField(
        label=pgettext_lazy("date range", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=pgettext_lazy("date range", "To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        found = audit.subject()
        if found is not None:
            self.fields["person"] = found.field()
            self.order_fields(["person"])


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    from auditlog.models import LogEntry

    require(request.user, "view", LogEntry)
    qs = audit.entries_for(request.user)
    form = AuditFilterForm(request.GET or None)
    set_user(form, request.user)
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            found = audit.subject()
            if found is not None and data.get("person") is not None:
                app_label, model = found.model_label.split(".")
                qs = qs.filter(
                    content_type__app_label=app_label,
                    content_type__model=model,
                    object_pk=str(data["person"].pk),
                )
            if data["user"]:
                qs = qs.filter(actor__username=data["user"].strip())
            if data["start"]:
                qs = qs.filter(timestamp__date__gte=data["start"])
            if data["end"]:
                qs = qs.filter(timestamp__date__lte=data["end"])
        else:
            qs = qs.none()
    listing = paginate(request, qs)
    audit.preload_references(listing.rows)
    return render(
        request, "core/audit.html", {"entries": listing, "listing": listing, "form": form}
    )


@login_required
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """A background job's progress fragment (polled by htmx while it runs)."""

    from fangkong.core.models import Job

    job = record(request.user, Job.objects, pk)
    return render(request, "core/job.html", {"job": job})
