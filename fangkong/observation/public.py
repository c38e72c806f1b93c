"""Pages without an account: the person's own check-in (signed link / QR), the release
certificate (PDF) and its public verification."""

import base64

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from fangkong.core import audit, clock
from fangkong.core.access import record
from fangkong.core.resident import chinese_unless_chosen, masked_name
from fangkong.observation import actions, links, rules
from fangkong.observation.forms import CheckInForm
from fangkong.observation.models import ObservationPeriod

STATUS_OF_LINK_ERROR = {"invalid": 404, "revoked": 410, "expired": 410}


@never_cache
@csrf_exempt  # the signed token in the URL is the credential; no session, no cookie
def self_checkin(request: HttpRequest, token: str) -> HttpResponse:
    chinese_unless_chosen(request)
    try:
        period = links.read_token(token)
    except links.LinkError as exc:
        return render(
            request,
            "observation/self_error.html",
            {"message": str(exc), "kind": exc.kind},
            status=STATUS_OF_LINK_ERROR[exc.kind],
        )
    choices = ["self", "household_head"]
    form = CheckInForm(request.POST or None, reporter_choices=choices)
    done = None
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            done, _created = actions.check_in(period, **form.cleaned_data)
        except ValidationError as exc:
            form.add_action_errors(exc)
            error = True
    if done is not None or error:
        period.refresh_from_db()
    if done is not None:
        form = CheckInForm(reporter_choices=choices)
    local = timezone.localtime(clock.now(), timezone.get_default_timezone())
    today = period.checkins.filter(local_date=local.date()).order_by("taken_at")
    return render(
        request,
        "observation/self_checkin.html",
        {
            "period": period,
            "name": masked_name(period.person.name),
            "form": form,
            "done": done,
            "today": list(today),
            # The alert follows THIS reading (R5), not the person's earlier referral.
            "referred": done is not None
            and rules.needs_referral(done.temperature, list(done.symptoms), period.rules),
            "closed": not period.is_open,
        },
    )


def _verify_url(request: HttpRequest, period: ObservationPeriod) -> str:
    return request.build_absolute_uri(reverse("observation:verify", args=[period.certificate_code]))


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable release certificate (解除医学观察证明) with a verification QR code."""
    period = record(
        request.user,
        ObservationPeriod.objects.select_related("person", "grid", "site"),
        pk,
        "view",
        status="released",
    )
    audit.record_access(request.user, period, "certificate", request)
    from weasyprint import HTML

    url = _verify_url(request, period)
    qr = base64.b64encode(links.qr_png(url, scale=4)).decode()
    with translation.override("zh-hans"):
        html = render_to_string(
            "observation/certificate.html",
            {"period": period, "qr": qr, "url": url, "issued": timezone.localtime(period.ended_at)},
        )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    resp = HttpResponse(pdf, content_type="application/pdf")
    resp["Content-Disposition"] = f'inline; filename="release-{period.pk}.pdf"'
    return resp


@never_cache
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Anyone holding the certificate can check it: masked name and ID, dates only."""
    chinese_unless_chosen(request)
    if len(code) > 40:
        raise Http404
    period = (
        ObservationPeriod.objects.select_related("person")
        .filter(certificate_code=code, status="released")
        .first()
    )
    if period is None:
        return render(request, "observation/verify.html", {"period": None}, status=404)
    return render(
        request,
        "observation/verify.html",
        {
            "period": period,
            "name": masked_name(period.person.name),
            "id_masked": period.person.id_masked,
            "released": timezone.localtime(period.ended_at),
        },
    )
