"""The offline API under /api/v1/offline/: what a phone needs to work without a signal.

The phone page signs in with its session (CSRF-checked); other clients with a bearer
token. The store key needs a session: it lives and dies with the sign-in."""

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth

from fangkong.accounts.bearer import BearerToken
from fangkong.core import listing as lists
from fangkong.core.access import invalid, record, require
from fangkong.core.querysets import allows
from fangkong.core.schemas import RuleSetIn, RuleSetOut
from fangkong.healthcode import tokens
from fangkong.offline import actions
from fangkong.offline.models import DeviceStatus, OrphanVisit, SyncReceipt

router = Router(tags=["offline"], auth=[BearerToken(), django_auth])


class OfflineKeyOut(Schema):
    key: str
    expires_at: str


class OfflineErrorOut(Schema):
    detail: str


class OfflineVisitItem(Schema):
    id: int
    name: str
    id_masked: str
    address: str
    origin: str
    arrival_at: str | None
    node: str
    key_area: bool
    due_at: str
    version: int


class OfflineFollowupItem(Schema):
    id: int
    name: str
    id_masked: str
    phone: str
    date: str
    window: str


class OfflineTodayOut(Schema):
    generated_at: str
    visits: list[OfflineVisitItem]
    followups: list[OfflineFollowupItem]
    max_waiting: int


class OfflineVenueOut(Schema):
    id: int
    name: str


class OfflineGateKeyOut(Schema):
    algorithm: str
    public_key: str
    venues: list[OfflineVenueOut] = Field(
        ..., description="the first `venues_per_page` gates; the rest at /offline/venues"
    )
    venue_count: int = Field(..., description="every gate of the caller's area")
    venues_per_page: int


class OfflineSyncItem(Schema):
    client_id: str = Field(..., max_length=40)
    kind: str = Field(..., description="visit, followup or scan", max_length=10)
    recorded_at: str = Field(..., description="when it happened on the phone (ISO 8601)")
    task: str = Field("", max_length=40, description="task id (visit, followup)")
    name: str = Field("", max_length=50, description="the person's name as the phone showed it")
    data: dict[str, str | int | float | bool | list[str] | None] = Field(
        default_factory=dict,
        description="the form's fields as the phone recorded them (visit form, follow-up note, "
        "gate scan: venue, token, direction, temperature)",
    )


class OfflineSyncIn(Schema):
    device: str = Field("phone", max_length=40)
    items: list[OfflineSyncItem]


class OfflineSyncAnswer(Schema):
    client_id: str
    result: str = Field(..., description="accepted, conflict, orphan or rejected")
    field: str = Field("", description="the field at fault when rejected")
    message: str
    target: str = ""
    recorded_at: str | None = None
    received_at: str | None = None
    duplicate: bool


class OfflineSyncOut(Schema):
    results: list[OfflineSyncAnswer]


class OfflineStatusIn(Schema):
    device: str = Field("phone", max_length=40)
    waiting: int = Field(..., ge=0, le=100000)
    last_sync_at: str | None = None


class OfflineDeviceOut(Schema):
    user: str
    device: str
    waiting: int
    last_sync_at: str | None
    reported_at: str


class OfflineOrphanOut(Schema):
    id: int
    task_ref: str
    subject_name: str
    visited_by: str
    recorded_at: str
    received_at: str
    data: dict
    resolved: bool
    resolution: str


class OfflineRulesIn(RuleSetIn):
    key_hours: int = Field(ge=1, le=72)
    max_batch: int = Field(ge=10, le=1000)
    max_waiting: int = Field(ge=10, le=5000)
    max_item_age_days: int = Field(ge=1, le=30)


class OfflineRulesOut(RuleSetOut):
    key_hours: int
    max_batch: int
    max_waiting: int
    max_item_age_days: int


class OfflineResolveIn(Schema):
    resolution: str = Field(..., min_length=1, max_length=200)


@router.get("/key", response={200: OfflineKeyOut, 400: OfflineErrorOut})
def key(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The key this session's phone encrypts its offline store with (AES-256-GCM, base64),
    and when it expires (then the phone wipes the store and asks again)."""
    if not allows(request.user, SyncReceipt, "add"):
        return Status(400, {"detail": _("your role does not work offline")})
    session = getattr(request, "session", None)
    if session is None or not session.session_key:
        return Status(400, {"detail": _("an offline store key needs a signed-in phone session")})
    return actions.session_key(session)


@router.get("/today", response=OfflineTodayOut)
def today(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Today's visits and missed check-ins of the caller's area, for the phone to keep."""
    return actions.today_bundle(request.user, request)


GATE_VENUES = 500  # gates a page of the phone's gate list holds


def _gates(request: HttpRequest):  # type: ignore[no-untyped-def]
    from fangkong.tracing.models import Venue

    qs = Venue.objects.restrict(request.user, "view").filter(active=True)
    return qs.order_by("name", "pk").only("pk", "name")


@router.get("/gate-key", response=OfflineGateKeyOut)
def gate_key(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The public key that checks a health code's signature without a signal, and the
    caller's gates: the first page with `venue_count` (the phone fetches the other pages
    from /offline/venues; the list was cut at 500)."""
    venues = _gates(request)
    return {
        "algorithm": "Ed25519",
        "public_key": tokens.public_key_b64(),
        "venues": [{"id": v.pk, "name": v.name} for v in venues[:GATE_VENUES]],
        "venue_count": venues.count(),
        "venues_per_page": GATE_VENUES,
    }


@router.get("/venues", response=list[OfflineVenueOut])
@paginate(lists.CountedPagination, max_page_size=GATE_VENUES)
def gate_venues(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Every gate of the caller's area, by name; paged (`page`, `page_size` up to 500)
    with `count`."""
    return _gates(request)


@router.post("/sync", response=OfflineSyncOut)
def sync(request: HttpRequest, body: OfflineSyncIn):  # type: ignore[no-untyped-def]
    """Send what the phone recorded offline. Each item is answered: accepted; conflict
    (kept, the task was moved or closed — the message says who owns it now); orphan (kept
    for the village, the task is gone); rejected (the reason names the field). The same
    `client_id` again gets its first answer with `duplicate: true`."""
    items = [i.dict() for i in body.items]
    return {"results": actions.sync(request.user, body.device, items)}


@router.post("/status", response=OfflineDeviceOut)
def status(request: HttpRequest, body: OfflineStatusIn):  # type: ignore[no-untyped-def]
    """The phone reports how many items wait to be sent and its last sync."""
    from django.utils import timezone

    last = None
    if body.last_sync_at:
        try:
            last = dt.datetime.fromisoformat(body.last_sync_at)
        except ValueError:
            raise invalid("last_sync_at", _("not a date and time")) from None
        if timezone.is_naive(last):
            last = timezone.make_aware(last)
    return _device(actions.record_status(request.user, body.device, body.waiting, last))


def _device(d: DeviceStatus) -> dict:
    from django.utils import timezone

    return {
        "user": str(d.user),
        "device": d.device,
        "waiting": d.waiting,
        "last_sync_at": timezone.localtime(d.last_sync_at).isoformat() if d.last_sync_at else None,
        "reported_at": timezone.localtime(d.reported_at).isoformat(),
    }


@lists.paged(router, "/devices", OfflineDeviceOut)
def devices(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The phones of the caller's area: items waiting to be sent, last sync; paged with
    `count`."""
    qs = DeviceStatus.objects.restrict(request.user, "view").select_related("user")
    return lists.Mapped(qs.order_by("-waiting", "-reported_at", "pk"), _device)


def _orphan(o: OrphanVisit) -> dict:
    from django.utils import timezone

    return {
        "id": o.pk,
        "task_ref": o.task_ref,
        "subject_name": o.subject_name,
        "visited_by": str(o.visited_by) if o.visited_by else "",
        "recorded_at": timezone.localtime(o.recorded_at).isoformat(),
        "received_at": timezone.localtime(o.received_at).isoformat(),
        "data": o.data,
        "resolved": o.resolved_at is not None,
        "resolution": o.resolution,
    }


@lists.paged(router, "/orphans", OfflineOrphanOut)
def orphans(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Visits recorded offline whose task was gone when they arrived; paged with `count`."""
    qs = OrphanVisit.objects.restrict(request.user, "view").select_related("visited_by")
    return lists.Mapped(qs.order_by("resolved_at", "-received_at", "-pk"), _orphan)


@router.post("/orphans/{pk}/resolve", response=OfflineOrphanOut)
def resolve(request: HttpRequest, pk: int, body: OfflineResolveIn):  # type: ignore[no-untyped-def]
    orphan = record(request.user, OrphanVisit.objects, pk, "change")
    return _orphan(actions.resolve_orphan(request.user, orphan, body.resolution))


@lists.paged(router, "/rules", OfflineRulesOut)
def list_rules(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Every dated offline rule set, latest first (none stored: the published defaults);
    paged with `count` (were the last 50)."""

    from fangkong.offline.models import OfflineRules

    require(request.user, "view", OfflineRules)
    return OfflineRules.objects.order_by("-effective_from", "-pk")


@router.post("/rules", response={201: OfflineRulesOut})
def add_rules(request: HttpRequest, body: OfflineRulesIn):  # type: ignore[no-untyped-def]
    """A new dated rule set (city headquarters), in force from its day."""
    return Status(201, actions.add_rules(request.user, **body.dict()))
