"""Staff pages: headquarters dashboard, line lists, periods, sites, tasks, rules.

Every read goes through `.restrict(user, action)`; a record outside the user's area is
a 404, like one that does not exist."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.core import audit, clock, picking
from fangkong.core import listing as lists
from fangkong.core.access import invalid, record, require
from fangkong.core.forms import flashed, run_action
from fangkong.core.querysets import can_access
from fangkong.core.rulepages import RulesPage
from fangkong.geo.models import Division
from fangkong.observation import actions, exports, links
from fangkong.observation.forms import (
    AdmitForm,
    CheckInForm,
    EndForm,
    ExposureForm,
    MoveForm,
    ReleaseForm,
    RoomsForm,
    RulesForm,
    SendForm,
    SiteForm,
    StartPeriodForm,
)
from fangkong.observation.linelists import COLUMNS, LISTS, ONLY, counts, line_list, row
from fangkong.observation.models import (
    AlertTask,
    ObservationPeriod,
    ObservationRules,
    QuarantineSite,
    Referral,
    Room,
)
from fangkong.people.pickers import preselected


def _period(request: HttpRequest, pk: int, action: str = "view") -> ObservationPeriod:
    return record(
        request.user,
        ObservationPeriod.objects.select_related(
            "person",
            "rules",
            "site",
            "room",
            "sent_to",
            "grid",
            "grid_worker",
            "doctor",
            "responsible",
        ),
        pk,
        action,
    )


def free_rooms(user: Any, site_id: Any):  # type: ignore[no-untyped-def]
    """The rooms of the site with a free bed that the user may place a person in."""
    return Room.objects.restrict(user, "view").filter(site_id=site_id).free()


def _sites(user: Any):  # type: ignore[no-untyped-def]
    return QuarantineSite.objects.restrict(user, "view").in_use()


def _rooms(user: Any):  # type: ignore[no-untyped-def]
    return (
        Room.objects.restrict(user, "view").select_related("site").order_by("site__name", "number")
    )


def _reporter_kinds(user: Any) -> list[str]:
    return (
        ["grid_worker", "household_head"]
        if user.role == "grid_worker"
        else [
            "staff",
            "grid_worker",
            "household_head",
        ]
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", "observation.observationperiod")
    sites = lists.paginate(
        request, QuarantineSite.objects.restrict(request.user, "view").with_occupancy()
    )
    tasks = AlertTask.objects.restrict(request.user, "view").filter(status="open")
    return render(
        request,
        "observation/dashboard.html",
        {
            "counts": counts(request.user),
            "lists": LISTS,
            "sites": sites,
            "open_tasks": tasks.count(),
            "my_tasks": tasks.filter(assigned_to=request.user).count(),  # type: ignore[misc]
            "pending_referrals": Referral.objects.restrict(request.user, "view")
            .filter(status="pending")
            .count(),
            "can_add": request.user.may("observation.observationperiod", "add"),  # type: ignore[union-attr]
            "can_add_site": request.user.may("observation.quarantinesite", "add"),  # type: ignore[union-attr]
            "today": clock.today(),
        },
    )


LINE_FILTERS = lists.Filters(name=("person__name",), id_tail="person__id_masked", node="path")


@login_required
def line_list_view(request: HttpRequest, name: str) -> HttpResponse:
    """A line list paged with its total, filtered by name, the last digits of the ID, a
    jurisdiction (picked by name) and a site; the export holds every filtered row."""
    if name not in LISTS or not request.user.may("observation.observationperiod", "view"):  # type: ignore[union-attr]
        raise Http404
    site = request.GET.get("site", "")
    site_id = int(site) if site.isdigit() and len(site) < 18 else None
    sites = QuarantineSite.objects.restrict(request.user).order_by("name", "pk")
    if site_id and not sites.filter(pk=site_id).exists():
        raise Http404
    only = request.GET.get("only", "")
    only = only if only in ONLY else ""
    qs = line_list(request.user, name, site=site_id, only=only)
    if request.GET.get("format") == "xlsx":
        require(request.user, "export", "observation.observationperiod")
        qs, form = lists.filtered(request, qs, LINE_FILTERS)
        filters = {"list": name, "site": site_id, "only": only, **_shown_filters(form)}
        audit.record_export(
            request.user, "observation.observationperiod", filters, qs.count(), request
        )
        data = exports.xlsx(str(LISTS[name].label), qs)
        return lists.download(data, f"observation-{name}-{clock.today()}.xlsx")
    listing = lists.paginate(request, qs, LINE_FILTERS)
    audit.record_bulk_read(
        request.user,
        "observation.observationperiod",
        {
            "list": name,
            "site": site_id,
            "only": only,
            "page": listing.page.number,
            **_shown_filters(listing.form),
        },
        len(listing),
        request,
    )
    return render(
        request,
        "observation/list.html",
        {
            "list": LISTS[name],
            "lists": LISTS,
            "listing": listing,
            "rows": [(p, row(p)) for p in listing],
            "columns": COLUMNS,
            "site": site_id,
            "sites": sites.only("pk", "name"),
            "only": only,
            "onlies": ONLY,
            "can_export": request.user.may("observation.observationperiod", "export"),  # type: ignore[union-attr]
        },
    )


def _shown_filters(form: Any) -> dict[str, Any]:
    """The filters as the audit log keeps them: the jurisdiction and whether a name or ID
    tail was searched (never the text itself)."""
    data = form.cleaned_data if form is not None and form.is_bound and form.is_valid() else {}
    return {
        k: v
        for k, v in (
            ("node", data.get("node")),
            ("q", bool(data.get("q"))),
            ("tail", bool(data.get("tail"))),
        )
        if v
    }


@login_required
def period_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "add", "observation.observationperiod")
    initial = {
        "person": preselected(request.GET.get("person", "")),
        "last_exposure": clock.today(),
    }
    form = StartPeriodForm(
        request.POST or None,
        initial=initial,
        rooms=_rooms(request.user),
        sites=_sites(request.user),
    )
    picking.set_user(form, request.user)
    if request.method == "POST" and form.is_valid() and form.cleaned_data["person"] is not None:
        d = form.cleaned_data
        keys = ("reason", "last_exposure", "start_date", "room", "site")
        period = run_action(
            request,
            form,
            lambda: actions.start_period(request.user, d["person"], **{k: d[k] for k in keys}),
            _("Observation started."),
        )
        if period:
            return redirect(period)
    return render(request, "observation/start.html", {"form": form})


@login_required
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(request, pk)
    audit.record_access(request.user, period, "observation", request)
    rooms = _rooms(request.user)
    can_change = can_access(request.user, period, "change")
    link_url = qr = None
    if can_change and period.is_open and request.GET.get("link"):
        link_url = request.build_absolute_uri(
            reverse("observation:self_checkin", args=[links.make_token(period)])
        )
        qr = links.qr_svg(link_url)
    return render(
        request,
        "observation/period.html",
        {
            "period": period,
            "checkins": lists.paginate(request, period.checkins.all(), per_page=60, prefix="c"),
            "placements": period.placements.select_related("site", "room", "by"),
            "tasks": lists.paginate(
                request, period.tasks.select_related("assigned_to"), per_page=30, prefix="t"
            ),
            "referrals": period.referrals.all(),
            "can_change": can_change,
            "can_checkin": can_access(request.user, period, "change")
            and request.user.may("observation.checkin", "add"),  # type: ignore[union-attr]
            "can_release": can_access(request.user, period, "release"),
            "checkin_form": CheckInForm(reporter_choices=_reporter_kinds(request.user)),
            "exposure_form": ExposureForm(),
            "move_form": MoveForm(rooms=rooms),
            "send_form": SendForm(sites=_sites(request.user)),
            "release_form": ReleaseForm(),
            "end_form": EndForm(),
            "link_url": link_url,
            "qr": qr,
        },
    )


def form_errors(form: Any) -> ValidationError:
    return ValidationError(
        {k: [e["message"] for e in v] for k, v in form.errors.get_json_data().items()}
    )


def _redirect_with_errors(
    request: HttpRequest, period: ObservationPeriod, exc: Exception
) -> HttpResponse:
    if isinstance(exc, ValidationError):
        for msgs in exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]:
            for m in msgs:
                messages.error(request, m)
    else:
        messages.error(request, str(exc))
    return redirect(period)


def _confirm_release(request: HttpRequest, period: Any, negative_on: Any) -> HttpResponse:
    """Who leaves observation, from where, after which period — named before release."""
    person = period.person
    place = (
        f"{period.site.name} {period.room.number if period.room else ''}".strip()
        if period.site
        else (period.grid.name if period.grid else "")
    )
    facts = [
        (_("Person"), picking.named(person)),
        (_("Place of observation"), period.get_place_kind_display()),
        (_("Place"), place or "—"),
        (_("Start"), period.start_date.isoformat()),
        (_("Planned end"), period.planned_end.isoformat()),
    ]
    hidden = []
    if negative_on:
        facts.append((_("Negative test on"), negative_on.isoformat()))
        hidden.append(("negative_test_on", negative_on.isoformat()))
    return picking.confirm_page(
        request,
        _("Confirm the release"),
        _("Release this person from medical observation?"),
        facts,
        hidden,
        action=reverse("observation:period_action", args=[period.pk, "release"]),
        back=period.get_absolute_url(),
    )


def _valid(form: Any) -> dict[str, Any]:
    if not form.is_valid():
        raise form_errors(form)
    return form.cleaned_data


def _checkin(request: HttpRequest, period: ObservationPeriod) -> None:
    form = CheckInForm(request.POST, reporter_choices=_reporter_kinds(request.user))
    _c, created = actions.check_in(period, **_valid(form), user=request.user)
    messages.success(request, _("Check-in recorded.") if created else _("Already recorded."))


def _exposure(request: HttpRequest, period: ObservationPeriod) -> None:
    actions.record_exposure(request.user, period, _valid(ExposureForm(request.POST))["day"])
    messages.success(request, _("The planned end is now %s.") % period.planned_end)


def _move(request: HttpRequest, period: ObservationPeriod) -> None:
    form = MoveForm(request.POST, rooms=_rooms(request.user))
    if not form.is_valid():
        raise invalid("room", _("choose a room of the site"))
    d = form.cleaned_data
    actions.place(request.user, period, d["kind"], room=d["room"], note=d["note"])
    messages.success(request, _("Moved."))


def _send(request: HttpRequest, period: ObservationPeriod) -> None:
    form = SendForm(request.POST, sites=_sites(request.user))
    if not form.is_valid():
        raise invalid("site", _("choose a quarantine site of your area"))
    site = form.cleaned_data["site"]
    actions.send_to_site(request.user, period, site)
    messages.success(request, _("Sent to %s: the site assigns the room.") % site.name)


def _admit(request: HttpRequest, period: ObservationPeriod) -> HttpResponse:
    """A person sent to the site is given one of its free rooms (on the site's day)."""
    form = AdmitForm(request.POST, rooms=free_rooms(request.user, period.sent_to_id))
    if not form.is_valid():
        raise invalid("room", _("choose a free room of the site"))
    room = form.cleaned_data["room"]
    actions.admit(request.user, period, room)
    messages.success(
        request,
        _("%(name)s is in room %(room)s.") % {"name": period.person.name, "room": room.number},
    )
    return redirect(reverse("home") + f"#site-{room.site_id}")


def _release(request: HttpRequest, period: ObservationPeriod) -> HttpResponse | None:
    form = ReleaseForm(request.POST)
    form.is_valid()
    if request.POST.get("confirmed") != "1":
        return _confirm_release(request, period, form.cleaned_data.get("negative_test_on"))
    actions.release(request.user, period, form.cleaned_data.get("negative_test_on"))
    messages.success(request, _("Released. The certificate can be printed."))
    return None


def _end(request: HttpRequest, period: ObservationPeriod) -> None:
    d = _valid(EndForm(request.POST))
    actions.end_period(request.user, period, d["status"], d["note"])


def _revoke(request: HttpRequest, period: ObservationPeriod) -> None:
    actions.revoke_link(request.user, period)
    messages.success(request, _("Earlier check-in links no longer work."))


# The forms on the period page: verb -> handler(request, period), which raises
# ValidationError or PermissionError for the page to show, or returns a page of its own.
PERIOD_VERBS: dict[str, Callable[[HttpRequest, ObservationPeriod], HttpResponse | None]] = {
    "checkin": _checkin,
    "exposure": _exposure,
    "move": _move,
    "send": _send,
    "admit": _admit,
    "release": _release,
    "end": _end,
    "revoke": _revoke,
}


@login_required
@require_POST
def period_action(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    """The forms on the period page (check-in, exposure, move, send to a site, release,
    end, link) and the site's day (admit: a room for a person sent to the site)."""
    action = "release" if verb == "release" else "change"
    period = _period(request, pk, action)
    handler = PERIOD_VERBS.get(verb)
    if handler is None:
        raise Http404
    if verb == "checkin":
        require(request.user, "add", "observation.checkin")
    try:
        page = handler(request, period)
    except (ValidationError, PermissionError) as exc:
        return _redirect_with_errors(request, period, exc)
    return page or redirect(period)


SITE_FILTERS = lists.Filters(name=("name", "address"), node="path")


@login_required
def sites(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", "observation.quarantinesite")
    form = SiteForm(
        request.POST or None,
        initial={"node_code": getattr(request.user.node, "code", "")},  # type: ignore[union-attr]
    )  # type: ignore[union-attr]
    if request.method == "POST":
        require(request.user, "add", "observation.quarantinesite")
        if form.is_valid():
            node = (
                Division.objects.restrict(request.user)
                .filter(code=form.cleaned_data["node_code"])
                .first()
            )
            if node is None:
                form.add_error("node_code", _("no such division in your area"))
            else:
                try:
                    site = actions.create_site(
                        request.user,
                        name=form.cleaned_data["name"],
                        address=form.cleaned_data["address"],
                        node=node,
                    )
                except ValidationError as exc:
                    form.add_action_errors(exc)
                else:
                    return redirect("observation:site", site.pk)
    return render(
        request,
        "observation/sites.html",
        {
            "sites": (
                listing := lists.paginate(
                    request,
                    QuarantineSite.objects.restrict(request.user)
                    .with_occupancy()
                    .select_related("node")
                    .order_by("name", "pk"),
                    SITE_FILTERS,
                )
            ),
            "listing": listing,
            "form": form,
            "can_add": request.user.may("observation.quarantinesite", "add"),  # type: ignore[union-attr]
        },
    )


@login_required
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    site = record(request.user, QuarantineSite.objects.with_occupancy(), pk)
    form = RoomsForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "change", site)
        if form.is_valid():
            try:
                actions.add_rooms(
                    request.user, site, form.cleaned_data["numbers"], form.cleaned_data["capacity"]
                )
            except ValidationError as exc:
                form.add_action_errors(exc)
            else:
                return redirect("observation:site", site.pk)
    rooms = site.rooms.with_use().order_by("number", "pk")  # type: ignore[attr-defined]
    residents = line_list(request.user, "open", site=site.pk)
    return render(
        request,
        "observation/site.html",
        {
            "site": site,
            "rooms": rooms,
            "residents": lists.paginate(request, residents, prefix="p"),
            "tasks": lists.paginate(
                request,
                AlertTask.objects.restrict(request.user)
                .filter(period__site=site, period__place_kind="site", status="open")
                .select_related("period__person", "period__room"),
                prefix="t",
            ),
            "referrals": Referral.objects.restrict(request.user)
            .filter(period__site=site, status="pending")
            .select_related("period__person", "period__room"),
            "form": form,
            "can_change": can_access(request.user, site, "change"),
        },
    )


TASK_FILTERS = lists.Filters(
    name=("period__person__name",),
    id_tail="period__person__id_masked",
    node="path",
    date="local_date",
)


@login_required
def tasks(request: HttpRequest) -> HttpResponse:
    """The grid worker's / site doctor's phone list: persons who missed a check-in."""
    require(request.user, "view", "observation.alerttask")
    qs = (
        AlertTask.objects.restrict(request.user)
        .filter(status="open")
        .select_related("period__person", "period__site", "period__room", "period__grid")
        .order_by("-local_date", "window", "pk")
    )
    mine = request.GET.get("mine") == "1"
    if mine:
        qs = qs.filter(assigned_to=request.user)  # type: ignore[misc]
    listing = lists.paginate(request, qs, TASK_FILTERS)
    referrals = lists.paginate(
        request,
        Referral.objects.restrict(request.user)
        .filter(status="pending")
        .select_related("period__person")
        .order_by("-pk"),
        prefix="r",
    )
    return render(
        request,
        "observation/tasks.html",
        {
            "tasks": listing,
            "listing": listing,
            "mine": mine,
            "referrals": referrals,
            # The call button reveals the number through the audited reveal (cockpit:call).
            "can_call": request.user.may("people.person", "reveal"),  # type: ignore[union-attr]
        },
    )


@login_required
@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    task = record(request.user, AlertTask.objects, pk, "change")
    flashed(
        request, lambda: actions.complete_task(request.user, task, request.POST.get("note", ""))
    )
    return redirect("observation:tasks")


@login_required
@require_POST
def referral_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    referral = record(request.user, Referral.objects, pk, "change")
    outcome, clinic = request.POST.get("outcome", ""), request.POST.get("clinic", "")
    flashed(request, lambda: actions.resolve_referral(request.user, referral, outcome, clinic))
    return redirect("observation:period", referral.period_id)


RULES_PAGE = RulesPage(
    "observation.observationrules", "observation:rules", "observation/rules.html", "rule_sets"
)


@login_required
def rules_view(request: HttpRequest) -> HttpResponse:
    form = RulesForm(request.POST or None)
    return RULES_PAGE.render(request, form, actions.save_rules, ObservationRules.objects.all())
