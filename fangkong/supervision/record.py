"""A cadre's front-line record (一线表现) on one page: shifts, rectification tasks owned,
inspections led or undergone, commendations and — for authorised viewers only —
accountability cases. Every part is read through the viewer's `restrict`."""

from dataclasses import dataclass
from typing import Any

from fangkong.core.access import record
from fangkong.core.querysets import allows
from fangkong.supervision.models import (
    AccountabilityCase,
    Commendation,
    Inspection,
    Rectification,
)

# One page of each part on the record page and in one answer of the API; the parts are
# paged with their totals (`PREFIXES` on the page, `page` in the API), the export holds all.
PREFIXES = {
    "shifts": "s",
    "rectifications": "r",
    "inspections_led": "l",
    "inspections_as_subject": "u",
    "commendations": "c",
    "accountability": "a",
}


@dataclass
class CadreRecord:
    member: Any
    shifts: Any
    rectifications: Any
    inspections_led: Any
    inspections_as_subject: Any
    commendations: Any
    accountability: Any  # None: the viewer may not see accountability


def cadre_for(user: Any, pk: int) -> Any:
    """The member, if the viewer may see members and this one is in their area."""
    from fangkong.mobilisation.models import Member

    return record(user, Member.objects, pk)


def _inspections(user: Any, **which: Any) -> Any:
    return (
        Inspection.objects.restrict(user)
        .filter(**which)
        .select_related("node")
        .order_by("-planned_on", "-pk")
    )


def build(user: Any, member: Any) -> CadreRecord:
    """Every part of the record as an ordered queryset (newest first), read through the
    viewer's `restrict`; pages page them, the export reads them whole."""
    from fangkong.mobilisation.models import Assignment

    shifts = (
        Assignment.objects.restrict(user)
        .filter(member=member)
        .select_related("shift__post__node")
        .order_by("-starts_at", "-pk")
    )

    account = member.user_id
    rects = (
        Rectification.objects.restrict(user)
        .filter(owner_user_id=account)
        .select_related("owner_node")
        .order_by("-deadline", "-pk")
    )
    led = _inspections(user, leader_id=account)
    if not account:  # a member without an account owns no task and leads no inspection
        rects, led = rects.none(), led.none()
    subject = _inspections(user, subject=member)
    commendations = (
        Commendation.objects.restrict(user)
        .filter(member=member)
        .select_related("member", "organisation")
        .order_by("-decided_on", "-pk")
    )
    cases = None
    if allows(user, AccountabilityCase, "view"):
        cases = (
            AccountabilityCase.objects.restrict(user)
            .filter(member=member)
            .select_related("decision", "member")
            .order_by("-decided_on", "-pk")
        )
    return CadreRecord(member, shifts, rects, led, subject, commendations, cases)
