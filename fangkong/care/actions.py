"""Every write of care: difficulties reported, assigned, taken in hand, solved and
rated; deeds submitted, reviewed, published and commended. One function per verb,
validated, in one transaction, audited (django-auditlog, attributed to the actor)."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.care import rules
from fangkong.care.choices import DeedStatus, DifficultyStatus, Relation
from fangkong.care.models import CareRules, Category, Deed, DeedPhoto, Difficulty
from fangkong.core import clock, crypto, security
from fangkong.core.access import NotAllowed, actor, bounded, invalid, require
from fangkong.core.querysets import can_access
from fangkong.geo.models import Division
from fangkong.people import identity

PUBLIC_DEEDS_VERSION = "care:deeds:version"


def public_deeds_version() -> int:
    """The generation of the cached public deeds pages; a publication starts a new one."""
    return int(cache.get_or_set(PUBLIC_DEEDS_VERSION, 1, None) or 1)


def drop_public_deeds() -> None:
    try:
        cache.incr(PUBLIC_DEEDS_VERSION)
    except ValueError:
        cache.set(PUBLIC_DEEDS_VERSION, 2, None)


def rules_on(day: dt.date | None = None) -> CareRules:
    return CareRules.in_force(day)


def add_rules(user: Any, *, effective_from: dt.date, note: str = "", **values: int) -> CareRules:
    """Headquarters add a dated rule set; one already in force is never rewritten."""
    require(user, "add", CareRules)
    rules = CareRules.draft(effective_from, from_today=True)
    limits = {"solve_days": (1, 60), "photo_max_kb": (50, 20480), "photos_per_deed": (1, 20)}
    limits["reports_per_hour"] = (1, 1000)
    chosen = bounded(values, limits)
    with transaction.atomic():
        return rules.save_by(user, note=note.strip()[:200], **chosen)


def save_category(user: Any, code: str, name: str, active: bool = True) -> Category:
    """Add a category of difficulty, or rename or retire one (city headquarters)."""
    require(user, "change", Category)
    code = code.strip().lower()
    if not code or len(code) > 30 or not code.replace("_", "").isalnum() or not code.isascii():
        raise invalid("code", _("letters, digits and underscores, at most 30"))
    if not name.strip() or len(name) > 40:
        raise invalid("name", _("give the name (at most 40 characters)"))
    with transaction.atomic(), actor(user):
        cat, _created = Category.objects.update_or_create(
            code=code, defaults={"name": name.strip(), "active": active}
        )
    return cat


def phone_index(phone: str) -> str:
    """The blind index under which a reporter's own difficulties are found."""
    return crypto.blind_index(identity.normalise_phone(phone), "person.phone")


# Difficulties ------------------------------------------------------------------------


def member_for_phone(phone: str) -> Any:
    """The registered member with this phone, if the mobilisation app knows one."""
    from fangkong.mobilisation.models import Member
    from fangkong.mobilisation.querysets import phone_index as member_index

    return Member.objects.filter(phone_index=member_index(phone)).first()


def route(member: Any, chosen: Division | None) -> Division:
    """The responsible node: the member's registered community, else their unit's
    node, else the node the reporter chose."""
    if member is not None:
        if member.community_id:
            return member.community
        if member.unit_id:
            return member.unit.node
    if chosen is None:
        raise invalid("node_code", _("choose your community or village"))
    if chosen.level in ("province", "city"):
        raise invalid("node_code", _("choose a district, town, community or village"))
    return chosen


def report_difficulty(
    user: Any | None,
    *,
    phone: str,
    code: str = "",
    reporter_name: str,
    category: str,
    description: str,
    relation: str = Relation.SELF,
    node: Division | None = None,
) -> Difficulty:
    """A difficulty from the phone page (phone verified by an SMS code, `user` None) or
    entered by a signed-in user on someone's behalf (`user` given, no code)."""
    from fangkong.core.otp_codes import verify as check_code

    if relation not in Relation.values:
        raise invalid("relation", _("choose who is reporting"))
    cat = Category.objects.filter(code=category, active=True).first()
    if cat is None:
        raise invalid("category", _("choose a category"))
    if len(description.strip()) < 4:
        raise invalid("description", _("describe the difficulty (at least 4 characters)"))
    if len(description) > 1000:
        raise invalid("description", _("at most 1000 characters"))
    if not reporter_name.strip() or len(reporter_name) > 50:
        raise invalid("reporter_name", _("give the reporter's name (at most 50 characters)"))
    if user is None:
        phone = check_code(phone, code)
    else:
        try:
            phone = identity.parse_mobile(phone)
        except identity.IdentityError as exc:
            raise invalid("phone", str(exc)) from exc
    member = member_for_phone(phone)
    target = route(member, node)
    if user is not None:
        require(user, "add", Difficulty, node=node or target)
    now = clock.now()
    with transaction.atomic(), actor(user):
        d = Difficulty(
            category=cat,
            description=description.strip(),
            relation=relation,
            reporter_name=reporter_name.strip(),
            member=member,
            node=target,
            deadline=rules.deadline_for(now, rules_on(clock.today()).solve_days),
            reported_by=user,
            created_at=now,
        )
        d.set_phone(phone)
        d.save()
    return d


def reveal_phone(user: Any, d: Difficulty, request: Any = None) -> str:
    """The reporter's full phone for a handler who needs to call back; audited."""
    from fangkong.core.audit import record_access

    require(user, "reveal", Difficulty, node=d.node)
    record_access(user, d, "phone", request)
    return d.reveal_phone()


def assign_owner(user: Any, d: Difficulty, owner: Any) -> Difficulty:
    """Name the account that answers for the difficulty until it is solved."""
    require(user, "change", Difficulty, node=d.node)
    if d.status == DifficultyStatus.SOLVED:
        raise invalid("owner", _("the difficulty is already solved"))
    if owner is None or not owner.is_active or not can_access(owner, d, "change"):
        raise invalid("owner", _("the owner must be an account that may handle it here"))
    with transaction.atomic(), actor(user):
        d.owner = owner
        d.save(update_fields=["owner"])
    return d


def take_in_hand(user: Any, d: Difficulty) -> Difficulty:
    require(user, "change", Difficulty, node=d.node)
    if d.status != DifficultyStatus.OPEN:
        raise invalid("status", _("only an open difficulty can be taken in hand"))
    with transaction.atomic(), actor(user):
        d.status, d.taken_at = DifficultyStatus.IN_HAND, clock.now()
        d.owner = d.owner or user
        d.save(update_fields=["status", "taken_at", "owner"])
    return d


def solve(user: Any, d: Difficulty, solution: str) -> Difficulty:
    """Record what was done; the difficulty is solved (whether or not it was overdue)."""
    require(user, "change", Difficulty, node=d.node)
    if d.status == DifficultyStatus.SOLVED:
        raise invalid("solution", _("the difficulty is already solved"))
    if len(solution.strip()) < 4:
        raise invalid("solution", _("say what was done (at least 4 characters)"))
    if len(solution) > 2000:
        raise invalid("solution", _("at most 2000 characters"))
    with transaction.atomic(), actor(user):
        now = clock.now()
        d.status, d.solved_at, d.solved_by = DifficultyStatus.SOLVED, now, user
        d.solution = solution.strip()
        d.taken_at = d.taken_at or now
        d.owner = d.owner or user
        d.save(update_fields=["status", "solved_at", "solved_by", "solution", "taken_at", "owner"])
    return d


def rate(reporter: str, d: Difficulty, rating: int, comment: str = "") -> Difficulty:
    """The reporter rates the help once it is solved; `reporter` is the blind index
    of the phone they verified with a code (see `phone_index`)."""
    if not reporter or d.phone_index != reporter:
        raise NotAllowed(_("only the reporter may rate the help"))
    if d.status != DifficultyStatus.SOLVED:
        raise invalid("rating", _("the difficulty is not solved yet"))
    if d.rated_at is not None:
        raise invalid("rating", _("already rated"))
    problem = rules.rating_problem(rating)
    if problem:
        raise invalid("rating", problem)
    if len(comment) > 200:
        raise invalid("comment", _("at most 200 characters"))
    with transaction.atomic():
        d.rating, d.rating_comment, d.rated_at = rating, comment.strip(), clock.now()
        d.save(update_fields=["rating", "rating_comment", "rated_at"])
    return d


# Deeds -------------------------------------------------------------------------------


def _check_private(*texts: str) -> None:
    problems = rules.private_values_in("\n".join(texts))
    if problems:
        raise invalid(
            "text",
            _("The deed contains personal data and was refused: %(what)s.")
            % {"what": "; ".join(problems)},
        )


def _check_named(user: Any, member: Any, organisation: Any) -> None:
    for obj, field in ((member, "member_id"), (organisation, "organisation_id")):
        if obj is not None and not can_access(user, obj, "view"):
            raise invalid(field, _("unknown or outside your jurisdiction"))


def _validate_deed(title: str, text: str, hero_name: str) -> None:
    if not title.strip() or len(title) > 100:
        raise invalid("title", _("give a title (at most 100 characters)"))
    if len(text.strip()) < 10 or len(text) > 5000:
        raise invalid("text", _("write the deed (10 to 5000 characters)"))
    if not hero_name.strip() or len(hero_name) > 100:
        raise invalid("hero_name", _("name the person or organisation (at most 100 characters)"))
    _check_private(title, text, hero_name)


def _photo(deed: Deed, upload: UploadedFile, max_kb: int) -> DeedPhoto:
    """Check one upload's real type (by decoding it) and size; the file name is ignored."""
    from PIL import Image, UnidentifiedImageError

    size = upload.size or 0
    fmt, width, height = None, 0, 0
    if size <= max_kb * 1024:
        try:
            upload.seek(0)
            with Image.open(upload) as img:
                fmt, (width, height) = img.format, img.size
                img.verify()
        except (
            UnidentifiedImageError,
            OSError,
            SyntaxError,
            ValueError,
            Image.DecompressionBombError,
        ):
            fmt = None
        upload.seek(0)
    problem = rules.photo_problem(fmt, size, max_kb)
    if problem:
        raise invalid("photos", problem)
    security.check_pixels(width, height, "photos")
    from django.core.files.base import ContentFile

    from fangkong.care.choices import PHOTO_TYPES

    clean = _without_metadata(upload, fmt or "")
    ext = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[fmt or ""]
    photo = DeedPhoto(
        deed=deed,
        content_type=PHOTO_TYPES[fmt or ""],
        size=len(clean),
        width=width,
        height=height,
    )
    photo.image.save(f"deed{deed.pk}.{ext}", ContentFile(clean), save=False)
    return photo


def _without_metadata(upload: UploadedFile, fmt: str) -> bytes:
    """The photo re-encoded from its pixels only: EXIF (place of shooting, device) and
    other metadata never reach the public side."""
    import io

    from PIL import Image, ImageOps

    upload.seek(0)
    with Image.open(upload) as original:
        img: Image.Image = ImageOps.exif_transpose(original)  # the orientation meant
        if fmt == "JPEG" and img.mode not in ("RGB", "L"):
            img = img.convert("RGB")
        out = io.BytesIO()
        options: dict[str, Any] = {"quality": 90} if fmt in ("JPEG", "WEBP") else {}
        img.save(out, fmt, **options)
    return out.getvalue()


def add_photos(user: Any, deed: Deed, uploads: Iterable[UploadedFile]) -> list[DeedPhoto]:
    require(user, "add", Deed, node=deed.node)
    uploads = list(uploads)
    if deed.status in (DeedStatus.PUBLISHED, DeedStatus.REJECTED):
        raise invalid("photos", _("a published or rejected deed cannot be changed"))
    limits = rules_on()
    if deed.photos.count() + len(uploads) > limits.photos_per_deed:
        raise invalid("photos", _("at most %(n)d photos") % {"n": limits.photos_per_deed})
    with transaction.atomic(), actor(user):
        photos = [_photo(deed, u, limits.photo_max_kb) for u in uploads]
        for p in photos:
            p.save()
    return photos


def submit_deed(
    user: Any,
    node: Division,
    *,
    title: str,
    text: str,
    hero_name: str,
    member: Any = None,
    organisation: Any = None,
    photos: Iterable[UploadedFile] = (),
) -> Deed:
    """A deed submitted by the organisation department or a staff user of `node`."""
    require(user, "add", Deed, node=node)
    _validate_deed(title, text, hero_name)
    _check_named(user, member, organisation)
    photos = list(photos)
    with transaction.atomic(), actor(user):
        deed = Deed.objects.create(
            node=node,
            title=title.strip(),
            text=text.strip(),
            hero_name=hero_name.strip(),
            member=member,
            organisation=organisation,
            submitted_by=user,
        )
        if photos:
            add_photos(user, deed, photos)
    return deed


def edit_deed(user: Any, deed: Deed, *, title: str, text: str, hero_name: str) -> Deed:
    """Change a submitted or returned deed; a returned one goes back to review."""
    require(user, "add", Deed, node=deed.node)
    if deed.status not in (DeedStatus.SUBMITTED, DeedStatus.RETURNED):
        raise invalid("status", _("a published or rejected deed cannot be changed"))
    _validate_deed(title, text, hero_name)
    with transaction.atomic(), actor(user):
        deed.title, deed.text, deed.hero_name = title.strip(), text.strip(), hero_name.strip()
        deed.status = DeedStatus.SUBMITTED
        deed.save(update_fields=["title", "text", "hero_name", "status"])
    return deed


def review_deed(user: Any, deed: Deed, decision: str, reason: str = "") -> Deed:
    """Publish (approve), return with a reason, or reject with a reason."""
    require(user, "review", Deed, node=deed.node)
    if deed.status != DeedStatus.SUBMITTED:
        raise invalid("decision", _("only a submitted deed can be reviewed"))
    if decision not in ("publish", "return", "reject"):
        raise invalid("decision", _("choose publish, return or reject"))
    if decision != "publish" and len(reason.strip()) < 2:
        raise invalid("reason", _("give the reason"))
    if len(reason) > 1000:
        raise invalid("reason", _("at most 1000 characters"))
    if decision == "publish":
        _check_private(deed.title, deed.text, deed.hero_name)
    now = clock.now()
    status = {
        "publish": DeedStatus.PUBLISHED,
        "return": DeedStatus.RETURNED,
        "reject": DeedStatus.REJECTED,
    }[decision]
    with transaction.atomic(), actor(user):
        deed.status, deed.reviewed_by, deed.reviewed_at = status, user, now
        deed.review_reason = reason.strip()
        deed.published_at = now if status == DeedStatus.PUBLISHED else None
        deed.save(
            update_fields=["status", "reviewed_by", "reviewed_at", "review_reason", "published_at"]
        )
    if status == DeedStatus.PUBLISHED:
        # Drop now, and again once committed (a reader may refill it in between).
        drop_public_deeds()
        transaction.on_commit(drop_public_deeds)
    return deed


def commend_deed(
    user: Any,
    deed: Deed,
    *,
    title: str,
    reason: str,
    decided_by: str,
    decided_on: dt.date,
) -> Deed:
    """Commend the member or organisation named in the deed: the commendation is the
    supervision app's record (cadre records), linked back to the deed."""
    from fangkong.supervision.actions import commend

    require(user, "review", Deed, node=deed.node)
    if deed.status != DeedStatus.PUBLISHED:
        raise invalid("status", _("only a published deed can be commended"))
    if deed.commendation_id:
        raise invalid("status", _("the deed is already commended"))
    if deed.member_id is None and deed.organisation_id is None:
        raise invalid("member_id", _("the deed names no member or organisation to commend"))
    with transaction.atomic(), actor(user):
        commendation = commend(
            user,
            member=deed.member,
            organisation=None if deed.member_id else deed.organisation,
            title=title,
            reason=reason,
            decided_by=decided_by,
            decided_on=decided_on,
        )
        deed.commendation = commendation
        deed.save(update_fields=["commendation"])
    return deed
