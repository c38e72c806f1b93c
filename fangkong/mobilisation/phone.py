"""Phone pages for members without an account (plain forms, no script needed): verify
the phone with the public app's SMS code, register at the community where one lives
(到居住地社区报名入列), see one's registrations and shifts.

The verified phone is kept in the session only as ciphertext, for 30 minutes."""

import base64
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.core import clock, crypto, otp_codes
from fangkong.core import listing as lists
from fangkong.geo.choices import Level
from fangkong.geo.models import Division
from fangkong.mobilisation.actions import registration
from fangkong.mobilisation.choices import ACTIVE_REGISTRATION
from fangkong.mobilisation.models import Assignment, Member, Registration

SESSION_KEY = "mobilisation_phone"
VALID = dt.timedelta(minutes=30)
FIELD = "mobilisation.session_phone"


def _remember(request: HttpRequest, phone: str) -> None:
    token = base64.b64encode(crypto.encrypt(phone, FIELD)).decode()
    request.session[SESSION_KEY] = {"p": token, "at": clock.now().isoformat()}
    request.session.cycle_key()


def verified_phone(request: HttpRequest) -> str | None:
    held = request.session.get(SESSION_KEY)
    if not isinstance(held, dict):
        return None
    try:
        at = dt.datetime.fromisoformat(held["at"])
        if clock.now() - at > VALID:
            return None
        return crypto.decrypt(base64.b64decode(held["p"]), FIELD)
    except (KeyError, ValueError, TypeError):
        return None


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def start(request: HttpRequest) -> HttpResponse:
    """Step 1: the phone number; a code is sent by SMS."""
    errors: list[str] = []
    if request.method == "POST":
        phone = request.POST.get("phone", "").strip()[:20]
        try:
            otp_codes.send(phone)
            return render(request, "mobilisation/p/code.html", {"phone": phone})
        except ValidationError as exc:
            errors = _errors(exc)
    return render(request, "mobilisation/p/start.html", {"errors": errors})


@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    """Step 2: the code; the phone is then held (encrypted) in the session."""
    phone = request.POST.get("phone", "").strip()[:20]
    try:
        phone = otp_codes.verify(phone, request.POST.get("code", "")[:12])
    except ValidationError as exc:
        return render(request, "mobilisation/p/code.html", {"phone": phone, "errors": _errors(exc)})
    _remember(request, phone)
    return redirect("mobilisation:me")


def _browse(code: str) -> tuple[Division | None, list[Division]]:
    """The tree for choosing a community without script: a node and its children."""
    node = Division.objects.filter(code=code[:24]).first() if code else None
    if node is None:
        return None, list(Division.objects.filter(parent__isnull=True).order_by("code"))
    if node.level == Level.VILLAGE:
        return node, []
    # every child (a town's villages, a county's towns; were the first 400)
    return node, list(Division.objects.filter(parent=node).order_by("code"))


def me(request: HttpRequest) -> HttpResponse:
    """The member's page: registrations, upcoming shifts, the registration form."""
    phone = verified_phone(request)
    if phone is None:
        return redirect("mobilisation:phone")
    member = Member.objects.with_phone(phone).first()
    errors: list[str] = []
    form: dict[str, Any] = {"name": member.name if member else "", "community": ""}
    if request.method == "POST":
        form = {
            "name": request.POST.get("name", "")[:50],
            "community": request.POST.get("community", "").strip()[:24],
            "is_party_member": bool(request.POST.get("is_party_member")),
            "is_cadre": bool(request.POST.get("is_cadre")),
            "is_medical": bool(request.POST.get("is_medical")),
            "is_volunteer": bool(request.POST.get("is_volunteer")),
            "skills": request.POST.get("skills", "")[:200],
        }
        try:
            community = registration.community_by_code(form["community"])
            registration.register_by_phone(phone, name=form["name"], community=community, data=form)
            return redirect("mobilisation:me")
        except ValidationError as exc:
            errors = _errors(exc)
    browse_code = request.GET.get("browse", "").strip()
    picked = request.GET.get("community", "").strip()[:24]
    if picked:
        form["community"] = picked
    browse_node, children = _browse(browse_code) if "browse" in request.GET else (None, [])
    # Every registration and every shift ahead, paged with totals (were 10 and 30); a
    # registration still in force is looked for among all of them, not the first 10.
    mine = member.registrations.all() if member else Registration.objects.none()
    regs = lists.paginate(
        request, mine.select_related("community").order_by("-created_at", "-pk"), prefix="r"
    )
    active = list(mine.filter(status__in=ACTIVE_REGISTRATION)[:1])
    ahead = Assignment.objects.filter(member=member, ends_at__gt=clock.now()) if member else None
    shifts = lists.paginate(
        request,
        ahead.select_related("shift__post__node").order_by("starts_at", "pk")
        if ahead is not None
        else Assignment.objects.none(),
        prefix="s",
    )
    return render(
        request,
        "mobilisation/p/me.html",
        {
            "member": member,
            "registrations": regs,
            "active": active,
            "shifts": shifts,
            "form": form,
            "errors": errors,
            "browsing": "browse" in request.GET,
            "browse_node": browse_node,
            "children": children,
        },
    )


@require_POST
def withdraw(request: HttpRequest) -> HttpResponse:
    phone = verified_phone(request)
    if phone is None:
        return redirect("mobilisation:phone")
    member = Member.objects.with_phone(phone).first()
    reg = member.registrations.filter(status__in=ACTIVE_REGISTRATION).first() if member else None
    if member is None or reg is None:
        return redirect("mobilisation:me")
    try:
        registration.withdraw(member, reg)
    except ValidationError as exc:
        return render(
            request,
            "mobilisation/p/message.html",
            {"text": " ".join(exc.messages)},
        )
    return redirect("mobilisation:me")


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    return render(request, "mobilisation/p/message.html", {"text": _("You have left the page.")})
