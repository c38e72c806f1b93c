"""Scoped reads of supervision. The unannounced rule lives here, once: an unannounced
inspection that is not yet recorded — and everything hanging off it — is invisible to
accounts at the inspected node or below, unless they are on the inspecting team."""

import datetime as dt
from typing import Any, Self

from django.db.models import Q

from fangkong.core.querysets import RestrictedQuerySet, _path_of, allows, ancestor_paths


def team_inspection_ids(user: Any) -> Any:
    """Ids of the inspections the user leads or whose team they lead or belong to."""
    from fangkong.supervision.models import Inspection

    return Inspection.objects.filter(
        Q(leader=user) | Q(team__leader=user) | Q(team__members=user)
    ).values("pk")


def hidden_from(user: Any, lookup: str = "") -> Q | None:
    """The condition of rows the user must not see because an unannounced inspection
    (reached through `lookup`) is not recorded yet; None when nothing is hidden."""
    path = _path_of(user)
    if not path:  # superuser (None) sees everything; no node sees nothing anyway
        return None
    prefix = f"{lookup}__" if lookup else ""
    hidden = Q(
        **{
            f"{prefix}kind": "unannounced",
            f"{prefix}recorded_at__isnull": True,
            f"{prefix}path__in": ancestor_paths(path),
        }
    )
    own = Q(**{f"{prefix}pk__in": team_inspection_ids(user)})
    return hidden & ~own


class InspectionQuerySet(RestrictedQuerySet):
    def restrict(self, user: Any, action: str = "view") -> Self:
        qs = super().restrict(user, action)
        cond = hidden_from(user) if allows(user, self.model, action) else None
        return qs.exclude(cond) if cond is not None else qs

    def recorded(self) -> Self:
        return self.filter(recorded_at__isnull=False)

    def led_by(self, user: Any) -> Self:
        return self.filter(leader=user)


class InspectionChildQuerySet(RestrictedQuerySet):
    """Results, findings and photos: scoped by their own path, and hidden with their
    inspection while it is unannounced and unrecorded."""

    def restrict(self, user: Any, action: str = "view") -> Self:
        qs = super().restrict(user, action)
        lookup = getattr(self.model, "inspection_lookup", "inspection")
        cond = hidden_from(user, lookup) if allows(user, self.model, action) else None
        return qs.exclude(cond) if cond is not None else qs


class RectificationQuerySet(RestrictedQuerySet):
    """Scoped by the owner's path only: a task is created only on a finding of a
    recorded inspection (`actions.assign_rectification`) and recording is final, so
    the unannounced rule never has anything to hide here — and lists over 10⁵ tasks
    need no join to inspections."""

    def open(self) -> Self:
        return self.exclude(status="closed")

    def overdue(self, day: dt.date, grace_days: int = 0) -> Self:
        """Not answered (or sent back) and past the deadline plus the grace days."""
        return self.filter(status="open", deadline__lt=day - dt.timedelta(days=grace_days))

    def escalated_to(self, path: str) -> Self:
        return self.filter(escalate_path=path)


class CaseQuerySet(RestrictedQuerySet):
    pass
