import base64

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from fangkong.accounts.actions import (
    confirm_totp_device,
    issue_enrolment_code,
    may_revoke,
    revoke,
    start_totp_enrolment,
    use_enrolment_code,
)
from fangkong.accounts.models import ApiToken, User
from fangkong.core import listing as lists
from fangkong.core.access import require
from fangkong.core.querysets import allows

ENROL_SESSION = "otp_enrol_device"


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enter the TOTP code; or, for an account without an authenticator, enrol one. The
    enrolment needs the one-time setup code an administrator issued for the account, so
    a password alone cannot bind a stranger's phone."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()  # type: ignore[misc]
    error = ""
    if device is None:
        pending = request.session.get(ENROL_SESSION)
        device = TOTPDevice.objects.filter(user=user, pk=pending, confirmed=False).first()  # type: ignore[misc]
        if device is None:
            if request.method == "POST" and "setup_code" in request.POST:
                if use_enrolment_code(user, request.POST["setup_code"][:20]):  # type: ignore[arg-type]
                    device = start_totp_enrolment(user)
                    request.session[ENROL_SESSION] = device.pk
                    return redirect("two_factor")
                error = _("The setup code is wrong, used or expired; ask your administrator.")
            return render(request, "accounts/two_factor.html", {"need_setup": True, "error": error})
    if request.method == "POST" and "code" in request.POST:
        code = request.POST.get("code", "").strip()
        if device.verify_token(code):
            if not device.confirmed:
                confirm_totp_device(device)
                request.session.pop(ENROL_SESSION, None)
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
def enrolment(request: HttpRequest) -> HttpResponse:
    """System administrators: issue a one-time setup code for an account of their area
    (shown once, to be handed to the account's holder)."""
    accounts = User.objects.restrict(request.user, "enrol").order_by("username")
    require(request.user, "enrol", User)
    issued = None
    if request.method == "POST":
        account = accounts.filter(username=request.POST.get("username", "")[:150]).first()
        if account is None:
            raise Http404
        raw, record = issue_enrolment_code(request.user, account)
        issued = {"account": account, "code": raw, "expires_at": record.expires_at}
    listing = lists.paginate(
        request,
        accounts.select_related("node"),
        lists.Filters(
            name=("username", "display_name"), name_label=_("Account"), node="node__path"
        ),
    )
    return render(
        request,
        "accounts/enrolment.html",
        {"accounts": listing, "listing": listing, "issued": issued},
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
    mine = lists.paginate(
        request,
        ApiToken.objects.live().filter(user=request.user).order_by("-created_at", "-pk"),
        prefix="m",
    )
    area = None
    if allows(request.user, ApiToken, "view"):
        area = lists.paginate(
            request,
            ApiToken.objects.restrict(request.user, "view")
            .live()
            .exclude(user=request.user)
            .select_related("user", "user__node")
            .order_by("user__username", "-created_at", "-pk"),
            lists.Filters(
                name=("user__username",), name_label=_("Account"), node="user__node__path"
            ),
            prefix="a",
        )
    return render(request, "accounts/tokens.html", {"mine": mine, "area": area, "listing": area})
