"""The venue scan page (no account): the resident's phone opens it from the printed QR
code; it shows the resident's colour to the gate keeper and records the scan."""

import uuid

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from fangkong.core.resident import chinese_unless_chosen, masked_name
from fangkong.healthcode.public import COOKIE
from fangkong.healthcode.tokens import CodeError, read_personal
from fangkong.tracing import venues


@never_cache
@csrf_exempt  # the signed cookie is the credential; the client id makes it idempotent
def scan_page(request: HttpRequest, code: str) -> HttpResponse:
    chinese_unless_chosen(request)
    try:
        venue = venues.venue_by_code(code)
    except venues.UnknownVenue as exc:
        return render(
            request, "tracing/scan_error.html", {"message": " ".join(exc.messages)}, status=404
        )
    token = request.COOKIES.get(COOKIE, "")
    try:
        person_id = read_personal(token) if token else None
    except CodeError:
        person_id = None
    if person_id is None:
        return render(request, "tracing/scan_page.html", {"venue": venue, "scan": None})
    from fangkong.people.models import Person

    person = Person.objects.filter(pk=person_id).first()
    client_id = request.POST.get("client_id") or request.GET.get("cid")
    if not client_id:  # one scan per opening: a reload of the page keeps its client id
        return redirect(f"{request.path}?cid={uuid.uuid4()}")
    try:
        scan, _created = venues.record_scan(venue, client_id=client_id, person_id=person_id)
    except ValidationError as exc:
        return render(
            request, "tracing/scan_error.html", {"message": " ".join(exc.messages)}, status=422
        )
    return render(
        request,
        "tracing/scan_page.html",
        {"venue": venue, "scan": scan, "name": masked_name(person.name if person else "")},
    )
