"""Figures of supervision for a viewer: escalations, open tasks, counts per level."""

from typing import Any

from fangkong.core import clock
from fangkong.supervision.models import Rectification, SupervisionRuleSet


def escalated(user: Any) -> Any:
    """Overdue tasks of the nodes directly below the user's node (escalated to it)."""
    node = getattr(user, "node", None)
    if node is None:
        return Rectification.objects.none()
    today = clock.today()
    grace = SupervisionRuleSet.in_force(today).escalation_grace_days
    return (
        Rectification.objects.restrict(user)
        .overdue(today, grace)
        .escalated_to(node.path)
        .exclude(path=node.path)
    )


def escalated_count(user: Any) -> int:
    return escalated(user).count()


def open_tasks_count(user: Any) -> int:
    return Rectification.objects.restrict(user).filter(status="open").count()
