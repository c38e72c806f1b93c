"""Posts, shifts and assignments (排班): posts at a node, their around-the-clock shifts,
and the rest rules every assignment is checked against (a broken rule refuses it
unless an override reason is kept)."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.core.access import NotAllowed, account_of, actor, invalid, require
from fangkong.core.querysets import allows, can_access
from fangkong.geo.models import Division
from fangkong.mobilisation import rules
from fangkong.mobilisation.actions.fields import choice, text, tz, whole_number
from fangkong.mobilisation.choices import (
    FIT_FOR_DUTY,
    PostKind,
)
from fangkong.mobilisation.models import (
    Assignment,
    Member,
    Post,
    RestRuleSet,
    Shift,
)


class RestRuleError(ValidationError):
    """The assignment breaks rest rules; `broken` lists them (rule code + message)."""

    def __init__(self, broken: list[rules.Broken], needs_reason: bool):
        self.broken = broken
        self.needs_reason = needs_reason
        text = " ".join(b.message for b in broken)
        if needs_reason:
            text += " " + _("Give an override reason to assign anyway.")
        super().__init__({"override_reason": [text]})


@transaction.atomic
def save_post(user: Any, post: Post | None, *, node: Division, data: dict) -> Post:
    post = post or Post()
    if post.pk:
        require(user, "change", post)
    require(user, "change" if post.pk else "add", Post, node=node)
    post.name = text(data.get("name"), "name", 120)
    post.kind = choice(data.get("kind"), "kind", PostKind)
    post.required_per_shift = whole_number(
        data.get("required_per_shift", 2), "required_per_shift", 1, 50
    )
    post.shift_hours = whole_number(data.get("shift_hours", 8), "shift_hours", 1, 24)
    post.first_shift_hour = whole_number(data.get("first_shift_hour", 0), "first_shift_hour", 0, 23)
    post.active = bool(data.get("active", True))
    post.node = node
    with actor(user):
        post.save()
    return post


@transaction.atomic
def plan_shifts(user: Any, post: Post, first_day: dt.date, days: Any) -> list[Shift]:
    """Create the post's around-the-clock shifts for `days` days (existing ones kept)."""
    require(user, "change", post)
    n = whole_number(days, "days", 1, 31)
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
        raise NotAllowed(_("You may not roster this post."))
    if not can_access(user, member, "view"):
        raise invalid("member", _("Choose a member of your jurisdiction."))
    reason = text(override_reason, "override_reason", 300, required=False)
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
        created_by=account_of(user),
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
    rs = RestRuleSet.draft(data.get("effective_from"), from_today=True)
    rs.save_by(
        user,
        max_shift_hours=whole_number(data.get("max_shift_hours"), "max_shift_hours", 1, 24),
        max_hours_per_24h=whole_number(data.get("max_hours_per_24h"), "max_hours_per_24h", 1, 24),
        max_consecutive_days=whole_number(
            data.get("max_consecutive_days"), "max_consecutive_days", 1, 31
        ),
        min_rest_hours=whole_number(data.get("min_rest_hours"), "min_rest_hours", 0, 48),
        note=text(data.get("note"), "note", 200, required=False),
    )
    return rs
