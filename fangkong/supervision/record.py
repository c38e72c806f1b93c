"""A cadre's front-line record (一线表现) on one page: shifts, rectification tasks owned,
inspections led or undergone, commendations and — for authorised viewers only —
accountability cases. Every part is read through the viewer's `restrict`."""

from dataclasses import dataclass
from typing import Any

from django.shortcuts import get_object_or_404

from fangkong.core.querysets import allows
from fangkong.supervision.models import (
    AccountabilityCase,
    Commendation,
    Inspection,
    Rectification,
)

LIMIT = 100  # rows per part on the page; the export holds the whole record


@dataclass
class CadreRecord:
    member: Any
    shifts: list
    rectifications: list
    inspections_led: list
    inspections_as_subject: list
    commendations: list
    accountability: list | None  # None: the viewer may not see accountability


def cadre_for(user: Any, pk: int) -> Any:
    """The member, if the viewer may see members and this one is in their area."""
    from fangkong.mobilisation.models import Member

    return get_object_or_404(Member.objects.restrict(user, "view"), pk=pk)


def build(user: Any, member: Any, limit: int = LIMIT) -> CadreRecord:
    from fangkong.mobilisation.models import Assignment

    shifts = list(
        Assignment.objects.restrict(user)
        .filter(member=member)
        .select_related("shift__post__node")
        .order_by("-starts_at")[:limit]
    )

    def inspections(**where: Any) -> list:
        found = Inspection.objects.restrict(user).filter(**where).select_related("node")
        return list(found.order_by("-planned_on", "-pk")[:limit])

    account = member.user_id
    rects: list = []
    led: list = []
    if account:
        rects = list(
            Rectification.objects.restrict(user)
            .filter(owner_user_id=account)
            .select_related("owner_node")
            .order_by("-deadline", "-pk")[:limit]
        )
        led = inspections(leader_id=account)
    subject = inspections(subject=member)
    commendations = list(
        Commendation.objects.restrict(user)
        .filter(member=member)
        .select_related("member", "organisation")[:limit]
    )
    cases = None
    if allows(user, AccountabilityCase, "view"):
        cases = list(
            AccountabilityCase.objects.restrict(user)
            .filter(member=member)
            .select_related("decision", "member")[:limit]
        )
    return CadreRecord(member, shifts, rects, led, subject, commendations, cases)
