"""The cockpit's own page actions. The cockpits themselves are on the home page
(core.home's registry)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fangkong.core.access import record
from fangkong.people import actions as people_actions
from fangkong.people.models import Person


@login_required
@require_POST
@never_cache
def call(request: HttpRequest, pk: int) -> HttpResponse:
    """The call button of a missed check-in: the person's phone, revealed through the
    audited reveal (people.actions.reveal), as a `tel:` link. htmx swaps the button for
    the link; without script the page shows the link alone."""
    person = record(request.user, Person.objects, pk)
    try:
        phone = people_actions.reveal(request.user, person, "phone", request)
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from exc
    ctx = {"person": person, "phone": phone}
    if request.headers.get("HX-Request"):
        return render(request, "cockpit/_call.html", ctx)
    return render(request, "cockpit/call.html", ctx)
