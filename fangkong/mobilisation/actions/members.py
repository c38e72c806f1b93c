"""Members (党员、干部、志愿者): the record, its flags, its encrypted phone, and the
audited reveal of the phone."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.core import audit, crypto
from fangkong.core.access import actor, invalid, require, save_unique
from fangkong.core.querysets import can_access
from fangkong.geo.models import Division
from fangkong.mobilisation.actions.fields import choice, text
from fangkong.mobilisation.choices import (
    HealthStatus,
)
from fangkong.mobilisation.models import (
    Member,
    PartyOrganisation,
    Unit,
)
from fangkong.mobilisation.querysets import phone_index
from fangkong.people import identity
from fangkong.people import rules as people_rules

MEMBER_FLAGS = ("is_party_member", "is_cadre", "is_medical", "is_volunteer")


def member_path(member: Member, fallback: Division | None = None) -> str:
    if member.community_id:
        return member.community.path  # type: ignore[union-attr]
    if member.unit_id:
        return member.unit.path  # type: ignore[union-attr]
    if member.organisation_id:
        return member.organisation.path  # type: ignore[union-attr]
    return fallback.path if fallback is not None else member.path


def set_phone(member: Member, phone: str) -> None:
    try:
        phone = identity.parse_mobile(phone)
    except identity.IdentityError as exc:
        raise invalid("phone", str(exc)) from exc
    index = phone_index(phone)
    clash = Member.objects.filter(phone_index=index).exclude(pk=member.pk).exists()
    if clash:
        raise invalid("phone", _("A member with this phone number is already recorded."))
    member.phone_enc = crypto.encrypt(phone, "member.phone")
    member.phone_index = index
    member.phone_masked = people_rules.mask_phone(phone)


def fill_member(member: Member, data: dict) -> None:
    member.name = text(data.get("name"), "name", 50)
    for flag in MEMBER_FLAGS:
        setattr(member, flag, bool(data.get(flag)))
    member.cadre_rank = text(data.get("cadre_rank"), "cadre_rank", 40, required=False)
    if member.cadre_rank and not member.is_cadre:
        raise invalid("cadre_rank", _("Only a cadre has a rank."))
    member.skills = text(data.get("skills"), "skills", 200, required=False)
    health = data.get("health_status") or HealthStatus.HEALTHY
    member.health_status = choice(health, "health_status", HealthStatus)


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
    fill_member(member, data)
    member.organisation, member.unit = organisation, unit
    if data.get("phone"):
        set_phone(member, str(data["phone"]))
    elif not member.pk:
        raise invalid("phone", _("This field is required."))
    if node is None and not (member.community_id or unit or organisation or member.pk):
        raise invalid("node", _("Choose where the member belongs."))
    member.path = member_path(member, node)
    place = Division.objects.filter(path=member.path).first()
    if place is None:
        raise invalid("node", _("Choose where the member belongs."))
    require(user, "change" if member.pk else "add", Member, node=place)
    with actor(user):
        return save_unique(
            member, "phone", _("A member with this phone number is already recorded.")
        )


def reveal_phone(user: Any, member: Member, request: Any = None) -> str:
    require(user, "reveal", member)
    audit.record_access(user, member, "phone", request)
    return member.reveal_phone()
