from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fangkong.core import audit
from fangkong.core import home as home_cards
from fangkong.core.querysets import allows


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


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    from auditlog.models import LogEntry

    if not allows(request.user, LogEntry, "view"):
        raise PermissionDenied
    qs = audit.entries_for(request.user)
    person = request.GET.get("person", "").strip()
    actor = request.GET.get("user", "").strip()
    if person.isdigit():
        qs = qs.filter(
            content_type__app_label="people", content_type__model="person", object_pk=person
        )
    if actor:
        qs = qs.filter(actor__username=actor)
    before = request.GET.get("before")
    if before and before.isdigit():
        qs = qs.filter(pk__lt=int(before))
    entries = list(qs[:51])
    more = len(entries) > 50
    entries = entries[:50]
    return render(
        request,
        "core/audit.html",
        {
            "entries": entries,
            "next_before": entries[-1].pk if more else None,
            "person": person,
            "actor": actor,
        },
    )


@login_required
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """A background job's progress fragment (polled by htmx while it runs)."""
    from django.shortcuts import get_object_or_404

    from fangkong.core.models import Job

    job = get_object_or_404(Job.objects.restrict(request.user, "view"), pk=pk)
    return render(request, "core/job.html", {"job": job})
