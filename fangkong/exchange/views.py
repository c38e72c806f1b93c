"""Pages of the exchange app, and the machine endpoint partners post signed messages
to. Every read goes through `.restrict(user, action)`; a record outside the user's
area is a 404, like one that does not exist."""

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from fangkong.core import audit, clock
from fangkong.core import listing as lists
from fangkong.core.access import record, require
from fangkong.core.forms import create_page
from fangkong.exchange import actions, cards, forms, schema, signing, sources
from fangkong.exchange.choices import Channel, Direction
from fangkong.exchange.models import HandoverRequest, Partner, Refusal, ReportCard
from fangkong.screening import reads as screening_reads

MAX_BODY = 8 * 1024 * 1024


REQUEST_FILTERS = lists.Filters(
    name=("name", "partner__name"), id_tail="id_masked", node="path", date="created_at"
)


@login_required
def requests_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require(request.user, "view", "exchange.handoverrequest")
    qs = HandoverRequest.objects.restrict(user).select_related("partner", "node", "node__parent")
    direction = request.GET.get("direction", "")
    if direction in Direction.values:
        qs = qs.filter(direction=direction)
    if request.GET.get("overdue"):
        qs = qs.overdue()
    file_form = forms.FileForm()
    if request.method == "POST":
        require(request.user, "receive", "exchange.handoverrequest")
        file_form = forms.FileForm(request.POST, request.FILES)
        if file_form.is_valid():
            upload = file_form.cleaned_data["file"]
            try:
                result = actions.import_file(user, upload.read(), upload.name, request)
            except ValidationError as exc:
                file_form.add_action_errors(exc)
            else:
                messages.success(
                    request,
                    _("%(a)d messages accepted, %(r)d refused.")
                    % {"a": len(result["accepted"]), "r": len(result["refused"])},
                )
                for r in result["refused"]:
                    messages.warning(request, f"{r['id']}: {r['reason']}")
                return redirect("exchange:requests")
    return render(
        request,
        "exchange/requests.html",
        {
            "items": (listing := lists.paginate(request, qs, REQUEST_FILTERS)),
            "listing": listing,
            "direction": direction,
            "overdue_count": HandoverRequest.objects.restrict(user).overdue().count(),
            "partners": Partner.objects.restrict(user).filter(active=True),
            "file_form": file_form,
            "can_add": user.may("exchange.handoverrequest", "add"),
            "can_receive": user.may("exchange.handoverrequest", "receive"),
            "can_export": user.may("exchange.handoverrequest", "export"),
        },
    )


@login_required
def new_request(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require(request.user, "add", "exchange.handoverrequest")
    src = sources.source_for(user, request.GET)
    partners = [(p.code, str(p)) for p in Partner.objects.restrict(user).filter(active=True)]
    form = forms.RequestForm(request.POST or None, initial=src.initial, partners=partners)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        partner = Partner.objects.get(code=data.pop("partner"))
        for key in ("id_number", "phone"):
            if not data.get(key) and src.hidden.get(key):
                data[key] = src.hidden[key]
        if data.get("deadline") is None:
            data.pop("deadline")
        try:
            req = actions.new_request(
                user, partner, data, person=src.person, contact_id=src.contact_id
            )
        except ValidationError as exc:
            form.add_action_errors(exc)
        else:
            if src.person is not None:
                audit.record_access(user, src.person, "exchange:handover", request)
            if partner.url:
                actions.deliver(partner)
            messages.success(request, _("Request to %s recorded.") % partner.name)
            return redirect("exchange:request", req.pk)
    return render(
        request,
        "exchange/new.html",
        {"form": form, "source": src, "has_partners": bool(partners)},
    )


def _reveal(request: HttpRequest, req: HandoverRequest, page: dict[str, Any]) -> None:
    try:
        field = request.POST.get("field", "")
        page["revealed"][field] = actions.reveal(request.user, req, field, request)
    except (ValidationError, PermissionDenied):
        raise PermissionDenied from None


def _answer(request: HttpRequest, req: HandoverRequest, page: dict[str, Any]) -> Any:
    form = page["form"]
    if not form.is_valid():
        return None
    try:
        actions.answer(request.user, req, form.cleaned_data["answer"], form.cleaned_data["note"])
    except ValidationError as exc:
        form.add_action_errors(exc)
        return None
    if req.partner.url:
        actions.deliver(req.partner)
    messages.success(request, _("Answer recorded and sent back."))
    return redirect("exchange:request", req.pk)


# The forms of a request's page: verb -> handler(request, req, page), which may fill
# the page (a revealed value, a form's errors) or answer a page to go to.
REQUEST_VERBS: dict[str, Callable[[HttpRequest, HandoverRequest, dict[str, Any]], Any]] = {
    "reveal": _reveal,
    "answer": _answer,
}


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    req = record(user, HandoverRequest.objects.select_related("partner", "node", "subject"), pk)
    page: dict[str, Any] = {"form": forms.AnswerForm(request.POST or None), "revealed": {}}
    form, revealed = page["form"], page["revealed"]
    if request.method == "POST":
        handler = REQUEST_VERBS.get(request.POST.get("verb", ""))
        done = handler(request, req, page) if handler is not None else None
        if done is not None:
            return done
    else:
        audit.record_access(user, req, "view", request)
    return render(
        request,
        "exchange/request.html",
        {
            "req": req,
            "form": form,
            "revealed": revealed,
            "can_answer": req.direction == Direction.IN
            and not req.answered_at
            and user.may("exchange.handoverrequest", "answer"),
            "can_reveal": user.may("exchange.handoverrequest", "reveal"),
            "messages_sent": req.messages.all(),
            # The latest three visits, and how many earlier ones the person's record holds.
            **screening_reads.subject_tasks(user, req.subject_id),
        },
    )


@login_required
def partners_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user

    def listed() -> dict[str, Any]:
        # paged with the total (the whole table was one page)
        partners = lists.paginate(request, Partner.objects.restrict(user), prefix="p")
        refusals = lists.paginate(request, Refusal.objects.restrict(user))
        return {
            "partners": partners,
            "can_add": user.may("exchange.partner", "add"),
            "own_code": actions.own_code(),
            "public_key": signing.public_key_b64(),
            "refusals": refusals,
            "listing": refusals,
            "can_see_refusals": user.may("exchange.refusal", "view"),
        }

    return create_page(
        request,
        "exchange.partner",
        forms.PartnerForm(request.POST or None),
        lambda d: actions.save_partner(user, d),
        _("Partner registered."),
        lambda _partner: ("exchange:partners",),
        "exchange/partners.html",
        listed,
    )


@login_required
def partner_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    user: Any = request.user
    partner = record(user, Partner.objects, pk)
    try:
        content, count = actions.export_file(user, partner, fmt, request)
    except ValidationError as exc:
        raise Http404 from exc
    stamp = clock.now().strftime("%Y%m%d-%H%M")
    return lists.download(
        content,
        f"xiecha-{actions.own_code()}-{partner.code}-{stamp}.{fmt}",
        "application/json" if fmt == "json" else lists.XLSX,
    )


@csrf_exempt
@require_POST
def inbox(request: HttpRequest) -> JsonResponse:
    """The exchange endpoint: signed messages from registered partners (no session,
    no token: each message is authenticated by its partner's Ed25519 signature)."""
    if len(request.body) > MAX_BODY:
        return JsonResponse({"detail": "too large"}, status=413)
    try:
        envelopes = schema.envelopes_of(json.loads(request.body.decode("utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError, schema.SchemaError) as exc:
        return JsonResponse({"detail": f"not an exchange document: {exc}"}, status=400)
    result = actions.receive(envelopes, Channel.HTTP, audit.client_ip(request) or "")
    status = 200 if result["accepted"] or not result["refused"] else 403
    return JsonResponse(result, status=status)


# --- report cards ----------------------------------------------------------------------


def _card_receipt(request: HttpRequest, page: dict[str, Any]) -> Any:
    receipt = page["receipt"] = forms.ReceiptForm(request.POST, request.FILES)
    if not receipt.is_valid():
        return None
    try:
        result = cards.import_receipt(request.user, receipt.cleaned_data["file"].read())
    except ValidationError as exc:
        receipt.add_action_errors(exc)
        return None
    messages.success(request, _("%d versions acknowledged.") % result["acknowledged"])
    for r in result["rejected"]:
        messages.warning(request, _("row %(n)d: %(r)s") % {"n": r["row"], "r": r["reason"]})
    return redirect("exchange:cards")


def _card_ack(request: HttpRequest, page: dict[str, Any]) -> Any:
    ack = forms.AckForm(request.POST)
    if not ack.is_valid():
        return None
    d = ack.cleaned_data
    try:
        cards.acknowledge(request.user, d["card"], d["seq"], d["national_id"])
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("Acknowledgement recorded; the report clock is closed."))
    return redirect("exchange:cards")


# The forms of the report-card page: verb -> handler(request, page); any other verb is
# an acknowledgement typed in by hand.
CARD_VERBS: dict[str, Callable[[HttpRequest, dict[str, Any]], Any]] = {"receipt": _card_receipt}


@login_required
def cards_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require(request.user, "view", "exchange.reportcard")
    page: dict[str, Any] = {"receipt": forms.ReceiptForm()}
    if request.method == "POST":
        require(request.user, "acknowledge", "exchange.reportcard")
        done = CARD_VERBS.get(request.POST.get("verb", ""), _card_ack)(request, page)
        if done is not None:
            return done
    receipt = page["receipt"]
    listing = lists.paginate(
        request,
        cards.cases_for(user),
        lists.Filters(name=("number", "person__name"), id_tail="person__id_masked", node="path"),
    )
    cases = listing.rows
    by_case = {
        c.case_id: c for c in ReportCard.objects.filter(case__in=cases).prefetch_related("versions")
    }
    rows = []
    for case in cases:
        card = by_case.get(case.pk)
        versions = sorted(card.versions.all(), key=lambda v: v.seq) if card else []
        rows.append({"case": case, "card": card, "versions": versions})
    return render(
        request,
        "exchange/cards.html",
        {
            "rows": rows,
            "listing": listing,
            "receipt": receipt,
            "can_export": user.may("exchange.reportcard", "export"),
            "full": user.may("exchange.reportcard", "reveal"),
            "can_ack": user.may("exchange.reportcard", "acknowledge"),
        },
    )


@login_required
def cards_export(request: HttpRequest, fmt: str) -> HttpResponse:
    user: Any = request.user
    case = request.GET.get("case") or None
    if case is not None and not case.isdigit():
        raise Http404
    try:
        content, _count = cards.export(user, fmt, int(case) if case else None, request)
    except ValidationError as exc:
        raise Http404 from exc
    kind = "text/csv; charset=utf-8" if fmt == "csv" else "application/xml"
    stamp = clock.now().strftime("%Y%m%d-%H%M")
    return lists.download(content, f"report-cards-{stamp}.{fmt}", kind)
