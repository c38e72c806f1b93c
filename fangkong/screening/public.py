"""The public self-declaration page (R14), reached by a printed QR code. It needs no
account, shows nothing of anyone, and feeds the same pipeline as a pushed row. The phone
is verified by an SMS code (core.otp_codes) and each client is limited per hour."""

import segno
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from fangkong.core import otp_codes, ratelimit
from fangkong.core.forms import add_action_errors
from fangkong.screening import actions
from fangkong.screening.forms import DeclarationForm
from fangkong.screening.models import DeclarationReview

DECLARATIONS_PER_CLIENT = 10  # per hour, from one address


@never_cache
def declare(request: HttpRequest) -> HttpResponse:
    """Two steps without script: the form with "send code" (the phone gets an SMS code),
    then the same form with the code. A declaration about a registered person waits for
    staff review instead of changing their record."""
    form = DeclarationForm(request.POST or None)
    done, held, sent, status = False, False, False, 200
    code_error: list[str] = []
    if request.method == "POST" and "send_code" in request.POST:
        # Step 1: only the phone matters; the rest of the form is kept as typed.
        form = DeclarationForm(initial=request.POST.dict())
        try:
            otp_codes.send(request.POST.get("phone", "")[:20])
            sent = True
        except ValidationError as exc:
            code_error = exc.messages
    elif request.method == "POST":
        if not ratelimit.hit(request, "self-declare", DECLARATIONS_PER_CLIENT):
            form.add_error(None, ratelimit.message())
            status = 429
        elif form.is_valid() and not form.cleaned_data["code"]:
            form.add_error("code", _("type the code sent to your phone"))
        elif form.is_valid():
            data = {
                k: (v.isoformat() if hasattr(v, "isoformat") else (v or ""))
                for k, v in form.cleaned_data.items()
                if k != "code"
            }
            try:
                data["phone"] = otp_codes.verify(data["phone"], form.cleaned_data["code"])
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                outcome = actions.declare(data)
                if isinstance(outcome, DeclarationReview):
                    done = held = True
                elif outcome.rejection is not None:
                    field = outcome.rejection.field
                    form.add_error(
                        field if field in form.fields else None, outcome.rejection.reason
                    )
                else:
                    done = True
    context = {"form": form, "done": done, "held": held, "sent": sent, "code_error": code_error}
    return render(request, "screening/declare.html", context, status=status)


def declare_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the declaration page as SVG, for posters at stations and gates."""
    url = request.build_absolute_uri(reverse("screening:declare"))
    qr = segno.make(url, error="m")
    return HttpResponse(qr.svg_inline(scale=8, border=2), content_type="image/svg+xml")


@login_required
def poster(request: HttpRequest) -> HttpResponse:
    url = request.build_absolute_uri(reverse("screening:declare"))
    return render(request, "screening/poster.html", {"url": url})
