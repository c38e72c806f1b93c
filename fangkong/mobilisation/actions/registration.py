"""Registration at the residential community (社区报到): a member registers (also by
phone), withdraws, and the community confirms or declines."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fangkong.core import clock
from fangkong.core.access import NotAllowed, account_of, actor, invalid, require
from fangkong.geo.choices import Level
from fangkong.geo.models import Division
from fangkong.mobilisation import rules
from fangkong.mobilisation.actions.fields import text
from fangkong.mobilisation.actions.members import fill_member, member_path, set_phone
from fangkong.mobilisation.choices import (
    RegistrationStatus,
)
from fangkong.mobilisation.models import (
    Assignment,
    Member,
    Registration,
)


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
    reg = Registration(member=member, community=community, note=text(note, "note", 200, False))
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
        fill_member(member, {**(data or {}), "name": name})
        set_phone(member, phone)
        member.save()
    return register(member, community, note=(data or {}).get("note", ""))


@transaction.atomic
def withdraw(member: Member, registration: Registration) -> Registration:
    if registration.member_id != member.pk:
        raise NotAllowed(_("This is not your registration."))
    if registration.status not in (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED):
        raise invalid("status", _("Only a pending or confirmed registration can be withdrawn."))
    if Assignment.objects.filter(member=member, ends_at__gt=clock.now()).exists():
        raise invalid("status", _("You still have shifts ahead; ask the community first."))
    registration.status = RegistrationStatus.WITHDRAWN
    registration.decided_at = clock.now()
    registration.save(update_fields=["status", "decided_at"])
    if member.community_id == registration.community_id:
        member.community = None
        member.path = member_path(member, registration.community)
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
        account_of(user),
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
    reg.decline_reason = text(reason, "reason", 200)
    reg.status, reg.decided_at, reg.decided_by = (
        RegistrationStatus.DECLINED,
        clock.now(),
        account_of(user),
    )
    with actor(user):
        reg.save(update_fields=["status", "decided_at", "decided_by", "decline_reason"])
        member = reg.member
        if member.path == reg.community.path and not member.community_id:
            member.path = member_path(member, reg.community)
            member.save(update_fields=["path", "updated_at"])
    return reg
