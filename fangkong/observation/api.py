"""The observation API under /api/v1/observation/: the same actions as the pages."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from fangkong.core import audit
from fangkong.core import listing as lists
from fangkong.core.access import division, record, require
from fangkong.observation import actions, links
from fangkong.observation.linelists import LISTS, ONLY, counts, line_list
from fangkong.observation.models import (
    AlertTask,
    ObservationPeriod,
    ObservationRules,
    QuarantineSite,
    Referral,
    Room,
)
from fangkong.observation.schemas import (
    AdmitIn,
    CheckInIn,
    CheckInOut,
    LinkOut,
    ObservationEndIn,
    ObservationExposureIn,
    ObservationRulesIn,
    ObservationRulesOut,
    ObservationSweepOut,
    ObservationTaskOut,
    ObservationVerifyOut,
    PeriodIn,
    PeriodOut,
    PeriodPage,
    PlacementIn,
    PlacementOut,
    ReferralOut,
    ReleaseIn,
    ResolveIn,
    RoomOut,
    RoomsIn,
    SendIn,
    SiteIn,
    SiteOut,
    SweepIn,
    TaskDoneIn,
)
from fangkong.people.models import Person
from fangkong.people.pagination import keyset_page

router = Router(tags=["observation"])


class ListParams(Schema):
    list: str = "open"
    site: int | None = None
    node: str = ""
    only: str = ""
    after: int | None = None
    size: int = 50


def _period(request: HttpRequest, pk: int, action: str = "view") -> ObservationPeriod:
    return record(
        request.user,
        ObservationPeriod.objects.select_related("person", "rules", "grid"),
        pk,
        action,
    )


def _room(request: HttpRequest, pk: int | None) -> Room | None:
    if pk is None:
        return None
    return record(request.user, Room.objects, pk)


# ---------------------------------------------------------------- rules


@router.get("/rules", response=list[ObservationRulesOut])
def list_rules(request: HttpRequest):  # type: ignore[no-untyped-def]
    require(request.user, "view", "observation.observationrules")
    return list(ObservationRules.objects.all())


@router.post("/rules", response={201: ObservationRulesOut})
def add_rules(request: HttpRequest, body: ObservationRulesIn):  # type: ignore[no-untyped-def]
    return Status(201, actions.save_rules(request.user, body.dict()))


# ---------------------------------------------------------------- sites


@lists.paged(router, "/sites", SiteOut)
def list_sites(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Sites in the caller's area with beds, persons placed and rooms with a free bed,
    paged (`page`, `page_size`) with `count`."""
    return (
        QuarantineSite.objects.restrict(request.user)
        .with_occupancy()
        .select_related("node")
        .order_by("name", "pk")
    )


@router.post("/sites", response={201: SiteOut})
def create_site(request: HttpRequest, body: SiteIn):  # type: ignore[no-untyped-def]
    require(request.user, "add", "observation.quarantinesite")
    node = division(request.user, body.node_code)
    doctor = None
    if body.doctor_id:
        from fangkong.accounts.models import User

        doctor = record(request.user, User.objects, body.doctor_id)
    site = actions.create_site(
        request.user, name=body.name, address=body.address, node=node, doctor=doctor
    )
    return Status(201, site)


@router.get("/sites/{pk}", response=SiteOut)
def get_site(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return record(request.user, QuarantineSite.objects.with_occupancy().select_related("node"), pk)


@router.get("/sites/{pk}/rooms", response=list[RoomOut])
def list_rooms(request: HttpRequest, pk: int, free: bool = False):  # type: ignore[no-untyped-def]
    """The site's rooms; with `free=true` those with a free bed, each with its `free`
    beds (the choice when admitting a person sent to the site)."""
    site = record(request.user, QuarantineSite.objects, pk)
    rooms = site.rooms.with_use()  # type: ignore[attr-defined]
    return list(rooms.free() if free else rooms.order_by("number", "pk"))


@lists.paged(router, "/sites/{pk}/awaiting", PeriodOut)
def list_awaiting(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    """Persons sent to the site and awaiting a room (待入住), paged with `count`: admit
    each with `POST /periods/{id}/admit` and a room of `/sites/{pk}/rooms?free=true`."""
    site = record(request.user, QuarantineSite.objects, pk)
    return (
        ObservationPeriod.objects.restrict(request.user)
        .awaiting_room(site.pk)
        .select_related("person", "rules", "grid")
        .order_by("start_date", "pk")
    )


@router.post("/sites/{pk}/rooms", response={201: list[RoomOut]})
def add_rooms(request: HttpRequest, pk: int, body: RoomsIn):  # type: ignore[no-untyped-def]
    site = record(request.user, QuarantineSite.objects, pk, "change")
    return Status(201, actions.add_rooms(request.user, site, body.numbers, body.capacity))


# ---------------------------------------------------------------- periods and line lists


@router.get("/lists", response=dict[str, int])
def list_counts(request: HttpRequest):  # type: ignore[no-untyped-def]
    """How many persons are on each named line list today, in the caller's area."""
    require(request.user, "view", "observation.observationperiod")
    return counts(request.user)


@router.get("/periods", response=PeriodPage)
def list_periods(request: HttpRequest, params: Query[ListParams]):  # type: ignore[no-untyped-def]
    """A named line list (`open`, `reporting_today`, `not_reporting`, `symptomatic`,
    `ending_today`, `released`), optionally for one site or one area, and cut by `only`
    to those who arrived at a site today (`arrived`), are due to leave (`leaving`:
    planned end today or past) or had a fever today (`fever`); pages by `after`."""
    if params.list not in LISTS:
        raise HttpError(404, _("no such list"))
    if params.only and params.only not in ONLY:
        raise HttpError(422, _("only: arrived, leaving or fever"))
    if (
        params.site
        and not QuarantineSite.objects.restrict(request.user).filter(pk=params.site).exists()
    ):
        raise HttpError(404, _("no such site"))
    qs = line_list(
        request.user, params.list, site=params.site, node_code=params.node, only=params.only
    )
    page = keyset_page(qs.select_related("rules"), params.after, params.size)
    return {"items": page.items, "next_after": page.next_after, "has_more": page.has_more}


@router.post("/periods", response={201: PeriodOut})
def start_period(request: HttpRequest, body: PeriodIn):  # type: ignore[no-untyped-def]
    require(request.user, "add", "observation.observationperiod")
    person = record(request.user, Person.objects, body.person_id)
    room = _room(request, body.room_id)
    site = record(request.user, QuarantineSite.objects, body.site_id) if body.site_id else None
    terms = body.dict(exclude={"person_id", "room_id", "site_id"})
    period = actions.start_period(request.user, person, room=room, site=site, **terms)
    return Status(201, _period(request, period.pk))


@router.get("/periods/{pk}", response=PeriodOut)
def get_period(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    period = _period(request, pk)
    audit.record_access(request.user, period, "observation", request)
    return period


@router.post("/periods/{pk}/exposures", response=PeriodOut)
def record_exposure(request: HttpRequest, pk: int, body: ObservationExposureIn):  # type: ignore[no-untyped-def]
    """A new exposure on `day`: the planned end moves (never earlier)."""
    return actions.record_exposure(request.user, _period(request, pk, "change"), body.day)


@router.get("/periods/{pk}/placements", response=list[PlacementOut])
def list_placements(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return list(_period(request, pk).placements.all())


@router.post("/periods/{pk}/placements", response={201: PlacementOut})
def place(request: HttpRequest, pk: int, body: PlacementIn):  # type: ignore[no-untyped-def]
    """Move home, to a site room, or to another room (capacity respected)."""
    period = _period(request, pk, "change")
    placement = actions.place(
        request.user, period, body.kind, room=_room(request, body.room_id), note=body.note
    )
    return Status(201, placement)


@router.post("/periods/{pk}/send", response=PeriodOut)
def send_to_site(request: HttpRequest, pk: int, body: SendIn):  # type: ignore[no-untyped-def]
    """Send the person to a quarantine site of the caller's area: the site's staff see
    them awaiting a room there and assign it (`/periods/{pk}/admit`)."""
    period = _period(request, pk, "change")
    site = record(request.user, QuarantineSite.objects, body.site_id)
    actions.send_to_site(request.user, period, site)
    return _period(request, pk)


@router.post("/periods/{pk}/admit", response={201: PlacementOut})
def admit(request: HttpRequest, pk: int, body: AdmitIn):  # type: ignore[no-untyped-def]
    """The site receives a person sent to it: a room of that site with a free bed."""
    period = _period(request, pk, "change")
    placement = actions.admit(request.user, period, _room(request, body.room_id))  # type: ignore[arg-type]
    return Status(201, placement)


def _checkin(
    period: ObservationPeriod | int,
    body: CheckInIn,
    kind: str,
    user: Any,
    link: tuple[int, Any] | None = None,
) -> Any:
    reading = body.dict(exclude={"reporter_kind"})
    checkin, created = actions.check_in(period, **reading, reporter_kind=kind, user=user, link=link)
    return Status(201 if created else 200, checkin)


@router.post("/periods/{pk}/checkins", response={200: CheckInOut, 201: CheckInOut})
def check_in(request: HttpRequest, pk: int, body: CheckInIn):  # type: ignore[no-untyped-def]
    """A reading reported by site staff, a grid worker or a household head. Sending
    the same `client_id` again returns the stored reading (200) instead of 201."""
    require(request.user, "add", "observation.checkin")
    period = _period(request, pk, "change")
    default = "grid_worker" if request.user.role == "grid_worker" else "staff"  # type: ignore[union-attr]
    kind = body.reporter_kind or default
    if kind == "self":
        raise HttpError(422, _("reporter_kind: the person reports through the check-in link"))
    return _checkin(period, body, kind, request.user)


@lists.paged(router, "/periods/{pk}/checkins", CheckInOut)
def list_checkins(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    """A period's check-ins, paged (`page`, `page_size`) with `count`."""
    return _period(request, pk).checkins.all()


@router.post("/periods/{pk}/release", response=PeriodOut)
def release(request: HttpRequest, pk: int, body: ReleaseIn):  # type: ignore[no-untyped-def]
    period = actions.release(request.user, _period(request, pk, "release"), body.negative_test_on)
    return _period(request, period.pk)


@router.post("/periods/{pk}/end", response=PeriodOut)
def end(request: HttpRequest, pk: int, body: ObservationEndIn):  # type: ignore[no-untyped-def]
    period = _period(request, pk, "change")
    actions.end_period(request.user, period, body.status, body.note)
    return _period(request, pk)


@router.post("/periods/{pk}/link", response=LinkOut)
def issue_link(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    """The person's check-in link and QR code (no account needed to use it)."""
    period = _period(request, pk, "change")
    if not period.is_open:
        raise HttpError(409, _("this observation is closed"))
    token = links.make_token(period)
    url = request.build_absolute_uri(reverse("observation:self_checkin", args=[token]))
    return {"url": url, "token": token, "qr_svg": links.qr_svg(url)}


@router.delete("/periods/{pk}/link", response={204: None})
def revoke_link(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    actions.revoke_link(request.user, _period(request, pk, "change"))
    return Status(204, None)


# ---------------------------------------------------------------- tasks, referrals, sweep


@lists.paged(router, "/tasks", ObservationTaskOut)
def list_tasks(request: HttpRequest, mine: bool = False, status: str = "open"):  # type: ignore[no-untyped-def]
    """Missed check-ins to follow up, paged (`page`, `page_size`) with `count`."""
    qs = AlertTask.objects.restrict(request.user).filter(status=status)
    if mine:
        qs = qs.filter(assigned_to=request.user)  # type: ignore[misc]
    return qs.order_by("-local_date", "window", "pk")


@router.post("/tasks/{pk}/done", response=ObservationTaskOut)
def task_done(request: HttpRequest, pk: int, body: TaskDoneIn):  # type: ignore[no-untyped-def]
    task = record(request.user, AlertTask.objects, pk, "change")
    return actions.complete_task(request.user, task, body.note)


@lists.paged(router, "/referrals", ReferralOut)
def list_referrals(request: HttpRequest, status: str = "pending"):  # type: ignore[no-untyped-def]
    """Referrals to a fever clinic, paged (`page`, `page_size`) with `count`."""
    return Referral.objects.restrict(request.user).filter(status=status).order_by("pk")


@router.post("/referrals/{pk}/resolve", response=ReferralOut)
def resolve_referral(request: HttpRequest, pk: int, body: ResolveIn):  # type: ignore[no-untyped-def]
    referral = record(request.user, Referral.objects, pk, "change")
    return actions.resolve_referral(request.user, referral, body.outcome, body.clinic)


@router.post("/sweep", response=ObservationSweepOut)
def sweep(request: HttpRequest, body: SweepIn):  # type: ignore[no-untyped-def]
    """Run the half-day missed-check-in sweep now (headquarters; normally scheduled)."""
    require(request.user, "change", "observation.observationrules")
    return {"created": actions.sweep_missed(body.day, body.window)}


# ---------------------------------------------------------------- public (no account)


@router.post("/self/{token}/checkins", auth=None, response={200: CheckInOut, 201: CheckInOut})
def self_check_in(request: HttpRequest, token: str, body: CheckInIn):  # type: ignore[no-untyped-def]
    """The person's own reading through the signed link; the token is the credential."""
    kind = body.reporter_kind or "self"
    if kind not in ("self", "household_head"):
        raise HttpError(422, _("reporter_kind: self or household_head"))
    try:
        pk, version, exp = links.parse_token(token)
        return _checkin(pk, body, kind, None, link=(version, exp))
    except links.LinkError as exc:
        raise HttpError(404 if exc.kind == "invalid" else 410, str(exc)) from None


def checkin_lean(request: HttpRequest, token: str) -> tuple[int, dict] | None:
    """POST /self/<token>/checkins on the lean path (issue #21, settings.
    FANGKONG_LEAN_FAST): the usual reading — a genuine link, a client id in the canonical
    form, a temperature as text or a decimal number, symptoms as a list of texts, no time
    given — answered (status, body) without django-ninja's operation, with the body
    `self_check_in` gives. Anything else (another type, a time, a link refused, a value
    `check_in` refuses) is None: check_in's refusals undo its transaction, so nothing is
    written, and the API's view then answers it as always."""
    from django.core.exceptions import ValidationError

    from fangkong.core.middleware import PARSED
    from fangkong.core.readings import UUID_TEXT

    data = request.__dict__.get(PARSED)
    if type(data) is not dict or "taken_at" in data:
        return None
    cid, temperature = data.get("client_id"), data.get("temperature")
    symptoms, other = data.get("symptoms", []), data.get("other_symptom", "")
    kind = data.get("reporter_kind") or "self"
    if (
        type(cid) is not str
        or not UUID_TEXT.fullmatch(cid)
        or type(temperature) not in (str, float)
        or type(symptoms) is not list
        or not all(type(s) is str for s in symptoms)
        or type(other) is not str
        or kind not in ("self", "household_head")
    ):
        return None
    try:
        pk, version, exp = links.parse_token(token)
        checkin, created = actions.check_in(
            pk,
            client_id=cid,
            temperature=temperature,
            symptoms=symptoms,
            other_symptom=other,
            reporter_kind=kind,
            link=(version, exp),
        )
    except (links.LinkError, ValidationError):
        return None
    body = {name: getattr(checkin, name) for name in CHECKIN_OUT}
    body["period_status"] = getattr(checkin, "_period_status", "")
    return (201 if created else 200), body


CHECKIN_OUT = [name for name in CheckInOut.model_fields if name != "period_status"]


@router.get(
    "/certificates/{code}",
    auth=None,
    response={200: ObservationVerifyOut, 404: ObservationVerifyOut},
)
def verify_certificate(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    from fangkong.core.resident import masked_name

    period = (
        ObservationPeriod.objects.select_related("person")
        .filter(certificate_code=code[:40], status="released")
        .first()
    )
    if period is None:
        return Status(404, {"valid": False})
    return Status(
        200,
        {
            "valid": True,
            "name": masked_name(period.person.name),
            "id_masked": period.person.id_masked,
            "start_date": period.start_date,
            "planned_end": period.planned_end,
            "released_at": period.ended_at,
        },
    )
