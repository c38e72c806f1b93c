"""Investigator, headquarters and gate-keeper pages. Every read goes through
`.restrict(user, action)`: a record outside the user's area is a 404."""

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fangkong.core import listing as lists
from fangkong.core.access import record, require
from fangkong.core.forms import add_action_errors, posted
from fangkong.tracing import actions, venues
from fangkong.tracing.choices import VenueKind
from fangkong.tracing.forms import ContactForm, GateForm, GatePickForm, GateTailForm, VenueForm
from fangkong.tracing.models import Chain, Contact, IndexCase, Scan, Venue


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", "tracing.contact")
    user = request.user
    cases = lists.paginate(
        request,
        IndexCase.objects.restrict(user, "view")
        .select_related("person")
        .annotate(contact_count=Count("contacts")),
        lists.Filters(name=("label", "person__name"), id_tail="person__id_masked"),
        prefix="c",
    )
    pending = lists.paginate(
        request,
        Contact.objects.restrict(user, "view").to_confirm().select_related("index"),
        prefix="p",
    )
    counts = Chain.objects.restrict(user, "view").counts()
    return render(
        request,
        "tracing/dashboard.html",
        {
            "cases": cases,
            "listing": cases,
            "pending": pending,
            "active_chains": counts["active"],
            "clusters": counts["clusters"],
        },
    )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    index = record(request.user, IndexCase.objects, pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "add", "tracing.contact")
    if contact := posted(request, form, lambda d: actions.add_contact(request.user, index, d)):
        messages.success(request, _("Contact recorded: %s") % contact.get_category_display())
        return redirect(index.get_absolute_url())
    contacts = index.contacts.select_related("index").order_by("-last_exposure")
    return render(
        request,
        "tracing/case.html",
        {"index": index, "contacts": contacts, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = record(request.user, Contact.objects.select_related("index", "rules"), pk)
    return render(
        request,
        "tracing/contact.html",
        {"contact": contact, "secondary": contact.secondary.all(), "form": ContactForm()},
    )


def _secondary(request: HttpRequest, contact: Contact) -> None:
    form = ContactForm(request.POST)
    if not form.is_valid():
        raise ValidationError(" ".join(str(e) for e in form.errors.values()))
    actions.add_contact(request.user, None, form.cleaned_data, source_contact=contact)


# The forms of the contact page: verb -> (handler(request, contact), what it tells).
CONTACT_VERBS: dict[str, tuple[Callable[[HttpRequest, Contact], Any], Any]] = {
    "confirm": (
        lambda r, c: actions.confirm_contact(r.user, c),
        gettext_lazy("Contact confirmed."),
    ),
    "dismiss": (
        lambda r, c: actions.dismiss_contact(r.user, c, r.POST.get("reason", "")),
        gettext_lazy("Contact dismissed."),
    ),
    "secondary": (_secondary, gettext_lazy("Secondary contact recorded.")),
}


@login_required
@require_POST
def contact_action(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    """The forms of the contact page, one verb each (CONTACT_VERBS)."""
    contact = record(request.user, Contact.objects, pk)
    if verb not in CONTACT_VERBS:
        raise PermissionDenied
    handler, done = CONTACT_VERBS[verb]
    try:
        handler(request, contact)
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, str(done))
    return redirect(contact.get_absolute_url())


@login_required
def chains(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", "tracing.chain")
    if request.method == "POST":
        require(request.user, "compute", "tracing.chain")
        from fangkong.tracing.tasks import start_chain_job

        job = start_chain_job(request.user)
        return redirect("job", job.pk) if _has_job_page() else redirect("tracing:chains")
    found = Chain.objects.restrict(request.user, "view").chains()
    page = lists.paginate(request, found)
    return render(
        request,
        "tracing/chains.html",
        {"chains": page, "listing": page, "active": found.counts()["active"]},
    )


def _has_job_page() -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("job", args=[1])
    except NoReverseMatch:
        return False
    return True


@login_required
def chain_detail(request: HttpRequest, pk: int) -> HttpResponse:
    chain = record(request.user, Chain.objects, pk)
    return render(request, "tracing/chain.html", {"chain": chain, "graph": chain.graph})


@login_required
def venues_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", "tracing.venue")
    form = VenueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            venue = venues.create_venue(
                request.user,
                {**form.cleaned_data, "node": request.user.node},  # type: ignore[union-attr]
            )
        except PermissionError:
            raise PermissionDenied from None
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            return redirect(venue.get_absolute_url())
    found = lists.paginate(
        request,
        Venue.objects.restrict(request.user, "view").order_by("name", "pk"),
        lists.Filters(
            name=("name", "address"),
            name_label=gettext_lazy("Venue name or address"),
            node="path",
            status=("kind", VenueKind.choices),
        ),
    )
    return render(request, "tracing/venues.html", {"venues": found, "listing": found, "form": form})


venues_list = venues_view


@login_required
def venue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    venue = record(request.user, Venue.objects, pk)
    scans = Scan.objects.restrict(request.user, "view").filter(venue=venue).order_by("-scanned_at")
    listing = lists.paginate(request, scans, lists.Filters(date="scanned_at"))
    return render(
        request,
        "tracing/venue.html",
        {
            "venue": venue,
            "scans": listing,
            "listing": listing,
            "count": listing.total,
            "scan_url": venues.scan_url(venue, request.build_absolute_uri("/")[:-1]),
        },
    )


@login_required
def venue_qr(request: HttpRequest, pk: int) -> HttpResponse:
    venue = record(request.user, Venue.objects, pk)
    svg = venues.qr_svg(venue, request.build_absolute_uri("/")[:-1])
    return HttpResponse(svg, content_type="image/svg+xml")


@login_required
def gate(request: HttpRequest, pk: int) -> HttpResponse:
    """The gate keeper's phone page: scan the resident's code, take the temperature,
    see the colour and whether to let them in (R13); entry and exit are logged."""
    venue = record(request.user, Venue.objects, pk)
    require(request.user, "add", "tracing.scan")
    result = None
    form = GateForm(request.POST or None, initial={"client_id": uuid.uuid4(), "direction": "entry"})
    if request.method == "POST" and form.is_valid():
        from fangkong.healthcode import actions as codes
        from fangkong.healthcode.tokens import CodeError

        try:
            person_id, colour = codes.verify(form.cleaned_data["token"])
            scan, _created = venues.record_scan(
                venue,
                client_id=form.cleaned_data["client_id"],
                person_id=person_id,
                direction=form.cleaned_data["direction"],
                temperature=form.cleaned_data["temperature"],
            )
            result = {"scan": scan, "colour": scan.colour or colour}
            form = _fresh_gate_form()
        except CodeError as exc:
            form.add_error("token", str(exc))
        except ValidationError as exc:
            add_action_errors(form, exc)
    return _gate_page(request, venue, form=form, result=result)


def _fresh_gate_form() -> GateForm:
    return GateForm(initial={"client_id": uuid.uuid4(), "direction": "entry"})


def _gate_page(request: HttpRequest, venue: Venue, **ctx: Any) -> HttpResponse:
    """The gate page, or its result fragment for htmx; `ctx` holds the step shown:
    the scan form and a result, the ID-tail form with its errors, or the candidates."""
    ctx.setdefault("form", _fresh_gate_form())
    ctx.setdefault("tail_form", GateTailForm())
    failed = any(
        f is not None and f.errors for f in (ctx["form"], ctx["tail_form"], ctx.get("pick_form"))
    )
    htmx = bool(request.headers.get("HX-Request"))
    template = "tracing/_gate_result.html" if htmx else "tracing/gate.html"
    return render(
        request,
        template,
        {"venue": venue, **ctx},
        # htmx swaps only 2xx answers: the fragment carries the errors itself
        status=422 if failed and not htmx else 200,
    )


@login_required
@require_POST
def gate_tail(request: HttpRequest, pk: int) -> HttpResponse:
    """The gate without a code: the keeper types the last four characters of the
    resident ID (and the name when many match) and picks the resident from the list."""
    venue = record(request.user, Venue.objects, pk)
    require(request.user, "add", "tracing.scan")
    tail_form = GateTailForm(request.POST)
    if not tail_form.is_valid():
        return _gate_page(request, venue, tail_form=tail_form)
    try:
        candidates, more = venues.gate_candidates(
            request.user,
            venue,
            tail_form.cleaned_data["id_tail"],
            tail_form.cleaned_data["name"],
            request,
        )
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        add_action_errors(tail_form, exc)
        return _gate_page(request, venue, tail_form=tail_form)
    pick_form = GatePickForm(initial={"client_id": uuid.uuid4(), "direction": "entry"})
    return _gate_page(
        request,
        venue,
        tail_form=tail_form,
        candidates=candidates,
        more=more,
        pick_form=pick_form,
        picking=True,
    )


@login_required
@require_POST
def gate_pick(request: HttpRequest, pk: int) -> HttpResponse:
    """The resident picked after the ID-tail search: their code decides, as a scan."""
    venue = record(request.user, Venue.objects, pk)
    require(request.user, "add", "tracing.scan")
    pick_form = GatePickForm(request.POST)
    if not pick_form.is_valid():
        return _gate_page(request, venue, pick_form=pick_form)
    d = pick_form.cleaned_data
    try:
        person = venues.gate_person(request.user, venue, d["person"], request)
        scan, _created = venues.record_scan(
            venue,
            client_id=d["client_id"],
            person_id=person.pk,
            direction=d["direction"],
            temperature=d["temperature"],
        )
    except ValidationError as exc:
        add_action_errors(pick_form, exc)
        return _gate_page(request, venue, pick_form=pick_form)
    return _gate_page(
        request, venue, result={"scan": scan, "colour": scan.colour, "person": person}
    )
