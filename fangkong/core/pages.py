from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.core import audit
from fangkong.core import home as home_cards
from fangkong.core.access import require
from fangkong.core.listing import paginate
from fangkong.core.picking import RecordPickerField, set_user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The home page of the signed-in account: its role's cockpit (what needs doing
    today, registered by the apps) above the cards of its work."""
    ctx: dict = {"cards": home_cards.cards_for(request.user)}
    cockpit = home_cards.cockpit_for(request.user)
    if cockpit is not None and getattr(request.user, "node_id", None) is not None:
        built = cockpit.build(request)  # its names are the fragment's own (never "cards")
        ctx.update(built, cockpit=built, cockpit_template=cockpit.template)
    return render(request, "core/home.html", ctx)


def _persons(user):  # type: ignore[no-untyped-def]
    # by its label, as the filter below names it: core imports no app above it
    from django.apps import apps

    Person = apps.get_model("people", "Person")
    return Person.objects.restrict(user, "view").select_related("node")


def _describe_person(p) -> str:  # type: ignore[no-untyped-def]
    return " · ".join(x for x in (p.name, p.id_masked or p.phone_masked, p.node.name) if x)


class AuditFilterForm(forms.Form):
    """Whose records (a person picked by name, shown with the masked ID), who read them
    (an account), and when."""

    person = RecordPickerField(
        label=_("Person (type the name)"),
        required=False,
        search=lambda user, text: _persons(user).filter(name__contains=text).order_by("name", "pk"),
        by_pk=_persons,
        describe=_describe_person,
    )
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
            if data["person"] is not None:
                qs = qs.filter(
                    content_type__app_label="people",
                    content_type__model="person",
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
    return render(
        request, "core/audit.html", {"entries": listing, "listing": listing, "form": form}
    )


@login_required
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """A background job's progress fragment (polled by htmx while it runs)."""
    from django.shortcuts import get_object_or_404

    from fangkong.core.models import Job

    job = get_object_or_404(Job.objects.restrict(request.user, "view"), pk=pk)
    return render(request, "core/job.html", {"job": job})
