"""The public self-declaration page (R14), reached by a printed QR code. It needs no
account, shows nothing of anyone, and feeds the same pipeline as a pushed row."""

import segno
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from fangkong.screening import actions
from fangkong.screening.forms import DeclarationForm


@never_cache
def declare(request: HttpRequest) -> HttpResponse:
    form = DeclarationForm(request.POST or None)
    done = False
    if request.method == "POST" and form.is_valid():
        data = {
            k: (v.isoformat() if hasattr(v, "isoformat") else (v or ""))
            for k, v in form.cleaned_data.items()
        }
        outcome = actions.declare(data)
        if outcome.rejection is not None:
            field = outcome.rejection.field
            form.add_error(field if field in form.fields else None, outcome.rejection.reason)
        else:
            done = True
    return render(request, "screening/declare.html", {"form": form, "done": done})


def declare_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the declaration page as SVG, for posters at stations and gates."""
    url = request.build_absolute_uri(reverse("screening:declare"))
    qr = segno.make(url, error="m")
    return HttpResponse(qr.svg_inline(scale=8, border=2), content_type="image/svg+xml")


@login_required
def poster(request: HttpRequest) -> HttpResponse:
    url = request.build_absolute_uri(reverse("screening:declare"))
    return render(request, "screening/poster.html", {"url": url})
