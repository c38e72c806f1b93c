"""The phone pages of care (no login), in Simplified Chinese: a front-line worker or
their family reports a difficulty with a phone verified by an SMS code (the public
app's codes) and follows their own reports; residents read the published deeds."""

import datetime as dt
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string

from fangkong.care import actions, forms
from fangkong.care.models import Deed, Difficulty
from fangkong.care.views import photo_response
from fangkong.core import cached_pages, clock, ratelimit
from fangkong.core import listing as lists
from fangkong.core.forms import add_action_errors
from fangkong.core.otp_codes import verify as check_code
from fangkong.geo import picker
from fangkong.geo.models import Division

CITY = "3306"
LIMITED = "public/p/limited.html"  # the public side's 429 page (these pages use its layout)
SESSION_KEY = "care_reporter"
SESSION_MINUTES = 30
PAGE = 20
PUBLIC_TTL = 60


def _remember(request: HttpRequest, phone: str) -> None:
    """Keep the verified phone's blind index (never the number) for a short while."""
    until = clock.now() + dt.timedelta(minutes=SESSION_MINUTES)
    request.session[SESSION_KEY] = {"index": actions.phone_index(phone), "until": until.isoformat()}


def _reporter(request: HttpRequest) -> str:
    data = request.session.get(SESSION_KEY) or {}
    try:
        until = dt.datetime.fromisoformat(data.get("until", ""))
    except ValueError:
        return ""
    return data.get("index", "") if until > clock.now() else ""


def report(request: HttpRequest) -> HttpResponse:
    town = (request.POST.get("town") or request.GET.get("town") or "")[:24]
    form = forms.ReportForm(request.POST or None, nodes=picker.village_choices(town))
    if request.method == "POST":
        if not ratelimit.hit(request, "care-report", actions.rules_on().reports_per_hour):
            return ratelimit.refused(request, LIMITED)
        if form.is_valid():
            data = form.cleaned_data
            code = data.pop("node_code")
            node = Division.objects.filter(code=code).first() if code else None
            try:
                d = actions.report_difficulty(None, node=node, **data)
            except ValidationError as exc:
                form.add_action_errors(exc)
            else:
                _remember(request, data["phone"])
                return render(request, "care/p/reported.html", {"d": d})
    return render(
        request,
        "care/p/report.html",
        {"form": form, "towns": picker.town_choices(CITY), "town": town},
    )


def mine(request: HttpRequest) -> HttpResponse:
    """The reporter's own difficulties, after verifying the phone with a code."""
    form = forms.PhoneForm(request.POST or None)
    if request.method == "POST" and "code" in request.POST:
        if not ratelimit.hit(request, "care-mine", actions.rules_on().reports_per_hour):
            return ratelimit.refused(request, LIMITED)
        if form.is_valid():
            try:
                phone = check_code(form.cleaned_data["phone"], form.cleaned_data["code"])
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                _remember(request, phone)
                return redirect("care_public:mine")
    reporter = _reporter(request)
    mine = Difficulty.objects.of_phone(reporter) if reporter else Difficulty.objects.none()
    # Every report of the phone, paged with the total (was the latest 50).
    items = lists.paginate(request, mine.select_related("category", "node").order_by("-pk"))
    return render(
        request,
        "care/p/mine.html",
        {"form": form, "items": items, "verified": bool(reporter), "rate": forms.RateForm()},
    )


def rate(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("care_public:mine")
    reporter = _reporter(request)
    d = get_object_or_404(Difficulty.objects.of_phone(reporter), pk=pk) if reporter else None
    if d is None:
        return redirect("care_public:mine")
    form = forms.RateForm(request.POST)
    if form.is_valid():
        try:
            actions.rate(reporter, d, form.cleaned_data["rating"], form.cleaned_data["comment"])
        except (ValidationError, PermissionDenied):
            pass
    return redirect("care_public:mine")


def deeds(request: HttpRequest) -> HttpResponse:
    """Published deeds of a jurisdiction (the city by default), newest first. The page
    is kept as rendered Chinese bytes for a minute; a publication drops every copy."""
    area = request.GET.get("area", CITY)[:24]
    try:
        page = max(1, min(int(request.GET.get("page", "1")), 500))
    except ValueError:
        page = 1
    key = f"care:deeds:{actions.public_deeds_version()}:{area}:{page}"
    return cached_pages.page(key, lambda: _render_deeds(area, page), PUBLIC_TTL)


def _render_deeds(area: str, page: int) -> bytes:
    node = Division.objects.filter(code=area).first() or Division.objects.filter(code=CITY).first()
    qs = Deed.objects.published().select_related("node").order_by("-published_at", "-pk")
    if node is not None:
        qs = qs.under(node.path)
    # The total and the pages of the shared pager ("共 N 条"), not only "older / newer".
    listing = lists.Listing(
        Paginator(qs, PAGE).get_page(page), None, urlencode({"area": node.code}) if node else ""
    )
    context = {
        "items": listing,
        "listing": listing,
        "node": node,
        "areas": picker.area_choices(CITY),
    }
    return render_to_string("care/p/deeds.html", context).encode()


def deed(request: HttpRequest, pk: int) -> HttpResponse:
    d = get_object_or_404(Deed.objects.published().select_related("node"), pk=pk)
    return render(request, "care/p/deed.html", {"d": d, "photos": d.photos.all()})


def photo(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    """A photo of a published deed; photos of unpublished deeds are not found here."""
    d = get_object_or_404(Deed.objects.published(), pk=pk)
    return photo_response(get_object_or_404(d.photos, pk=photo_pk), public=True)
