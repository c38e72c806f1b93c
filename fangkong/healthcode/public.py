"""The resident's own pages (no account): the personal code page opened from the signed
personal link, with a short-lived QR code that gates and venues verify, and the daily
check-in that brings the colour back to green (R12)."""

import io
import uuid

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from fangkong.core import clock
from fangkong.core import listing as lists
from fangkong.core.resident import chinese_unless_chosen, masked_name
from fangkong.healthcode import actions, tokens
from fangkong.healthcode.models import CodeChange, DailyCheckIn

COOKIE = "fk_hc"


def link_not_valid(request: HttpRequest, message: str = "") -> HttpResponse:
    """The page of a personal link that opens no one's code (404)."""
    message = message or _("this health code link is not valid")
    return render(request, "healthcode/error.html", {"message": message}, status=404)


def _qr(person_id: int) -> dict:
    r = actions.rules_in_force(clock.today())
    token = tokens.qr_token(person_id, actions.colour_of(person_id), r.qr_seconds)
    out = io.BytesIO()
    segno.make(token, error="m").save(out, kind="svg", scale=6, border=2)
    return {"token": token, "svg": out.getvalue().decode(), "seconds": r.qr_seconds}


@never_cache
@csrf_exempt  # the signed personal link is the credential
def my_code(request: HttpRequest, token: str) -> HttpResponse:
    chinese_unless_chosen(request)
    try:
        person_id = tokens.read_personal(token)
    except tokens.CodeError as exc:
        return link_not_valid(request, str(exc))
    from fangkong.people.models import Person

    person = Person.objects.filter(pk=person_id, merged_into__isnull=True).first()
    if person is None:
        return link_not_valid(request)
    error = None
    if request.method == "POST":
        try:
            actions.daily_checkin(
                person,
                client_id=request.POST.get("client_id"),
                temperature=request.POST.get("temperature"),
                symptoms=request.POST.getlist("symptoms"),
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        actions.recompute_persons([person.pk])
    colour = actions.colour_of(person.pk)
    from fangkong.healthcode.models import HealthCode

    code = HealthCode.objects.get(person_id=person.pk)
    if request.GET.get("part") == "qr":
        return render(request, "healthcode/_qr.html", {"qr": _qr(person.pk), "colour": colour})
    today = DailyCheckIn.objects.filter(person=person, day=clock.today()).first()
    response = render(
        request,
        "healthcode/my_code.html",
        {
            "name": masked_name(person.name),
            "code": code,
            "colour": colour,
            "qr": _qr(person.pk),
            "history": lists.paginate(  # every change, paged (was the last 10)
                request, CodeChange.objects.filter(person=person).order_by("-at", "-pk"), prefix="h"
            ),
            "today": today,
            "client_id": uuid.uuid4(),
            "symptoms": actions.SYMPTOMS,
            "error": error,
            "token": token,
        },
        status=422 if error else 200,
    )
    response.set_cookie(
        COOKIE,
        token,
        max_age=90 * 86400,
        httponly=True,
        samesite="Lax",
        secure=settings.FANGKONG_SECURE_COOKIES,
    )
    return response
