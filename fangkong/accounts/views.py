import base64

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from fangkong.accounts.actions import may_revoke, revoke
from fangkong.accounts.models import ApiToken
from fangkong.core.querysets import allows


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up (first time) or enter the TOTP code for two-factor sign-in."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed").first()  # type: ignore[misc]
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)  # type: ignore[misc]
    error = ""
    if request.method == "POST":
        code = request.POST.get("code", "").strip()
        if device.verify_token(code):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect("home")
        error = _("The code is wrong or has expired; try the current one.")
    qr = None
    if not device.confirmed:
        svg = segno.make(device.config_url).svg_inline(scale=4)
        qr = base64.b64encode(svg.encode()).decode()
    return render(
        request,
        "accounts/two_factor.html",
        {"device": device, "qr_svg_b64": qr, "error": error},
    )


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """One's own API tokens, and (administrators) those of the accounts in one's area,
    each revocable."""
    if request.method == "POST":
        pk = request.POST.get("token", "")
        token = (
            ApiToken.objects.select_related("user").filter(pk=pk).first() if pk.isdigit() else None
        )
        if token is None or not may_revoke(request.user, token):
            raise Http404
        revoke(request.user, token)
        messages.success(request, _("The token was revoked."))
        return redirect("tokens")
    mine = ApiToken.objects.live().filter(user=request.user).order_by("-created_at")[:100]
    area = None
    if allows(request.user, ApiToken, "view"):
        area = (
            ApiToken.objects.restrict(request.user, "view")
            .live()
            .exclude(user=request.user)
            .select_related("user", "user__node")
            .order_by("user__username", "-created_at")[:500]
        )
    return render(request, "accounts/tokens.html", {"mine": mine, "area": area})
