"""The care API under /api/v1/care/: staff endpoints (bearer token, scoped by
`.restrict`, 404 outside the caller's area) and open endpoints under /open/ (no token,
rate limited): a worker's phone report, their own reports and rating (phone verified
by the public side's SMS code, /api/v1/public/open/codes), and the published deeds."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core import signing
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile

from fangkong.care import actions
from fangkong.care import schemas as s
from fangkong.care.models import CareRules, Category, Deed, Difficulty
from fangkong.core import listing as lists
from fangkong.core import ratelimit
from fangkong.core.access import division, record, require
from fangkong.core.otp_codes import verify as check_code
from fangkong.geo.models import Division

router = Router(tags=["care"])
TOKEN_SALT = "care.reporter"
TOKEN_AGE = 30 * 60


def _own_difficulty(request: HttpRequest, pk: int) -> Difficulty:
    return record(request.user, Difficulty.objects.select_related("category", "node__parent"), pk)


def _own_deed(request: HttpRequest, pk: int) -> Deed:
    return record(request.user, Deed.objects.select_related("node"), pk)


@router.get("/categories", response=list[s.CategoryOut])
def categories(request: HttpRequest) -> Any:
    return list(Category.objects.filter(active=True))


@router.post("/categories", response=s.CategoryFullOut)
def save_category(request: HttpRequest, body: s.CategoryIn) -> Any:
    return actions.save_category(request.user, body.code, body.name, body.active)


@lists.paged(router, "/rules", s.CareRulesOut)
def list_rules(request: HttpRequest) -> Any:
    """Every dated rule set, newest first; paged (`page`) with `count` (were the last 50)."""
    require(request.user, "view", "care.carerules")
    return CareRules.objects.order_by("-effective_from", "-pk")


@router.post("/rules", response={201: s.CareRulesOut})
def add_rules(request: HttpRequest, body: s.CareRulesIn) -> Any:
    return Status(201, actions.add_rules(request.user, **body.dict()))


@lists.paged(router, "/difficulties", s.DifficultyOut)
def list_difficulties(request: HttpRequest, state: str = "", category: str = "") -> Any:
    """Difficulties in the caller's area; paged (`page`) with `count` (was a `limit`)."""
    require(request.user, "view", "care.difficulty")
    qs = Difficulty.objects.restrict(request.user).select_related("category", "node__parent")
    if state:
        qs = qs.in_state(state[:12])
    if category:
        qs = qs.filter(category__code=category[:30])
    return qs.order_by("-pk")


@router.post("/difficulties", response={201: s.DifficultyOut})
def report_difficulty(request: HttpRequest, body: s.DifficultyIn) -> Any:
    """A signed-in user records a difficulty on someone's behalf."""
    data = body.dict()
    code = data.pop("node_code")
    node = division(request.user, code) if code else None
    d = actions.report_difficulty(request.user, node=node, **data)
    return Status(201, d)


@router.get("/difficulties/{pk}", response=s.DifficultyOut)
def get_difficulty(request: HttpRequest, pk: int) -> Any:
    return _own_difficulty(request, pk)


@router.post("/difficulties/{pk}/owner", response=s.DifficultyOut)
def assign_owner(request: HttpRequest, pk: int, body: s.OwnerIn) -> Any:
    d = _own_difficulty(request, pk)
    owner = get_user_model().objects.filter(pk=body.owner_id).first()
    return actions.assign_owner(request.user, d, owner)


@router.post("/difficulties/{pk}/take", response=s.DifficultyOut)
def take_in_hand(request: HttpRequest, pk: int) -> Any:
    return actions.take_in_hand(request.user, _own_difficulty(request, pk))


@router.post("/difficulties/{pk}/solve", response=s.DifficultyOut)
def solve(request: HttpRequest, pk: int, body: s.SolveIn) -> Any:
    d = _own_difficulty(request, pk)
    return actions.solve(request.user, d, body.solution)


@router.get("/levels", response=list[s.CareLevelOut])
def levels(request: HttpRequest, node_code: str = "") -> Any:
    """Open, overdue and solved difficulties per child of a node, rolled up."""
    require(request.user, "view", "care.difficulty")
    user: Any = request.user
    node = division(request.user, node_code[:24]) if node_code else user.node
    if node is None:
        node = get_object_or_404(Division.objects.restrict(user), level="city")
    children = list(Division.objects.filter(parent=node).order_by("code"))
    counts = Difficulty.objects.restrict(user).level_counts(node, children)
    return [{"code": c.code, "name": c.name, **counts[c.code]} for c in children]


@lists.paged(router, "/deeds", s.DeedOut)
def list_deeds(request: HttpRequest, status: str = "") -> Any:
    """Deeds, newest first, paged (`page`, `page_size`) with `count`."""
    require(request.user, "view", "care.deed")
    qs = Deed.objects.restrict(request.user).select_related("node").prefetch_related("photos")
    if status:
        qs = qs.filter(status=status[:12])
    return qs


def _named(request: HttpRequest, member_id: int | None, org_id: int | None) -> tuple[Any, Any]:
    from fangkong.mobilisation.models import Member, PartyOrganisation

    user = request.user
    member = record(user, Member.objects, member_id) if member_id else None
    org = record(user, PartyOrganisation.objects, org_id) if org_id else None
    return member, org


@router.post("/deeds", response={201: s.DeedOut})
def submit_deed(request: HttpRequest, body: s.DeedIn) -> Any:
    node = division(request.user, body.node_code)
    member, org = _named(request, body.member_id, body.organisation_id)
    deed = actions.submit_deed(
        request.user,
        node,
        title=body.title,
        text=body.text,
        hero_name=body.hero_name,
        member=member,
        organisation=org,
    )
    return Status(201, deed)


@router.get("/deeds/{pk}", response=s.DeedOut)
def get_deed(request: HttpRequest, pk: int) -> Any:
    return _own_deed(request, pk)


@router.put("/deeds/{pk}", response=s.DeedOut)
def edit_deed(request: HttpRequest, pk: int, body: s.DeedEditIn) -> Any:
    deed = _own_deed(request, pk)
    return actions.edit_deed(request.user, deed, **body.dict())


@router.post("/deeds/{pk}/photos", response={201: s.DeedOut})
def add_photos(request: HttpRequest, pk: int, photos: File[list[UploadedFile]]) -> Any:
    deed = _own_deed(request, pk)
    actions.add_photos(request.user, deed, photos)
    return Status(201, deed)


@router.post("/deeds/{pk}/review", response=s.DeedOut)
def review_deed(request: HttpRequest, pk: int, body: s.CareReviewIn) -> Any:
    deed = _own_deed(request, pk)
    return actions.review_deed(request.user, deed, body.decision, body.reason)


@router.post("/deeds/{pk}/commend", response=s.DeedOut)
def commend_deed(request: HttpRequest, pk: int, body: s.CommendIn) -> Any:
    deed = _own_deed(request, pk)
    return actions.commend_deed(request.user, deed, **body.dict())


# Open endpoints (no token) -------------------------------------------------------------


def _limited(request: HttpRequest, scope: str) -> bool:
    return not ratelimit.hit(request, f"care-{scope}", actions.rules_on().reports_per_hour)


@router.post(
    "/open/difficulties", auth=None, response={201: s.MyDifficultyOut, 404: dict, 429: dict}
)
def open_report(request: HttpRequest, body: s.OpenDifficultyIn) -> Any:
    """A worker or their family reports from a phone verified by an SMS code."""
    if _limited(request, "report"):
        return Status(429, {"detail": str(ratelimit.message())})
    data = body.dict()
    code = data.pop("node_code")
    node = Division.objects.filter(code=code).first() if code else None
    if code and node is None:
        return Status(404, {"detail": _("unknown division")})
    d = actions.report_difficulty(None, node=node, **data)
    return Status(201, d)


@router.post("/open/mine", auth=None, response={200: s.MineOut, 429: dict})
def open_mine(request: HttpRequest, body: s.CareVerifyIn) -> Any:
    """The reporter's own difficulties; the token lets them rate for 30 minutes."""
    if _limited(request, "mine"):
        return Status(429, {"detail": str(ratelimit.message())})
    phone = check_code(body.phone, body.code)
    index = actions.phone_index(phone)
    # Every report of the phone with its count (were the latest 50); a phone's own
    # reports are few (the hourly report limit), and a code is read once.
    items = Difficulty.objects.of_phone(index).select_related("category", "node").order_by("-pk")
    token = signing.TimestampSigner(salt=TOKEN_SALT).sign(index)
    found = list(items)
    return {"token": token, "items": found, "count": len(found)}


@router.post(
    "/open/difficulties/{pk}/rating",
    auth=None,
    response={200: s.MyDifficultyOut, 403: dict, 404: dict},
)
def open_rate(request: HttpRequest, pk: int, body: s.RateIn) -> Any:
    try:
        index = signing.TimestampSigner(salt=TOKEN_SALT).unsign(body.token, max_age=TOKEN_AGE)
    except signing.BadSignature:
        return Status(403, {"detail": _("verify your phone again")})
    d = Difficulty.objects.of_phone(index).select_related("category", "node").filter(pk=pk).first()
    if d is None:
        return Status(404, {"detail": _("not found")})
    return actions.rate(index, d, body.rating, body.comment)


@router.get("/open/deeds", auth=None, response=list[s.PublicDeedOut])
def open_deeds(request: HttpRequest, area: str = "3306", page: int = 1) -> Any:
    """Published deeds of a jurisdiction, newest first, 20 a page."""
    node = Division.objects.filter(code=area[:24]).first()
    qs = Deed.objects.published().select_related("node").prefetch_related("photos")
    if node is None:
        return []
    page = max(1, min(page, 500))
    rows = qs.under(node.path).order_by("-published_at", "-pk")[(page - 1) * 20 : page * 20]
    return rows


@router.get("/open/deeds/{pk}", auth=None, response={200: s.PublicDeedOut, 404: dict})
def open_deed(request: HttpRequest, pk: int) -> Any:
    d = Deed.objects.published().select_related("node").filter(pk=pk).first()
    if d is None:
        return Status(404, {"detail": _("not found")})
    return d
