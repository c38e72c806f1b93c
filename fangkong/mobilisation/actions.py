"""Every write of the mobilisation app: one function per verb, validated, in one
transaction, audited (django-auditlog attributes changes to the acting account)."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.core import audit, clock, crypto
from fangkong.core.access import actor, invalid, require
from fangkong.core.querysets import allows, can_access
from fangkong.geo.choices import Level
from fangkong.geo.models import Division
from fangkong.mobilisation import rules
from fangkong.mobilisation.choices import (
    FIT_FOR_DUTY,
    HealthStatus,
    OrganisationKind,
    PostKind,
    RegistrationStatus,
    UnitKind,
)
from fangkong.mobilisation.models import (
    Assignment,
    Member,
    PartyOrganisation,
    Post,
    PpeIssue,
    Registration,
    RestRuleSet,
    Shift,
    Unit,
)
from fangkong.mobilisation.querysets import phone_index
from fangkong.people import rules as people_rules


class RestRuleError(ValidationError):
    """The assignment breaks rest rules; `broken` lists them (rule code + message)."""

    def __init__(self, broken: list[rules.Broken], needs_reason: bool):
        self.broken = broken
        self.needs_reason = needs_reason
        text = " ".join(b.message for b in broken)
        if needs_reason:
            text += " " + _("Give an override reason to assign anyway.")
        super().__init__({"override_reason": [text]})


def _who(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def _text(value: Any, field: str, max_len: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise invalid(field, _("This field is required."))
    if len(value) > max_len:
        raise invalid(field, _("At most %(n)s characters.") % {"n": max_len})
    return value


def _choice(value: Any, field: str, choices: Any) -> str:
    if value not in choices.values:
        raise invalid(field, _("Choose one of the listed values."))
    return str(value)


def _hours(value: Any, field: str, low: int, high: int) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise invalid(field, _("Enter a whole number.")) from None
    if not low <= n <= high:
        raise invalid(
            field, _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}
        )
    return n


def tz() -> dt.tzinfo:
    return timezone.get_default_timezone()


# Units and organisations -------------------------------------------------------------


@transaction.atomic
def save_unit(
    user: Any, unit: Unit | None, *, name: Any, kind: Any, node: Division, address: Any = ""
) -> Unit:
    """Create (unit=None) or edit a unit of the territory."""
    unit = unit or Unit()
    if unit.pk:
        require(user, "change", unit)
    require(user, "change" if unit.pk else "add", Unit, node=node)
    unit.name = _text(name, "name", 120)
    unit.kind = _choice(kind, "kind", UnitKind)
    unit.address = _text(address, "address", 200, required=False)
    unit.node = node
    with actor(user):
        unit.save()
    return unit


@transaction.atomic
def save_organisation(
    user: Any,
    org: PartyOrganisation | None,
    *,
    name: Any,
    kind: Any,
    node: Division,
    parent: PartyOrganisation | None = None,
    unit: Unit | None = None,
    secretary: Member | None = None,
) -> PartyOrganisation:
    """Create or edit a Party organisation; the parent must lie at or above its node."""
    org = org or PartyOrganisation()
    if org.pk:
        require(user, "change", org)
    require(user, "change" if org.pk else "add", PartyOrganisation, node=node)
    kind = _choice(kind, "kind", OrganisationKind)
    if parent is not None:
        if org.pk and (parent.pk == org.pk or _descends(parent, org)):
            raise invalid("parent", _("An organisation cannot sit under itself."))
        if not node.path.startswith(parent.path):
            raise invalid("parent", _("The parent organisation must be at the same node or above."))
        if kind == OrganisationKind.COMMITTEE and parent.kind != OrganisationKind.COMMITTEE:
            raise invalid("parent", _("A Party committee can only sit under another committee."))
    if unit is not None and not unit.path.startswith(node.path):
        raise invalid("unit", _("The unit must lie within the organisation's jurisdiction."))
    if secretary is not None and not can_access(user, secretary, "view"):
        raise invalid("secretary", _("Choose a member of your jurisdiction."))
    org.name = _text(name, "name", 120)
    org.kind, org.node, org.parent, org.unit, org.secretary = kind, node, parent, unit, secretary
    with actor(user):
        org.save()
    return org


def _descends(candidate: PartyOrganisation, ancestor: PartyOrganisation) -> bool:
    seen = 0
    node: PartyOrganisation | None = candidate
    while node is not None and seen < 50:
        if node.pk == ancestor.pk:
            return True
        node = node.parent
        seen += 1
    return False


# Members -------------------------------------------------------------------------------

MEMBER_FLAGS = ("is_party_member", "is_cadre", "is_medical", "is_volunteer")


def _member_path(member: Member, fallback: Division | None = None) -> str:
    if member.community_id:
        return member.community.path  # type: ignore[union-attr]
    if member.unit_id:
        return member.unit.path  # type: ignore[union-attr]
    if member.organisation_id:
        return member.organisation.path  # type: ignore[union-attr]
    return fallback.path if fallback is not None else member.path


def _set_phone(member: Member, phone: str) -> None:
    try:
        phone = people_rules.parse_mobile(phone)
    except people_rules.IdentityError as exc:
        raise invalid("phone", str(exc)) from exc
    index = phone_index(phone)
    clash = Member.objects.filter(phone_index=index).exclude(pk=member.pk).exists()
    if clash:
        raise invalid("phone", _("A member with this phone number is already recorded."))
    member.phone_enc = crypto.encrypt(phone, "member.phone")
    member.phone_index = index
    member.phone_masked = people_rules.mask_phone(phone)


def _fill_member(member: Member, data: dict) -> None:
    member.name = _text(data.get("name"), "name", 50)
    for flag in MEMBER_FLAGS:
        setattr(member, flag, bool(data.get(flag)))
    member.cadre_rank = _text(data.get("cadre_rank"), "cadre_rank", 40, required=False)
    if member.cadre_rank and not member.is_cadre:
        raise invalid("cadre_rank", _("Only a cadre has a rank."))
    member.skills = _text(data.get("skills"), "skills", 200, required=False)
    health = data.get("health_status") or HealthStatus.HEALTHY
    member.health_status = _choice(health, "health_status", HealthStatus)


@transaction.atomic
def save_member(
    user: Any,
    member: Member | None,
    data: dict,
    *,
    node: Division | None = None,
    organisation: PartyOrganisation | None = None,
    unit: Unit | None = None,
) -> Member:
    """Create or edit a member; `node` places a member with neither unit nor
    organisation nor community. The phone is protected like a person's."""
    member = member or Member()
    if member.pk:
        require(user, "change", member)
    for field, value in (("organisation", organisation), ("unit", unit)):
        if value is not None and not can_access(user, value, "view"):
            raise invalid(field, _("Choose one of your jurisdiction."))
    _fill_member(member, data)
    member.organisation, member.unit = organisation, unit
    if data.get("phone"):
        _set_phone(member, str(data["phone"]))
    elif not member.pk:
        raise invalid("phone", _("This field is required."))
    if node is None and not (member.community_id or unit or organisation or member.pk):
        raise invalid("node", _("Choose where the member belongs."))
    member.path = _member_path(member, node)
    place = Division.objects.filter(path=member.path).first()
    if place is None:
        raise invalid("node", _("Choose where the member belongs."))
    require(user, "change" if member.pk else "add", Member, node=place)
    with actor(user):
        try:
            with transaction.atomic():
                member.save()
        except IntegrityError:
            raise invalid(
                "phone", _("A member with this phone number is already recorded.")
            ) from None
    return member


def reveal_phone(user: Any, member: Member, request: Any = None) -> str:
    require(user, "reveal", member)
    audit.record_access(user, member, "phone", request)
    return member.reveal_phone()


# Registration at the residential community ------------------------------------------


def community_by_code(code: Any) -> Division:
    code = str(code or "").strip()
    if not rules.community_code_ok(code):
        raise invalid("community", _("Enter the 12-digit code of a community or village."))
    found = Division.objects.filter(code=code, level=Level.VILLAGE).first()
    if found is None:
        raise invalid("community", _("No community or village has this code."))
    return found


def _double_registration(member: Member, community: Division) -> ValidationError:
    active = (
        member.registrations.filter(
            status__in=[RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED]
        )
        .select_related("community")
        .first()
    )
    where = active.community.name if active else ""
    if active and active.community_id == community.pk:
        return invalid(
            "community",
            _("You are already registered at %(c)s (%(s)s).")
            % {"c": where, "s": active.get_status_display()},
        )
    return invalid(
        "community",
        _(
            "You are already registered at %(c)s. A member registers at one community "
            "at a time: withdraw that registration first."
        )
        % {"c": where},
    )


@transaction.atomic
def register(
    member: Member, community: Division, *, note: Any = "", user: Any = None
) -> Registration:
    """Register `member` at `community` (pending until the community confirms)."""
    if community.level != Level.VILLAGE:
        raise invalid("community", _("Choose a community or village, not a higher level."))
    Member.objects.select_for_update().filter(pk=member.pk).first()
    if member.registrations.filter(
        status__in=[RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED]
    ).exists():
        raise _double_registration(member, community)
    reg = Registration(member=member, community=community, note=_text(note, "note", 200, False))
    with actor(user):
        try:
            with transaction.atomic():
                reg.save()
        except IntegrityError:
            raise _double_registration(member, community) from None
        if not (member.community_id or member.unit_id or member.organisation_id):
            member.path = community.path
            member.save(update_fields=["path", "updated_at"])
    return reg


@transaction.atomic
def register_by_phone(
    phone: str, *, name: Any, community: Division, data: dict | None = None
) -> Registration:
    """The phone form: `phone` is already verified by the public app's SMS code. An
    existing member (same phone) registers; otherwise a new member is recorded."""
    member = Member.objects.with_phone(phone).first()
    if member is None:
        member = Member(path=community.path)
        _fill_member(member, {**(data or {}), "name": name})
        _set_phone(member, phone)
        member.save()
    return register(member, community, note=(data or {}).get("note", ""))


@transaction.atomic
def withdraw(member: Member, registration: Registration) -> Registration:
    if registration.member_id != member.pk:
        raise PermissionDenied(_("This is not your registration."))
    if registration.status not in (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED):
        raise invalid("status", _("Only a pending or confirmed registration can be withdrawn."))
    if Assignment.objects.filter(member=member, ends_at__gt=clock.now()).exists():
        raise invalid("status", _("You still have shifts ahead; ask the community first."))
    registration.status = RegistrationStatus.WITHDRAWN
    registration.decided_at = clock.now()
    registration.save(update_fields=["status", "decided_at"])
    if member.community_id == registration.community_id:
        member.community = None
        member.path = _member_path(member, registration.community)
        member.save(update_fields=["community", "path", "updated_at"])
    return registration


@transaction.atomic
def confirm(user: Any, registration: Registration) -> Registration:
    """The community's staff confirm: the member now belongs to that community."""
    require(user, "decide", registration)
    reg = Registration.objects.select_for_update().get(pk=registration.pk)
    if reg.status != RegistrationStatus.PENDING:
        raise invalid("status", _("Only a pending registration can be confirmed."))
    reg.status, reg.decided_at, reg.decided_by = (
        RegistrationStatus.CONFIRMED,
        clock.now(),
        _who(user),
    )
    with actor(user):
        reg.save(update_fields=["status", "decided_at", "decided_by"])
        member = reg.member
        member.community = reg.community
        member.path = reg.community.path
        member.save(update_fields=["community", "path", "updated_at"])
    return reg


@transaction.atomic
def decline(user: Any, registration: Registration, reason: Any) -> Registration:
    require(user, "decide", registration)
    reg = Registration.objects.select_for_update().get(pk=registration.pk)
    if reg.status != RegistrationStatus.PENDING:
        raise invalid("status", _("Only a pending registration can be declined."))
    reg.decline_reason = _text(reason, "reason", 200)
    reg.status, reg.decided_at, reg.decided_by = (
        RegistrationStatus.DECLINED,
        clock.now(),
        _who(user),
    )
    with actor(user):
        reg.save(update_fields=["status", "decided_at", "decided_by", "decline_reason"])
        member = reg.member
        if member.path == reg.community.path and not member.community_id:
            member.path = _member_path(member, reg.community)
            member.save(update_fields=["path", "updated_at"])
    return reg


# Posts, shifts, assignments --------------------------------------------------------------


@transaction.atomic
def save_post(user: Any, post: Post | None, *, node: Division, data: dict) -> Post:
    post = post or Post()
    if post.pk:
        require(user, "change", post)
    require(user, "change" if post.pk else "add", Post, node=node)
    post.name = _text(data.get("name"), "name", 120)
    post.kind = _choice(data.get("kind"), "kind", PostKind)
    post.required_per_shift = _hours(data.get("required_per_shift", 2), "required_per_shift", 1, 50)
    post.shift_hours = _hours(data.get("shift_hours", 8), "shift_hours", 1, 24)
    post.first_shift_hour = _hours(data.get("first_shift_hour", 0), "first_shift_hour", 0, 23)
    post.active = bool(data.get("active", True))
    post.node = node
    with actor(user):
        post.save()
    return post


@transaction.atomic
def plan_shifts(user: Any, post: Post, first_day: dt.date, days: Any) -> list[Shift]:
    """Create the post's around-the-clock shifts for `days` days (existing ones kept)."""
    require(user, "change", post)
    n = _hours(days, "days", 1, 31)
    if not dt.date(2000, 1, 1) <= first_day <= dt.date(2100, 12, 31):
        raise invalid("first_day", _("Enter a day between 2000 and 2100."))
    existing = set(
        Shift.objects.filter(
            post=post,
            starts_at__gte=dt.datetime.combine(first_day, dt.time(0), tzinfo=tz()),
        ).values_list("starts_at", flat=True)
    )
    new = []
    for i in range(n):
        for start, end in rules.shift_starts(
            first_day + dt.timedelta(days=i), post.shift_hours, post.first_shift_hour, tz()
        ):
            if start not in existing:
                new.append(
                    Shift(
                        post=post,
                        starts_at=start,
                        ends_at=end,
                        required=post.required_per_shift,
                    )
                )
    Shift.objects.bulk_create(Shift.place_all(new))
    return new


def rest_rules_on(day: dt.date | None = None) -> rules.RestRules:
    return rules.RestRules.of(RestRuleSet.in_force(day))


def member_spans(
    member: Member, around: tuple[dt.datetime, dt.datetime], window: dt.timedelta
) -> list[rules.Span]:
    qs = Assignment.objects.filter(
        member=member, starts_at__lt=around[1] + window, ends_at__gt=around[0] - window
    ).values_list("starts_at", "ends_at")
    return list(qs)


def check_assignment(member: Member, shift: Shift) -> list[rules.Broken]:
    rs = rest_rules_on(timezone.localdate(shift.starts_at))
    spans = member_spans(member, (shift.starts_at, shift.ends_at), rs.lookback())
    return rules.check_rest(spans, (shift.starts_at, shift.ends_at), rs, tz())


@transaction.atomic
def assign(user: Any, shift: Shift, member: Member, override_reason: Any = "") -> Assignment:
    """Put a confirmed member on a shift. A broken rest rule refuses the assignment
    unless an override reason is given; the reason and the rules are kept."""
    require(user, "view", shift)
    if not allows(user, Assignment, "add") or not can_access(user, shift.post, "view"):
        raise PermissionDenied(_("You may not roster this post."))
    if not can_access(user, member, "view"):
        raise invalid("member", _("Choose a member of your jurisdiction."))
    reason = _text(override_reason, "override_reason", 300, required=False)
    locked = Member.objects.select_for_update().get(pk=member.pk)
    if not locked.community_id:
        raise invalid("member", _("Only a member whose registration is confirmed can be rostered."))
    if locked.health_status not in FIT_FOR_DUTY:
        raise invalid(
            "member",
            _("%(name)s is not fit for duty (%(status)s).")
            % {"name": locked.name, "status": locked.get_health_status_display()},
        )
    if shift.assignments.filter(member=locked).exists():
        raise invalid("member", _("The member is already on this shift."))
    broken = check_assignment(locked, shift)
    hard = rules.refused(broken)
    if hard:
        raise RestRuleError(hard, needs_reason=False)
    if broken and not reason:
        raise RestRuleError(broken, needs_reason=True)
    a = Assignment(
        member=locked,
        shift=shift,
        broken_rules=[{"rule": b.rule, "message": b.message} for b in broken],
        override_reason=reason if broken else "",
        created_by=_who(user),
    )
    with actor(user):
        a.save()
    return a


@transaction.atomic
def unassign(user: Any, assignment: Assignment) -> None:
    require(user, "delete", assignment)
    if assignment.ppe.exists():
        raise invalid("assignment", _("Protective equipment was issued for this shift; it stays."))
    with actor(user):
        assignment.delete()


@transaction.atomic
def add_rest_rules(user: Any, data: dict) -> RestRuleSet:
    """A new dated rest rule set (a set already in force is never rewritten)."""
    require(user, "add", RestRuleSet)
    day = data.get("effective_from")
    if not isinstance(day, dt.date):
        raise invalid("effective_from", _("Enter a date."))
    if day < clock.today():
        raise invalid("effective_from", _("A rule set takes effect today or later."))
    if RestRuleSet.objects.filter(effective_from=day).exists():
        raise invalid("effective_from", _("A rule set already takes effect on that day."))
    rs = RestRuleSet(
        effective_from=day,
        max_shift_hours=_hours(data.get("max_shift_hours"), "max_shift_hours", 1, 24),
        max_hours_per_24h=_hours(data.get("max_hours_per_24h"), "max_hours_per_24h", 1, 24),
        max_consecutive_days=_hours(
            data.get("max_consecutive_days"), "max_consecutive_days", 1, 31
        ),
        min_rest_hours=_hours(data.get("min_rest_hours"), "min_rest_hours", 0, 48),
        note=_text(data.get("note"), "note", 200, required=False),
        created_by=_who(user),
    )
    with actor(user):
        rs.save()
    return rs


# Protective equipment per shift ----------------------------------------------------------


@transaction.atomic
def issue_ppe(
    user: Any, assignment: Assignment, item: Any, quantity: Any, warehouse: Any = None
) -> list[PpeIssue]:
    """Issue protective equipment for one assignment. With the supplies app the units
    leave `warehouse` through its ledger (stock checked there; a shortage is refused)
    and each ledger entry is linked here; without it, `item` is a name."""
    require(user, "view", assignment)
    require(user, "add", PpeIssue)
    from django.apps import apps

    if apps.is_installed("fangkong.supplies"):
        from fangkong.supplies import actions as supplies

        if warehouse is None:
            raise invalid("warehouse", _("Choose the warehouse that issues the equipment."))
        reason = _("PPE for %(post)s, shift %(at)s") % {
            "post": assignment.shift.post.name,
            "at": timezone.localtime(assignment.starts_at).strftime("%Y-%m-%d %H:%M"),
        }
        entries = supplies.issue(user, warehouse, item, quantity, reason=reason[:200])
        out = [
            PpeIssue(
                assignment=assignment,
                item_code=str(item.pk),
                item_name=item.name,
                quantity=-e.quantity,
                ledger_entry_id=e.pk,
                issued_by=_who(user),
            )
            for e in entries
        ]
    else:
        name = _text(str(item or ""), "item", 40)
        qty = _hours(quantity, "quantity", 1, 1000)
        out = [
            PpeIssue(
                assignment=assignment,
                item_code=name,
                item_name=name,
                quantity=qty,
                issued_by=_who(user),
            )
        ]
    with actor(user):
        for issue in out:
            issue.save()
    return out
